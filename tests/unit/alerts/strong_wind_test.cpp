#include <gtest/gtest.h>

#include "alert_fixtures.hpp"

namespace meteo::alerts {
namespace {

using namespace fixtures;

AlertSettings strong_wind_only() {
  AlertSettings settings;
  settings.severe_cold.enabled = false;
  settings.heat_wave.enabled = false;
  settings.heavy_rain.enabled = false;
  return settings;  // quiet_hours 3, gusts 80 and 100 km/h
}

// Quarter-hour records over [00:00, until) with one gust of `gust` km/h at 06:00.
std::vector<Observation> one_gust(double gust, std::chrono::seconds until) {
  std::vector<Observation> records = calm_records(at(0h), at(until));
  record_at(records, at(6h)).gust_kmh = gust;
  return records;
}

TEST(StrongWind, OneGustOf105IsOneOrangeAlertClosedAfterQuietHours) {
  const std::vector<Episode> episodes =
      detect_weather_episodes(one_gust(105, 12h), strong_wind_only());
  EXPECT_EQ(describe(episodes),
            std::vector<std::string>{
                "strong_wind |orange/2|2026-01-15T06:00:00Z..2026-01-15T06:15:00Z"
                "|peak 105 at 2026-01-15T06:00:00Z|threshold 100|strong_wind/1 gust 80,100 km/h"
                "|triggers 2026-01-15T06:00:00Z"});
}

TEST(StrongWind, TheAlertIsOpenWhenTheDataStopRightAfterTheGust) {
  const std::vector<Episode> episodes =
      detect_weather_episodes(one_gust(105, 6h + 30min), strong_wind_only());
  ASSERT_EQ(episodes.size(), 1u);
  EXPECT_EQ(episodes[0].level, "orange");
  EXPECT_EQ(episodes[0].start, at(6h));
  EXPECT_FALSE(episodes[0].end.has_value());
}

TEST(StrongWind, ItClosesWhenTheNewestRecordIsQuietHoursAfterTheLastGust) {
  // Records up to 08:45: 2 h 45 min of calm, still open; up to 09:00: three hours, closed.
  EXPECT_FALSE(detect_weather_episodes(one_gust(105, 9h), strong_wind_only())[0].end);
  const std::vector<Episode> closed =
      detect_weather_episodes(one_gust(105, 9h + 15min), strong_wind_only());
  ASSERT_EQ(closed.size(), 1u);
  EXPECT_EQ(closed[0].end, at(6h + 15min));
}

TEST(StrongWind, AGustOf85IsYellow) {
  const std::vector<Episode> episodes =
      detect_weather_episodes(one_gust(85, 12h), strong_wind_only());
  ASSERT_EQ(episodes.size(), 1u);
  EXPECT_EQ(episodes[0].level, "yellow");
  EXPECT_EQ(episodes[0].level_rank, 1);
  EXPECT_EQ(episodes[0].threshold, 80);
  EXPECT_EQ(episodes[0].peak_value, 85);
}

TEST(StrongWind, GustsLessThanQuietHoursApartAreOneEpisodeAtTheHighestLevel) {
  std::vector<Observation> records = one_gust(85, 12h);
  record_at(records, at(8h + 45min)).gust_kmh = 102;  // 2 h 45 min later: the same episode
  const std::vector<Episode> episodes = detect_weather_episodes(records, strong_wind_only());
  ASSERT_EQ(episodes.size(), 1u);
  EXPECT_EQ(episodes[0].level, "orange");
  EXPECT_EQ(episodes[0].threshold, 100);
  EXPECT_EQ(episodes[0].peak_value, 102);
  EXPECT_EQ(episodes[0].peak_at, at(8h + 45min));
  EXPECT_EQ(episodes[0].triggers, (std::vector<UtcSeconds>{at(6h), at(8h + 45min)}));
  EXPECT_EQ(episodes[0].end, at(9h));
}

TEST(StrongWind, GustsQuietHoursApartAreTwoEpisodes) {
  std::vector<Observation> records = one_gust(85, 13h);
  record_at(records, at(9h)).gust_kmh = 90;
  const std::vector<Episode> episodes = detect_weather_episodes(records, strong_wind_only());
  ASSERT_EQ(episodes.size(), 2u);
  EXPECT_EQ(episodes[0].end, at(6h + 15min));
  EXPECT_EQ(episodes[1].start, at(9h));
  EXPECT_EQ(episodes[1].end, at(9h + 15min));
}

TEST(StrongWind, MissingGustsNeitherTriggerNorClose) {
  std::vector<Observation> records = one_gust(105, 12h);
  for (Observation& record : records) {
    if (record.observed_at > at(6h)) record.gust_kmh = kMissing;
  }
  const std::vector<Episode> episodes = detect_weather_episodes(records, strong_wind_only());
  ASSERT_EQ(episodes.size(), 1u);
  EXPECT_FALSE(episodes[0].end.has_value()) << "no gust measured since: the wind may still blow";

  // The first measured calm record after the gap closes it, at that record.
  records.push_back(calm_record(at(12h)));
  const std::vector<Episode> closed = detect_weather_episodes(records, strong_wind_only());
  ASSERT_EQ(closed.size(), 1u);
  EXPECT_EQ(closed[0].end, at(12h));
}

TEST(StrongWind, ACalmRecordAtTheGustsTimeDoesNotEndItThere) {
  // Two records of one moment (a station sending twice): the episode still ends at a later one.
  std::vector<Observation> records = one_gust(105, 12h);
  records.insert(records.begin() + 25, calm_record(at(6h)));
  const std::vector<Episode> episodes = detect_weather_episodes(records, strong_wind_only());
  ASSERT_EQ(episodes.size(), 1u);
  EXPECT_EQ(episodes[0].end, at(6h + 15min));
}

TEST(StrongWind, CalmRecordsGiveNothing) {
  EXPECT_TRUE(detect_weather_episodes(calm_records(at(0h), at(24h)), strong_wind_only()).empty());
  EXPECT_TRUE(detect_weather_episodes({}, AlertSettings{}).empty());
}

TEST(StrongWind, ADisabledRuleGivesNothing) {
  AlertSettings settings = strong_wind_only();
  settings.strong_wind.enabled = false;
  EXPECT_TRUE(detect_weather_episodes(one_gust(105, 12h), settings).empty());
}

TEST(StrongWind, UnsortedRecordsGiveTheSameEpisodes) {
  std::vector<Observation> records = one_gust(105, 12h);
  std::vector<Observation> reversed(records.rbegin(), records.rend());
  EXPECT_EQ(describe(detect_weather_episodes(reversed, strong_wind_only())),
            describe(detect_weather_episodes(records, strong_wind_only())));
}

}  // namespace
}  // namespace meteo::alerts
