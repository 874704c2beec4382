// The heat wave on climatological days: the minimum of day J over [J-1 18:00, J 18:00) UTC, its
// maximum over [J 06:00, J+1 06:00) UTC. A window counts only when at least 18 of its 24 hours
// (75 %) hold a temperature: a day with a gap of a quarter could miss its extreme. The running
// means of day J are over the `days` days ending with J, all of them complete; a day J whose
// two means reach their thresholds is a heat-wave day (the day the rule can tell, so the third
// hot day of a three-day rule). Consecutive heat-wave days are one episode, from the first one's
// 00:00 to the end of the last; it is closed by the first later day whose means are known.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <string>

#include "episodes.hpp"
#include "rules.hpp"

namespace meteo::alerts {
namespace {

using std::chrono::days;
using std::chrono::hours;

constexpr int kHoursRequired = 18;  // of a window's 24

struct HourRange {
  double lowest = std::numeric_limits<double>::infinity();
  double highest = -std::numeric_limits<double>::infinity();
};

struct DayExtremes {
  double minimum = 0;
  double maximum = 0;
};

std::map<UtcSeconds, HourRange> hourly_ranges(const std::vector<Observation>& records) {
  std::map<UtcSeconds, HourRange> ranges;
  for (const Observation& record : records) {
    if (std::isnan(record.temperature_c)) continue;
    HourRange& range = ranges[std::chrono::floor<hours>(record.observed_at)];
    range.lowest = std::min(range.lowest, record.temperature_c);
    range.highest = std::max(range.highest, record.temperature_c);
  }
  return ranges;
}

// The lowest and highest temperatures of the 24 hours from `from`, when enough of them are known.
std::optional<HourRange> window_range(const std::map<UtcSeconds, HourRange>& ranges,
                                      UtcSeconds from) {
  HourRange window;
  int known_hours = 0;
  for (auto hour = ranges.lower_bound(from); hour != ranges.end() && hour->first < from + hours(24);
       ++hour) {
    ++known_hours;
    window.lowest = std::min(window.lowest, hour->second.lowest);
    window.highest = std::max(window.highest, hour->second.highest);
  }
  if (known_hours < kHoursRequired) return std::nullopt;
  return window;
}

// The complete climatological days of the records, by their 00:00 UTC.
std::map<UtcSeconds, DayExtremes> complete_days(const std::vector<Observation>& records) {
  std::map<UtcSeconds, DayExtremes> result;
  const std::map<UtcSeconds, HourRange> ranges = hourly_ranges(records);
  if (ranges.empty()) return result;
  const UtcSeconds first_day = std::chrono::floor<days>(ranges.begin()->first);
  const UtcSeconds last_day = std::chrono::floor<days>(ranges.rbegin()->first);
  for (UtcSeconds day = first_day; day <= last_day + days(1); day += days(1)) {
    const std::optional<HourRange> night = window_range(ranges, day - hours(6));
    const std::optional<HourRange> daytime = window_range(ranges, day + hours(6));
    if (night && daytime) result[day] = {night->lowest, daytime->highest};
  }
  return result;
}

// The day's sample when the `count` days ending with it are all complete.
std::optional<Sample> running_means(const std::map<UtcSeconds, DayExtremes>& complete,
                                    UtcSeconds day, int count, const HeatWaveRule& rule) {
  double minima = 0;
  double maxima = 0;
  for (int back = 0; back < count; ++back) {
    const auto found = complete.find(day - days(back));
    if (found == complete.end()) return std::nullopt;
    minima += found->second.minimum;
    maxima += found->second.maximum;
  }
  const double min_mean = minima / count;
  const double max_mean = maxima / count;
  const bool hot = min_mean >= rule.min_mean_c && max_mean >= rule.max_mean_c;
  return Sample{day, hot ? 1 : 0, max_mean};
}

}  // namespace

std::vector<Episode> heat_wave_episodes(const std::vector<Observation>& records,
                                        const HeatWaveRule& rule) {
  const int count = std::max(rule.days, 1);
  const std::map<UtcSeconds, DayExtremes> complete = complete_days(records);
  std::vector<Sample> samples;
  for (const auto& [day, extremes] : complete) {
    if (auto sample = running_means(complete, day, count, rule)) samples.push_back(*sample);
  }
  // The peak is the highest running mean of the maxima, the threshold the one it is judged by.
  const LevelScale scale{Kind::heat_wave,
                         {"canicule", "canicule"},
                         {rule.max_mean_c, rule.max_mean_c},
                         "heat_wave/1 means of minima,maxima " + format_number(rule.min_mean_c) +
                             "," + format_number(rule.max_mean_c) + " C over " +
                             std::to_string(count) + " days",
                         false};
  const EpisodeTiming timing{days(2), days(1), days(1)};  // consecutive days join; a day long
  return group_into_episodes(samples, scale, timing);
}

}  // namespace meteo::alerts
