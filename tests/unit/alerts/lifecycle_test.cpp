// Detection and reconciliation together, run after run, as the hourly job uses them: the alerts
// table (MemoryAlertStore) must end in the same state whatever the order the data came in.
#include <gtest/gtest.h>

#include "alert_fixtures.hpp"

namespace meteo::alerts {
namespace {

using namespace fixtures;
using std::chrono::days;

using Notified = std::vector<std::pair<std::int64_t, Change>>;

// Quarter-hour records over [00:00, until) with the given gusts (km/h) at the given times.
std::vector<Observation> gusts(
    std::chrono::seconds until,
    const std::vector<std::pair<std::chrono::seconds, double>>& at_times) {
  std::vector<Observation> records = calm_records(at(0h), at(until));
  for (const auto& [moment, gust] : at_times) record_at(records, at(moment)).gust_kmh = gust;
  return records;
}

// Four winter days with an episode of every weather rule, some across day boundaries.
std::vector<Observation> winter_days() {
  std::vector<Observation> records = calm_records(at(0h), at(days(4)));
  record_at(records, at(6h)).gust_kmh = 105;
  record_at(records, at(days(1) + 14h)).gust_kmh = 85;
  record_at(records, at(days(1) + 15h)).gust_kmh = 95;
  for (Observation& record : records) {
    const auto moment = record.observed_at;
    if (moment >= at(days(1) + 20h) && moment < at(days(2) + 4h)) record.rain_mm = 3;
    if (moment >= at(days(2)) && moment < at(days(2) + 6h)) {
      record.temperature_c = -8;
      record.wind_speed_kmh = 35;
    }
  }
  return records;
}

std::vector<Episode> detect(const std::vector<Observation>& records) {
  return detect_weather_episodes(records, AlertSettings{});
}

TEST(AlertLifecycle, ACorrectionRemovingTheTriggerWithdrawsTheAlert) {
  MemoryAlertStore store;
  store.apply(detect(gusts(12h, {{6h, 105}})));
  ASSERT_EQ(store.live().size(), 1u);

  const Reconciliation corrected = store.apply(detect(gusts(12h, {{6h, 30}})));
  EXPECT_TRUE(corrected.writes.empty());
  EXPECT_EQ(corrected.withdrawn, std::vector<std::int64_t>{1});
  EXPECT_TRUE(store.live().empty());
  EXPECT_EQ(store.notified(),
            (Notified{{1, Change::opened}, {1, Change::closed}, {1, Change::withdrawn}}));
}

TEST(AlertLifecycle, AWithdrawnAlertStaysWithdrawnThenComesBackWithItsValue) {
  MemoryAlertStore store;
  store.apply(detect(gusts(12h, {{6h, 105}})));
  store.apply(detect(gusts(12h, {{6h, 30}})));

  const Reconciliation again = store.apply(detect(gusts(12h, {{6h, 30}})));
  EXPECT_TRUE(again.writes.empty());
  EXPECT_TRUE(again.withdrawn.empty()) << "withdrawn once";

  const Reconciliation restored = store.apply(detect(gusts(12h, {{6h, 105}})));
  ASSERT_EQ(restored.writes.size(), 1u);
  EXPECT_EQ(restored.writes[0].id, 1) << "the same alert, not a new one";
  EXPECT_EQ(restored.writes[0].changes, (std::vector<Change>{Change::opened, Change::closed}));
  EXPECT_EQ(store.live().size(), 1u);
}

TEST(AlertLifecycle, ARerunOnTheSameRecordsWritesNothing) {
  MemoryAlertStore store;
  const std::vector<Episode> episodes = detect(winter_days());
  ASSERT_EQ(store.apply(episodes).writes.size(), 4u) << "wind twice, rain, cold";
  const Reconciliation again = store.apply(detect(winter_days()));
  EXPECT_TRUE(again.writes.empty());
  EXPECT_TRUE(again.withdrawn.empty());
}

TEST(AlertLifecycle, MoreDataExtendsTheSameAlertSilently) {
  MemoryAlertStore store;
  store.apply(detect(gusts(6h + 30min, {{6h, 85}})));
  const Reconciliation extended = store.apply(detect(gusts(7h, {{6h, 85}, {6h + 45min, 88}})));
  ASSERT_EQ(extended.writes.size(), 1u);
  EXPECT_EQ(extended.writes[0].id, 1);
  EXPECT_TRUE(extended.writes[0].changes.empty());
  EXPECT_EQ(extended.writes[0].episode.triggers, (std::vector<UtcSeconds>{at(6h), at(6h + 45min)}));
  EXPECT_EQ(store.alerts().size(), 1u);
  EXPECT_EQ(store.notified(), (Notified{{1, Change::opened}}));
}

TEST(AlertLifecycle, AStrongerGustEscalatesThenCalmCloses) {
  MemoryAlertStore store;
  store.apply(detect(gusts(6h + 30min, {{6h, 85}})));

  const Reconciliation escalated = store.apply(detect(gusts(7h, {{6h, 85}, {6h + 30min, 105}})));
  ASSERT_EQ(escalated.writes.size(), 1u);
  EXPECT_EQ(escalated.writes[0].id, 1);
  EXPECT_EQ(escalated.writes[0].changes, std::vector<Change>{Change::escalated});
  EXPECT_EQ(escalated.writes[0].episode.level, "orange");

  const Reconciliation closed = store.apply(detect(gusts(12h, {{6h, 85}, {6h + 30min, 105}})));
  ASSERT_EQ(closed.writes.size(), 1u);
  EXPECT_EQ(closed.writes[0].changes, std::vector<Change>{Change::closed});
  EXPECT_EQ(closed.writes[0].episode.end, at(6h + 45min));
  EXPECT_EQ(store.notified(),
            (Notified{{1, Change::opened}, {1, Change::escalated}, {1, Change::closed}}));
}

TEST(AlertLifecycle, ABackfillInTwoHalvesEndsLikeOnePass) {
  const std::vector<Observation> records = winter_days();
  MemoryAlertStore single;
  single.apply(detect(records));

  // Splits inside the wind's second episode, inside the rain and the cold, and between records.
  const std::vector<std::chrono::seconds> splits{days(1) + 14h + 30min, days(2) + 1h,
                                                 days(2) + 2h + 7min, days(3)};
  for (const std::chrono::seconds split : splits) {
    MemoryAlertStore halves;
    halves.apply(detect(records_before(records, at(split))));
    const Reconciliation rest = halves.apply(detect(records));
    EXPECT_TRUE(rest.withdrawn.empty()) << to_iso8601(at(split));
    EXPECT_EQ(halves.live(), single.live()) << "split at " << to_iso8601(at(split));
    EXPECT_EQ(halves.alerts().size(), single.alerts().size()) << to_iso8601(at(split));
  }
}

TEST(AlertLifecycle, AHeatWaveBackfilledInTwoHalvesEndsLikeOnePass) {
  const std::vector<Observation> week =
      summer_week({{2, {22, 37}}, {3, {22, 37}}, {4, {22, 37}}, {5, {23, 38}}});
  MemoryAlertStore single;
  single.apply(detect(week));
  ASSERT_EQ(single.live().size(), 1u);
  for (const std::chrono::seconds split : {days(4) + 7h, days(5) + 12h, days(6) + 6h}) {
    MemoryAlertStore halves;
    halves.apply(detect(records_before(week, at(split))));
    halves.apply(detect(week));
    EXPECT_EQ(halves.live(), single.live()) << "split at " << to_iso8601(at(split));
  }
}

}  // namespace
}  // namespace meteo::alerts
