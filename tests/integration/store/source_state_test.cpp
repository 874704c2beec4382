// read_source_state: what `status` and the metrics file judge a source by, from the real ledger.
#include <gtest/gtest.h>

#include <chrono>

#include "meteo/store/ledger.hpp"
#include "meteo/store/reports.hpp"
#include "store_fixtures.hpp"

namespace meteo::testing {
namespace {

UtcSeconds now_seconds() {
  return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

class SourceStateTest : public StoreTest {
 protected:
  // Moves a run's start and end `hours` into the past, as if it had run then.
  void age_run(std::int64_t run_id, int hours) {
    db_.execute("UPDATE etl_runs SET started_at = started_at - INTERVAL " + std::to_string(hours) +
                " HOUR, finished_at = finished_at - INTERVAL " + std::to_string(hours) +
                " HOUR WHERE id = " + std::to_string(run_id));
  }
  std::int64_t last_run_id() {
    return std::stoll(sql_value(db_, "SELECT MAX(id) FROM etl_runs").value());
  }
};

TEST_F(SourceStateTest, ASourceThatNeverRanHasNoRunsAndNoRows) {
  const SourceState state =
      read_source_state(db_, "sensors", SourceKind::sensor_feed, now_seconds());
  EXPECT_FALSE(state.last_success);
  EXPECT_FALSE(state.last_failure);
  EXPECT_FALSE(state.last_finished);
  EXPECT_FALSE(state.newest_succeeded_hour);
  EXPECT_EQ(state.rows_today, 0u);
}

TEST_F(SourceStateTest, LastSuccessAndLastFailureWithItsReason) {
  const auto hour = at("2026-11-22 06:00:00");
  load(hour, {matched("a", 1.0, 0), matched("b", 2.0, 1)});
  const std::int64_t succeeded = last_run_id();
  const std::int64_t failed = begin_run(db_, "sensors", hour + std::chrono::hours(1));
  fail_run(db_, failed, "source unavailable: HTTP 503 from http://sensors.example/");
  begin_run(db_, "sensors", hour + std::chrono::hours(2));  // still running: not finished
  load(hour, {matched("z", 9.0, 0)}, {}, "partner");        // another source

  const auto now = now_seconds();
  const SourceState state = read_source_state(db_, "sensors", SourceKind::sensor_feed, now);
  ASSERT_TRUE(state.last_success);
  EXPECT_EQ(state.last_success->id, succeeded);
  EXPECT_EQ(state.last_success->hour, hour);
  EXPECT_EQ(state.last_success->status, "succeeded");
  EXPECT_EQ(state.last_success->counts.stored, 2u);
  EXPECT_LE(now - state.last_success->finished_at, std::chrono::minutes(5));
  ASSERT_TRUE(state.last_failure);
  EXPECT_EQ(state.last_failure->id, failed);
  EXPECT_EQ(state.last_failure->message,
            "source unavailable: HTTP 503 from http://sensors.example/");
  ASSERT_TRUE(state.last_finished);
  EXPECT_EQ(state.last_finished->id, failed) << "the running row is not finished";
  EXPECT_EQ(state.newest_succeeded_hour, hour) << "the failed 07:00 is no watermark";
  EXPECT_EQ(state.rows_today, 2u) << "partner's reading is partner's";
}

TEST_F(SourceStateTest, RowsTodayCountOnlyRunsFinishedThisUtcDay) {
  const auto hour = at("2026-11-22 06:00:00");
  load(hour, {matched("old-1", 1.0, 0), matched("old-2", 1.0, 0), matched("old-3", 1.0, 0)});
  age_run(last_run_id(), 48);
  load(hour + std::chrono::hours(1), {matched("new", 2.0, 0)});
  const SourceState state =
      read_source_state(db_, "sensors", SourceKind::sensor_feed, now_seconds());
  EXPECT_EQ(state.rows_today, 1u);
  EXPECT_EQ(state.newest_succeeded_hour, hour + std::chrono::hours(1));
}

TEST_F(SourceStateTest, OldSuccessKeepsItsFinishTime) {
  load(at("2026-11-22 06:00:00"), {matched("a", 1.0, 0)});
  age_run(last_run_id(), 3);
  const auto now = now_seconds();
  const SourceState state = read_source_state(db_, "sensors", SourceKind::sensor_feed, now);
  ASSERT_TRUE(state.last_success);
  const auto age = now - state.last_success->finished_at;
  EXPECT_GE(age, std::chrono::hours(3));
  EXPECT_LT(age, std::chrono::hours(3) + std::chrono::minutes(5));
}

TEST_F(SourceStateTest, StationRowsTodayAreTheObservationsOfTheUtcDay) {
  const auto now = now_seconds();
  const UtcSeconds today = std::chrono::floor<std::chrono::days>(now);
  const std::string yesterday = to_sql_datetime(UtcSeconds(today - std::chrono::hours(1)));
  const std::string midnight = to_sql_datetime(today);
  const std::string later = to_sql_datetime(UtcSeconds(today + std::chrono::minutes(15)));
  for (const auto& [source, observed] :
       std::vector<std::pair<std::string, std::string>>{{"stations", yesterday},
                                                        {"stations", midnight},
                                                        {"stations", later},
                                                        {"elsewhere", later}}) {
    db_.execute(
        "INSERT INTO weather_observations (source, dataset_id, observed_at, first_run_id,"
        " last_run_id) VALUES ('" +
        source + "', 'station-a', '" + observed + "', 1, 1)");
  }
  EXPECT_EQ(read_source_state(db_, "stations", SourceKind::station_network, now).rows_today, 2u);
}

TEST(SourceStateUnmigrated, EverySourceHasNeverRun) {
  ScratchDatabase scratch;
  Database db = scratch.connect();
  const SourceState state =
      read_source_state(db, "sensors", SourceKind::sensor_feed, now_seconds());
  EXPECT_FALSE(state.last_success);
  EXPECT_FALSE(state.last_finished);
  EXPECT_EQ(state.rows_today, 0u);
}

}  // namespace
}  // namespace meteo::testing
