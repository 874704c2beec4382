#include <gtest/gtest.h>

#include "alert_fixtures.hpp"

namespace meteo::alerts {
namespace {

using namespace fixtures;
using std::chrono::days;

AlertSettings heat_wave_only() {
  AlertSettings settings;
  settings.strong_wind.enabled = false;
  settings.severe_cold.enabled = false;
  settings.heavy_rain.enabled = false;
  return settings;  // means of 3 days: minima 21 °C, maxima 36 °C
}

std::map<int, DayTemperatures> three_days(DayTemperatures temperatures) {
  return {{2, temperatures}, {3, temperatures}, {4, temperatures}};
}

TEST(HeatWave, ThreeDaysJustAboveTheThresholdsAreOneCanicule) {
  const std::vector<Episode> episodes =
      detect_weather_episodes(summer_week(three_days({21.2, 36.3})), heat_wave_only());
  // Day 4 is the first whose three-day means reach both thresholds; day 5's do not.
  EXPECT_EQ(
      describe(episodes),
      std::vector<std::string>{"heat_wave |canicule/1|2026-01-19T00:00:00Z..2026-01-20T00:00:00Z"
                               "|peak 36.3 at 2026-01-19T00:00:00Z|threshold 36"
                               "|heat_wave/1 means of minima,maxima 21,36 C over 3 days"
                               "|triggers 2026-01-19T00:00:00Z"});
}

TEST(HeatWave, MinimaJustBelowGiveNothing) {
  EXPECT_TRUE(
      detect_weather_episodes(summer_week(three_days({20.9, 36.3})), heat_wave_only()).empty());
}

TEST(HeatWave, MaximaJustBelowGiveNothing) {
  EXPECT_TRUE(
      detect_weather_episodes(summer_week(three_days({21.2, 35.9})), heat_wave_only()).empty());
}

TEST(HeatWave, FourHotDaysAreOneEpisodeOfTwoDays) {
  std::map<int, DayTemperatures> hot = three_days({22, 37});
  hot[5] = {23, 38};
  const std::vector<Episode> episodes = detect_weather_episodes(summer_week(hot), heat_wave_only());
  ASSERT_EQ(episodes.size(), 1u);
  EXPECT_EQ(episodes[0].start, at(days(4)));
  EXPECT_EQ(episodes[0].end, at(days(6)));
  EXPECT_EQ(episodes[0].triggers, (std::vector<UtcSeconds>{at(days(4)), at(days(5))}));
  EXPECT_NEAR(episodes[0].peak_value, (37 + 37 + 38) / 3.0, 1e-9);
  EXPECT_EQ(episodes[0].peak_at, at(days(5)));
}

TEST(HeatWave, ItIsOpenUntilALaterDayIsComplete) {
  // Data up to day 6 05:00: day 5's maximum window (to day 6 06:00) lacks an hour but holds 23 of
  // 24, so day 5 is complete and closes the episode; up to day 5 23:00, it holds 17: open.
  const std::vector<Observation> week = summer_week(three_days({21.2, 36.3}));
  const std::vector<Episode> open =
      detect_weather_episodes(records_before(week, at(days(5) + 23h)), heat_wave_only());
  ASSERT_EQ(open.size(), 1u);
  EXPECT_FALSE(open[0].end.has_value());
  const std::vector<Episode> closed =
      detect_weather_episodes(records_before(week, at(days(6) + 5h)), heat_wave_only());
  ASSERT_EQ(closed.size(), 1u);
  EXPECT_EQ(closed[0].end, at(days(5)));
}

TEST(HeatWave, ADayMissingAQuarterOfItsHoursIsNotCounted) {
  // Seven hours of day 3's afternoon and evening are missing: its maximum window holds 17 hours,
  // so the running means of days 3, 4 and 5 are unknown and no day is a heat-wave day.
  std::vector<Observation> week = summer_week(three_days({22, 37}));
  std::erase_if(week, [](const Observation& record) {
    return record.observed_at >= at(days(3) + 12h) && record.observed_at < at(days(3) + 19h);
  });
  EXPECT_TRUE(detect_weather_episodes(week, heat_wave_only()).empty());
}

TEST(HeatWave, SixMissingHoursStillLeaveTheDayComplete) {
  std::vector<Observation> week = summer_week(three_days({22, 37}));
  std::erase_if(week, [](const Observation& record) {
    return record.observed_at >= at(days(3) + 12h) && record.observed_at < at(days(3) + 18h);
  });
  EXPECT_EQ(detect_weather_episodes(week, heat_wave_only()).size(), 1u);
}

}  // namespace
}  // namespace meteo::alerts
