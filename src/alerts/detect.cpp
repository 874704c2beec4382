// Every enabled weather rule over one station's records, their episodes in one list.
#include <algorithm>
#include <iterator>

#include "rules.hpp"

namespace meteo::alerts {
namespace {

bool earlier(const Observation& left, const Observation& right) {
  return left.observed_at < right.observed_at;
}

void append(std::vector<Episode>& episodes, std::vector<Episode> more) {
  std::move(more.begin(), more.end(), std::back_inserter(episodes));
}

}  // namespace

std::vector<Episode> detect_weather_episodes(const std::vector<Observation>& records,
                                             const AlertSettings& settings) {
  // The rules walk records in time order; a caller's unsorted list costs a copy, not an error.
  std::vector<Observation> sorted;
  const bool in_order = std::is_sorted(records.begin(), records.end(), earlier);
  if (!in_order) {
    sorted = records;
    std::stable_sort(sorted.begin(), sorted.end(), earlier);
  }
  const std::vector<Observation>& ordered = in_order ? records : sorted;

  std::vector<Episode> episodes;
  if (settings.strong_wind.enabled) {
    append(episodes, strong_wind_episodes(ordered, settings.strong_wind, settings.quiet_hours));
  }
  if (settings.severe_cold.enabled) {
    append(episodes, severe_cold_episodes(ordered, settings.severe_cold, settings.quiet_hours));
  }
  if (settings.heat_wave.enabled) {
    append(episodes, heat_wave_episodes(ordered, settings.heat_wave));
  }
  if (settings.heavy_rain.enabled) {
    append(episodes, heavy_rain_episodes(ordered, settings.heavy_rain, settings.quiet_hours));
  }
  std::stable_sort(episodes.begin(), episodes.end(), [](const Episode& left, const Episode& right) {
    if (left.start != right.start) return left.start < right.start;
    return left.kind < right.kind;
  });
  return episodes;
}

}  // namespace meteo::alerts
