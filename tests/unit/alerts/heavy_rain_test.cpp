#include <gtest/gtest.h>

#include "alert_fixtures.hpp"

namespace meteo::alerts {
namespace {

using namespace fixtures;

AlertSettings heavy_rain_only() {
  AlertSettings settings;
  settings.strong_wind.enabled = false;
  settings.severe_cold.enabled = false;
  settings.heat_wave.enabled = false;
  return settings;  // 20 and 40 mm in an hour, 50 and 100 mm in 24 hours
}

// Quarter-hour records of two dry days, with `per_record` mm in each record of 10:00-11:00.
std::vector<Observation> one_wet_hour(double per_record) {
  std::vector<Observation> records = calm_records(at(0h), at(48h));
  for (auto minute : {0min, 15min, 30min, 45min}) {
    record_at(records, at(10h + minute)).rain_mm = per_record;
  }
  return records;
}

// Hourly records of two days and a half, with `mm` in each of the first `hours` hours.
std::vector<Observation> steady_rain(double mm, int hours) {
  std::vector<Observation> records = calm_records(at(0h), at(60h), 1h);
  for (int hour = 0; hour < hours; ++hour) {
    record_at(records, at(std::chrono::hours(hour))).rain_mm = mm;
  }
  return records;
}

TEST(HeavyRain, TwentyFourMillimetresInOneHourIsYellow) {
  const std::vector<Episode> episodes = detect_weather_episodes(one_wet_hour(6), heavy_rain_only());
  EXPECT_EQ(describe(episodes),
            std::vector<std::string>{
                "heavy_rain |yellow/1|2026-01-15T10:00:00Z..2026-01-15T11:00:00Z"
                "|peak 24 at 2026-01-15T10:00:00Z|threshold 20"
                "|heavy_rain/1 20,40 mm/h 50,100 mm/24h|triggers 2026-01-15T10:00:00Z"});
}

TEST(HeavyRain, FortyFourMillimetresInOneHourIsOrange) {
  const std::vector<Episode> episodes =
      detect_weather_episodes(one_wet_hour(11), heavy_rain_only());
  ASSERT_EQ(episodes.size(), 1u);
  EXPECT_EQ(episodes[0].level, "orange");
  EXPECT_EQ(episodes[0].threshold, 40);
  EXPECT_EQ(episodes[0].peak_value, 44);
}

TEST(HeavyRain, SteadyRainReachesTheDailyThreshold) {
  // 3 mm an hour for 20 hours: the 24-hour sum reaches 51 mm at 16:00 and 60 at 19:00; it stays
  // at or above 50 until 02:00 the next day (hours 03:00-19:00 of the first day, 17 x 3 = 51),
  // and 03:00 (48 mm) ends the episode.
  const std::vector<Episode> episodes =
      detect_weather_episodes(steady_rain(3, 20), heavy_rain_only());
  ASSERT_EQ(episodes.size(), 1u);
  const Episode& episode = episodes[0];
  EXPECT_EQ(episode.level, "yellow");
  EXPECT_EQ(episode.threshold, 50) << "the 24-hour threshold: the hourly amount is far below";
  EXPECT_EQ(episode.peak_value, 60);
  EXPECT_EQ(episode.peak_at, at(19h));
  EXPECT_EQ(episode.start, at(16h));
  EXPECT_EQ(episode.triggers.size(), 11u);
  EXPECT_EQ(episode.triggers.back(), at(26h));
  EXPECT_EQ(episode.end, at(27h));
}

TEST(HeavyRain, TheHigherOfTheTwoAmountsGivesTheLevel) {
  // 22 mm an hour for five hours: yellow every hour, and 110 mm in 24 hours is orange.
  const std::vector<Episode> episodes =
      detect_weather_episodes(steady_rain(22, 5), heavy_rain_only());
  ASSERT_EQ(episodes.size(), 1u);
  EXPECT_EQ(episodes[0].level, "orange");
  EXPECT_EQ(episodes[0].threshold, 100);
  EXPECT_EQ(episodes[0].peak_value, 110);
  EXPECT_EQ(episodes[0].peak_at, at(4h));
  EXPECT_EQ(episodes[0].start, at(0h));
}

TEST(HeavyRain, WhenTheHourlyAmountGivesTheLevelItsPeakIsHourly) {
  // 45 mm in one hour (orange), then 2.5 mm an hour for 23 hours: 102.5 mm in 24 hours, orange
  // too. The hourly amount reached orange, so the peak and threshold are hourly ones.
  std::vector<Observation> records = steady_rain(2.5, 24);
  record_at(records, at(0h)).rain_mm = 45;
  const std::vector<Episode> episodes = detect_weather_episodes(records, heavy_rain_only());
  ASSERT_EQ(episodes.size(), 1u);
  EXPECT_EQ(episodes[0].level, "orange");
  EXPECT_EQ(episodes[0].threshold, 40);
  EXPECT_EQ(episodes[0].peak_value, 45);
}

TEST(HeavyRain, MissingRainIsNoDryHour) {
  // The wet hour is followed by hours without a rain gauge reading: the episode stays open.
  std::vector<Observation> records = one_wet_hour(6);
  for (Observation& record : records) {
    if (record.observed_at >= at(11h)) record.rain_mm = kMissing;
  }
  const std::vector<Episode> episodes = detect_weather_episodes(records, heavy_rain_only());
  ASSERT_EQ(episodes.size(), 1u);
  EXPECT_FALSE(episodes[0].end.has_value());
}

TEST(HeavyRain, LightRainGivesNothing) {
  EXPECT_TRUE(detect_weather_episodes(steady_rain(2, 24), heavy_rain_only()).empty());
}

}  // namespace
}  // namespace meteo::alerts
