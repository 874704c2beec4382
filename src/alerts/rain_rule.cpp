// The heavy rain: the rain of each UTC hour, and of the 24 hours ending with it. An hour counts
// in the hour its record's time falls in (floor), as station_hourly_weather sums it; an hour with
// no rain measured is no sample, and adds nothing to the 24-hour sums around it.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>

#include "episodes.hpp"
#include "rules.hpp"

namespace meteo::alerts {
namespace {

struct RainHour {
  double hourly_mm = 0;
  double day_mm = 0;  // the 24 hours ending with this one
  int hourly_rank = 0;
  int day_rank = 0;
};

std::map<UtcSeconds, RainHour> rain_hours(const std::vector<Observation>& records,
                                          const HeavyRainRule& rule) {
  std::map<UtcSeconds, RainHour> hours;
  for (const Observation& record : records) {
    if (std::isnan(record.rain_mm)) continue;
    hours[std::chrono::floor<std::chrono::hours>(record.observed_at)].hourly_mm += record.rain_mm;
  }
  // A sliding window over the hours present: the oldest leaves once 24 hours behind.
  double window_mm = 0;
  auto oldest = hours.begin();
  for (auto hour = hours.begin(); hour != hours.end(); ++hour) {
    window_mm += hour->second.hourly_mm;
    while (oldest->first <= hour->first - std::chrono::hours(24)) {
      window_mm -= oldest->second.hourly_mm;
      ++oldest;
    }
    RainHour& rain = hour->second;
    rain.day_mm = window_mm;
    rain.hourly_rank =
        rank_at_or_above(rain.hourly_mm, rule.yellow_hourly_mm, rule.orange_hourly_mm);
    rain.day_rank = rank_at_or_above(rain.day_mm, rule.yellow_24h_mm, rule.orange_24h_mm);
  }
  return hours;
}

// The level comes from the hourly amount when it reaches it, else from the 24-hour one: the peak
// and the threshold are then that measure's, never a mix of mm per hour and mm per day.
void use_day_amounts(Episode& episode, const std::map<UtcSeconds, RainHour>& hours,
                     const HeavyRainRule& rule) {
  int hourly_rank = 0;
  for (UtcSeconds trigger : episode.triggers) {
    hourly_rank = std::max(hourly_rank, hours.at(trigger).hourly_rank);
  }
  if (hourly_rank == episode.level_rank) return;
  episode.threshold = episode.level_rank == 2 ? rule.orange_24h_mm : rule.yellow_24h_mm;
  episode.peak_value = hours.at(episode.triggers.front()).day_mm;
  episode.peak_at = episode.triggers.front();
  for (UtcSeconds trigger : episode.triggers) {
    if (hours.at(trigger).day_mm > episode.peak_value) {
      episode.peak_value = hours.at(trigger).day_mm;
      episode.peak_at = trigger;
    }
  }
}

}  // namespace

std::vector<Episode> heavy_rain_episodes(const std::vector<Observation>& records,
                                         const HeavyRainRule& rule, int quiet_hours) {
  const std::map<UtcSeconds, RainHour> hours = rain_hours(records, rule);
  std::vector<Sample> samples;
  for (const auto& [hour, rain] : hours) {
    samples.push_back({hour, std::max(rain.hourly_rank, rain.day_rank), rain.hourly_mm});
  }
  const LevelScale scale{Kind::heavy_rain,
                         {"yellow", "orange"},
                         {rule.yellow_hourly_mm, rule.orange_hourly_mm},
                         "heavy_rain/1 " + format_number(rule.yellow_hourly_mm) + "," +
                             format_number(rule.orange_hourly_mm) + " mm/h " +
                             format_number(rule.yellow_24h_mm) + "," +
                             format_number(rule.orange_24h_mm) + " mm/24h",
                         false};
  std::vector<Episode> episodes =
      group_into_episodes(samples, scale, quiet_hours_timing(quiet_hours));
  for (Episode& episode : episodes) use_day_amounts(episode, hours, rule);
  return episodes;
}

}  // namespace meteo::alerts
