#include <gtest/gtest.h>

#include "alert_fixtures.hpp"

namespace meteo::alerts {
namespace {

using namespace fixtures;

Episode wind(std::chrono::seconds from, std::optional<std::chrono::seconds> to, int rank = 1) {
  Episode episode;
  episode.kind = Kind::strong_wind;
  episode.level = rank == 2 ? "orange" : "yellow";
  episode.level_rank = rank;
  episode.start = at(from);
  if (to) episode.end = at(*to);
  episode.peak_value = rank == 2 ? 105 : 85;
  episode.peak_at = at(from);
  episode.threshold = rank == 2 ? 100 : 80;
  episode.rule_version = "strong_wind/1 gust 80,100 km/h";
  episode.triggers = {at(from)};
  return episode;
}

TEST(Reconcile, ANewClosedEpisodeIsInsertedOpenedAndClosed) {
  const Reconciliation result = reconcile({}, {wind(6h, 6h + 15min)});
  ASSERT_EQ(result.writes.size(), 1u);
  EXPECT_FALSE(result.writes[0].id.has_value());
  EXPECT_EQ(result.writes[0].changes, (std::vector<Change>{Change::opened, Change::closed}));
  EXPECT_TRUE(result.withdrawn.empty());
}

TEST(Reconcile, ANewOpenEpisodeIsOpenedOnly) {
  const Reconciliation result = reconcile({}, {wind(6h, std::nullopt)});
  ASSERT_EQ(result.writes.size(), 1u);
  EXPECT_EQ(result.writes[0].changes, std::vector<Change>{Change::opened});
}

TEST(Reconcile, AnUnchangedAlertIsNotWritten) {
  const Reconciliation result = reconcile({{7, wind(6h, 6h + 15min)}}, {wind(6h, 6h + 15min)});
  EXPECT_TRUE(result.writes.empty());
  EXPECT_TRUE(result.withdrawn.empty());
}

TEST(Reconcile, ExtensionIsWrittenWithoutChanges) {
  Episode longer = wind(6h, std::nullopt);
  longer.triggers.push_back(at(7h));
  const Reconciliation result = reconcile({{7, wind(6h, std::nullopt)}}, {longer});
  ASSERT_EQ(result.writes.size(), 1u);
  EXPECT_EQ(result.writes[0].id, 7);
  EXPECT_TRUE(result.writes[0].changes.empty());
}

TEST(Reconcile, AHigherLevelEscalates) {
  const Reconciliation result =
      reconcile({{7, wind(6h, std::nullopt)}}, {wind(6h, std::nullopt, 2)});
  ASSERT_EQ(result.writes.size(), 1u);
  EXPECT_EQ(result.writes[0].changes, std::vector<Change>{Change::escalated});
}

TEST(Reconcile, AnEndClosesAndALowerLevelNotifiesNothing) {
  const Reconciliation closing = reconcile({{7, wind(6h, std::nullopt)}}, {wind(6h, 6h + 15min)});
  ASSERT_EQ(closing.writes.size(), 1u);
  EXPECT_EQ(closing.writes[0].changes, std::vector<Change>{Change::closed});

  const Reconciliation lowered = reconcile({{7, wind(6h, 6h + 15min, 2)}}, {wind(6h, 6h + 15min)});
  ASSERT_EQ(lowered.writes.size(), 1u);
  EXPECT_TRUE(lowered.writes[0].changes.empty()) << "a correction lowered it: no new alert";
}

TEST(Reconcile, AnUnsupportedAlertIsWithdrawnOnce) {
  const Reconciliation result = reconcile({{7, wind(6h, 6h + 15min)}}, {});
  EXPECT_EQ(result.withdrawn, std::vector<std::int64_t>{7});
  EXPECT_TRUE(reconcile({{7, wind(6h, 6h + 15min), true}}, {}).withdrawn.empty());
}

TEST(Reconcile, AWithdrawnAlertSupportedAgainIsOpenedAgain) {
  const Reconciliation result =
      reconcile({{7, wind(6h, std::nullopt), true}}, {wind(6h, std::nullopt)});
  ASSERT_EQ(result.writes.size(), 1u);
  EXPECT_EQ(result.writes[0].id, 7);
  EXPECT_EQ(result.writes[0].changes, std::vector<Change>{Change::opened});
}

TEST(Reconcile, AnEpisodeMergingTwoAlertsKeepsTheEarliest) {
  Episode merged = wind(6h, 10h);
  merged.triggers.push_back(at(8h));
  const Reconciliation result =
      reconcile({{9, wind(8h, 8h + 15min)}, {4, wind(6h, 6h + 15min)}}, {merged});
  ASSERT_EQ(result.writes.size(), 1u);
  EXPECT_EQ(result.writes[0].id, 4);
  EXPECT_EQ(result.withdrawn, std::vector<std::int64_t>{9});
}

TEST(Reconcile, OnlyTheSameKindAndSubjectMatch) {
  Episode cold = wind(6h, 7h);
  cold.kind = Kind::severe_cold;
  Episode ozone = wind(6h, 7h);
  ozone.kind = Kind::pollution;
  ozone.subject = "O3";
  Episode nitrogen = ozone;
  nitrogen.subject = "NO2";
  const Reconciliation result = reconcile({{1, wind(6h, 7h)}, {2, ozone}}, {cold, nitrogen});
  EXPECT_EQ(result.writes.size(), 2u);
  for (const AlertWrite& write : result.writes) EXPECT_FALSE(write.id.has_value());
  EXPECT_EQ(result.withdrawn, (std::vector<std::int64_t>{1, 2}));
}

TEST(Reconcile, EpisodesThatDoNotOverlapDoNotMatch) {
  // [06:00, 06:15) and [06:15, ...) touch but do not overlap: a new alert, the old one withdrawn.
  const Reconciliation result =
      reconcile({{1, wind(6h, 6h + 15min)}}, {wind(6h + 15min, std::nullopt)});
  ASSERT_EQ(result.writes.size(), 1u);
  EXPECT_FALSE(result.writes[0].id.has_value());
  EXPECT_EQ(result.withdrawn, std::vector<std::int64_t>{1});
}

TEST(Reconcile, WritesComeByStartThenKind) {
  Episode rain = wind(6h, 7h);
  rain.kind = Kind::heavy_rain;
  const Reconciliation result = reconcile({}, {wind(9h, 10h), rain, wind(6h, 7h)});
  ASSERT_EQ(result.writes.size(), 3u);
  EXPECT_EQ(result.writes[0].episode.kind, Kind::strong_wind);
  EXPECT_EQ(result.writes[1].episode.kind, Kind::heavy_rain);
  EXPECT_EQ(result.writes[2].episode.start, at(9h));
}

}  // namespace
}  // namespace meteo::alerts
