#include <gtest/gtest.h>

#include "alert_fixtures.hpp"

namespace meteo::alerts {
namespace {

using namespace fixtures;

Exceedance run(const std::string& pollutant, const std::string& level, std::chrono::hours from,
               std::chrono::hours to, double peak, double threshold) {
  return {pollutant, level, at(from), at(to), peak, at(from), threshold};
}

TEST(Pollution, AnInformationRunIsOneEpisode) {
  const std::vector<Episode> episodes =
      pollution_episodes({run("NO2", "information", 10h, 13h, 215, 200)}, at(24h));
  EXPECT_EQ(describe(episodes),
            std::vector<std::string>{
                "pollution NO2|information/1|2026-01-15T10:00:00Z..2026-01-15T13:00:00Z"
                "|peak 215 at 2026-01-15T10:00:00Z|threshold 200"
                "|pollution/1 measured information,alert exceedances"
                "|triggers 2026-01-15T10:00:00Z"});
}

TEST(Pollution, TouchingRunsMergeAndAnAlertRunEscalates) {
  const std::vector<Episode> episodes = pollution_episodes(
      {run("NO2", "alert", 12h, 14h, 420, 400), run("NO2", "information", 10h, 12h, 260, 200),
       run("NO2", "information", 13h, 16h, 380, 200)},
      at(24h));
  ASSERT_EQ(episodes.size(), 1u);
  const Episode& episode = episodes[0];
  EXPECT_EQ(episode.subject, "NO2");
  EXPECT_EQ(episode.level, "alert");
  EXPECT_EQ(episode.level_rank, 2);
  EXPECT_EQ(episode.threshold, 400);
  EXPECT_EQ(episode.peak_value, 420);
  EXPECT_EQ(episode.peak_at, at(12h));
  EXPECT_EQ(episode.start, at(10h));
  EXPECT_EQ(episode.end, at(16h));
  EXPECT_EQ(episode.triggers, (std::vector<UtcSeconds>{at(10h), at(12h), at(13h)}));
}

TEST(Pollution, SeparateRunsAndPollutantsAreSeparateEpisodes) {
  const std::vector<Episode> episodes = pollution_episodes(
      {run("O3", "information", 14h, 17h, 190, 180), run("NO2", "information", 8h, 9h, 210, 200),
       run("NO2", "information", 10h, 11h, 205, 200)},
      at(24h));
  ASSERT_EQ(episodes.size(), 3u);
  EXPECT_EQ(episodes[0].subject, "NO2");
  EXPECT_EQ(episodes[0].end, at(9h));
  EXPECT_EQ(episodes[1].subject, "NO2");
  EXPECT_EQ(episodes[1].start, at(10h));
  EXPECT_EQ(episodes[2].subject, "O3");
}

TEST(Pollution, ARunReachingTheDataEndIsOpen) {
  const std::vector<Episode> episodes =
      pollution_episodes({run("PM10", "information", 20h, 24h, 60, 50)}, at(24h));
  ASSERT_EQ(episodes.size(), 1u);
  EXPECT_FALSE(episodes[0].end.has_value());
}

TEST(Pollution, AnUnknownLevelIsNoAlert) {
  EXPECT_TRUE(pollution_episodes({run("NO2", "warning", 10h, 11h, 210, 200)}, at(24h)).empty());
}

}  // namespace
}  // namespace meteo::alerts
