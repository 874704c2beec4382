// The rules judged record by record: the strong wind on each record's gust, the severe cold on
// each record's wind chill.
#include <cmath>

#include "episodes.hpp"
#include "rules.hpp"

namespace meteo::alerts {
namespace {

// "froid extrême" is strictly below its threshold, "grand froid" at or below its own.
int cold_rank(double wind_chill, const SevereColdRule& rule) {
  if (wind_chill < rule.extreme_cold_c) return 2;
  if (wind_chill <= rule.grand_froid_c) return 1;
  return 0;
}

}  // namespace

std::vector<Episode> strong_wind_episodes(const std::vector<Observation>& records,
                                          const StrongWindRule& rule, int quiet_hours) {
  std::vector<Sample> samples;
  for (const Observation& record : records) {
    if (std::isnan(record.gust_kmh)) continue;
    samples.push_back(
        {record.observed_at,
         rank_at_or_above(record.gust_kmh, rule.yellow_gust_kmh, rule.orange_gust_kmh),
         record.gust_kmh});
  }
  const LevelScale scale{Kind::strong_wind,
                         {"yellow", "orange"},
                         {rule.yellow_gust_kmh, rule.orange_gust_kmh},
                         "strong_wind/1 gust " + format_number(rule.yellow_gust_kmh) + "," +
                             format_number(rule.orange_gust_kmh) + " km/h",
                         false};
  return group_into_episodes(samples, scale, quiet_hours_timing(quiet_hours));
}

std::vector<Episode> severe_cold_episodes(const std::vector<Observation>& records,
                                          const SevereColdRule& rule, int quiet_hours) {
  std::vector<Sample> samples;
  for (const Observation& record : records) {
    // Without the wind the wind chill is unknown: such a record is not judged.
    const double wind_chill = wind_chill_c(record.temperature_c, record.wind_speed_kmh);
    if (std::isnan(wind_chill)) continue;
    samples.push_back({record.observed_at, cold_rank(wind_chill, rule), wind_chill});
  }
  const LevelScale scale{Kind::severe_cold,
                         {"grand_froid", "froid_extreme"},
                         {rule.grand_froid_c, rule.extreme_cold_c},
                         "severe_cold/1 wind chill " + format_number(rule.grand_froid_c) + "," +
                             format_number(rule.extreme_cold_c) + " C",
                         true};
  return group_into_episodes(samples, scale, quiet_hours_timing(quiet_hours));
}

}  // namespace meteo::alerts
