#include <gtest/gtest.h>

#include <cmath>

#include "alert_fixtures.hpp"
#include "rules.hpp"

namespace meteo::alerts {
namespace {

using namespace fixtures;

// The JAG/TI formula written out again, as a reader checks it by hand.
double jag_ti(double temperature_c, double wind_kmh) {
  const double wind = std::pow(wind_kmh, 0.16);
  return 13.12 + 0.6215 * temperature_c - 11.37 * wind + 0.3965 * temperature_c * wind;
}

AlertSettings severe_cold_only() {
  AlertSettings settings;
  settings.strong_wind.enabled = false;
  settings.heat_wave.enabled = false;
  settings.heavy_rain.enabled = false;
  return settings;  // grand froid at or below -10, froid extrême below -18
}

// Hourly records of one day: mild, except a cold night from 00:00 to 06:00 (7 records).
std::vector<Observation> cold_night(double temperature_c, double wind_kmh) {
  std::vector<Observation> records = calm_records(at(0h), at(24h), 1h);
  for (std::chrono::hours hour{0}; hour <= 6h; ++hour) {
    record_at(records, at(hour)).temperature_c = temperature_c;
    record_at(records, at(hour)).wind_speed_kmh = wind_kmh;
  }
  return records;
}

TEST(WindChill, MatchesTheFormulaByHand) {
  EXPECT_NEAR(wind_chill_c(-5, 30), -13.0, 0.01);
  EXPECT_NEAR(wind_chill_c(-12, 40), -23.44, 0.01);
  EXPECT_DOUBLE_EQ(wind_chill_c(-5, 30), jag_ti(-5, 30));
}

TEST(WindChill, OutsideItsDomainItIsTheTemperature) {
  EXPECT_EQ(wind_chill_c(12, 50), 12) << "above 10 °C";
  EXPECT_EQ(wind_chill_c(-5, 4), -5) << "below 4.8 km/h";
  EXPECT_EQ(wind_chill_c(10, 4.8), jag_ti(10, 4.8)) << "both bounds are inside";
}

TEST(WindChill, MissingInputsGiveMissing) {
  EXPECT_TRUE(std::isnan(wind_chill_c(kMissing, 20)));
  EXPECT_TRUE(std::isnan(wind_chill_c(-5, kMissing)));
}

TEST(SevereCold, AColdWindyNightIsGrandFroid) {
  const std::vector<Episode> episodes =
      detect_weather_episodes(cold_night(-5, 30), severe_cold_only());
  ASSERT_EQ(episodes.size(), 1u);
  const Episode& episode = episodes[0];
  EXPECT_EQ(episode.kind, Kind::severe_cold);
  EXPECT_EQ(episode.level, "grand_froid");
  EXPECT_EQ(episode.level_rank, 1);
  EXPECT_EQ(episode.threshold, -10);
  EXPECT_DOUBLE_EQ(episode.peak_value, jag_ti(-5, 30));  // -13.0
  EXPECT_EQ(episode.peak_at, at(0h)) << "the first record at the lowest value";
  EXPECT_EQ(episode.start, at(0h));
  EXPECT_EQ(episode.end, at(7h)) << "the first mild record";
  EXPECT_EQ(episode.triggers.size(), 7u);
  EXPECT_EQ(episode.rule_version, "severe_cold/1 wind chill -10,-18 C");
}

TEST(SevereCold, AColderWindierNightIsFroidExtreme) {
  const std::vector<Episode> episodes =
      detect_weather_episodes(cold_night(-12, 40), severe_cold_only());
  ASSERT_EQ(episodes.size(), 1u);
  EXPECT_EQ(episodes[0].level, "froid_extreme");
  EXPECT_EQ(episodes[0].level_rank, 2);
  EXPECT_EQ(episodes[0].threshold, -18);
  EXPECT_DOUBLE_EQ(episodes[0].peak_value, jag_ti(-12, 40));  // about -23.4
}

TEST(SevereCold, TheSameColdWithoutWindIsNoAlert) {
  // -5 °C in a 3 km/h breeze: outside the formula's domain, the wind chill is -5, above -10.
  EXPECT_TRUE(detect_weather_episodes(cold_night(-5, 3), severe_cold_only()).empty());
  EXPECT_TRUE(detect_weather_episodes(cold_night(-5, 0), severe_cold_only()).empty());
}

TEST(SevereCold, StillAirAtMinusTwelveIsGrandFroidOnTheTemperatureAlone) {
  const std::vector<Episode> episodes =
      detect_weather_episodes(cold_night(-12, 0), severe_cold_only());
  ASSERT_EQ(episodes.size(), 1u);
  EXPECT_EQ(episodes[0].level, "grand_froid");
  EXPECT_EQ(episodes[0].peak_value, -12);
}

TEST(SevereCold, TheLowestWindChillIsThePeak) {
  std::vector<Observation> records = cold_night(-5, 30);
  record_at(records, at(3h)).temperature_c = -8;
  const std::vector<Episode> episodes = detect_weather_episodes(records, severe_cold_only());
  ASSERT_EQ(episodes.size(), 1u);
  EXPECT_DOUBLE_EQ(episodes[0].peak_value, jag_ti(-8, 30));
  EXPECT_EQ(episodes[0].peak_at, at(3h));
}

TEST(SevereCold, ARecordWithoutWindIsNotJudged) {
  // The night's last cold record lacks its wind: it neither triggers nor closes, so the episode
  // ends at the first mild record after it.
  std::vector<Observation> records = cold_night(-5, 30);
  record_at(records, at(6h)).wind_speed_kmh = kMissing;
  record_at(records, at(7h)).wind_speed_kmh = kMissing;
  const std::vector<Episode> episodes = detect_weather_episodes(records, severe_cold_only());
  ASSERT_EQ(episodes.size(), 1u);
  EXPECT_EQ(episodes[0].triggers.size(), 6u);
  EXPECT_EQ(episodes[0].end, at(8h));
}

}  // namespace
}  // namespace meteo::alerts
