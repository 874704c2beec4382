// The lease rows behind the source and run locks: what another node of a cluster sees. Another
// node is played by a row whose holder_node names a server that is not this one.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "meteo/store/ledger.hpp"
#include "store_fixtures.hpp"

namespace meteo::testing {
namespace {

using ::testing::HasSubstr;

const UtcSeconds kHour = at("2026-11-22 06:00:00");

class Leases : public StoreTest {
 protected:
  // A lease as a live run on another node leaves it: expiring in `seconds`.
  void lease_held_elsewhere(const std::string& name, int seconds) {
    db_.execute(
        "INSERT INTO etl_leases (name, token, holder_node, holder_connection, holder_process,"
        " acquired_at, expires_at) VALUES ('" +
        name +
        "', 'elsewhere', 'another-node:3306', 1, 'another host pid 1', UTC_TIMESTAMP(3),"
        " UTC_TIMESTAMP(3) + INTERVAL " +
        std::to_string(seconds) + " SECOND)");
  }
  std::optional<std::string> lease_count() {
    return sql_value(db_, "SELECT COUNT(*) FROM etl_leases");
  }
  std::optional<std::string> lease_value(const std::string& name, const std::string& column) {
    return sql_value(db_, "SELECT " + column + " FROM etl_leases WHERE name = '" + name + "'");
  }
};

TEST_F(Leases, ASourceLockWritesItsLeaseAndDeletesItOnRelease) {
  {
    auto lock = SourceLock::try_acquire(db_, "sensors");
    ASSERT_TRUE(lock.has_value());
    EXPECT_EQ(lease_value("source:sensors", "holder_node = CONCAT(@@hostname, ':', @@datadir)"),
              "1");
    EXPECT_EQ(lease_value("source:sensors", "holder_connection = CONNECTION_ID()"), "1");
  }
  EXPECT_EQ(lease_count(), "0");
}

TEST_F(Leases, ALiveLeaseOnAnotherNodeRefusesTheSourceUntilItExpires) {
  lease_held_elsewhere("source:sensors", 2);
  EXPECT_FALSE(SourceLock::try_acquire(db_, "sensors").has_value());
  EXPECT_TRUE(SourceLock::try_acquire(db_, "toulouse").has_value()) << "another source is free";
  std::this_thread::sleep_for(std::chrono::milliseconds(2200));
  auto lock = SourceLock::try_acquire(db_, "sensors");
  ASSERT_TRUE(lock.has_value()) << "an expired lease is taken over";
  EXPECT_NE(lease_value("source:sensors", "token"), "elsewhere");
}

TEST_F(Leases, ALeaseLeftOnThisServerIsTakenAtOnce) {
  // No session of this server holds the GET_LOCK: whoever wrote the row here is gone.
  db_.execute(
      "INSERT INTO etl_leases (name, token, holder_node, holder_connection, holder_process,"
      " acquired_at, expires_at) VALUES ('source:sensors', 'killed',"
      " CONCAT(@@hostname, ':', @@datadir), 1, 'killed', UTC_TIMESTAMP(3),"
      " UTC_TIMESTAMP(3) + INTERVAL 1 HOUR)");
  EXPECT_TRUE(SourceLock::try_acquire(db_, "sensors").has_value());
}

TEST_F(Leases, AHeldLeaseIsRenewedInTheBackground) {
  auto config = scratch_.config();
  config.lease_ttl = std::chrono::seconds(3);
  auto db = Database::connect(config);
  auto lock = SourceLock::try_acquire(db, "sensors");
  ASSERT_TRUE(lock.has_value());
  const auto first = lease_value("source:sensors", "expires_at");
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  EXPECT_EQ(lease_value("source:sensors", "expires_at > UTC_TIMESTAMP(3)"), "1");
  EXPECT_GT(lease_value("source:sensors", "expires_at"), first) << "renewed every ttl/3";
}

TEST_F(Leases, ALoadWhoseSourceWasTakenOverCommitsNothing) {
  auto lock = SourceLock::try_acquire(db_, "sensors");
  ASSERT_TRUE(lock.has_value());
  // As another node does once this run's lease has expired unrenewed.
  db_.execute("UPDATE etl_leases SET token = 'thief' WHERE name = 'source:sensors'");
  const auto error = error_of([&] { load(kHour, {matched("a", 10.0, 0)}); });
  EXPECT_EQ(error.code(), ExitCode::temporary);
  EXPECT_THAT(error.what(), HasSubstr("source:sensors was taken over by another run"));
  EXPECT_EQ(sql_value(db_, "SELECT COUNT(*) FROM sensor_readings"), "0");
  EXPECT_EQ(sql_value(db_, "SELECT COUNT(*) FROM region_hourly_temperature"), "0");
}

TEST_F(Leases, EachCommittedLoadWritesItsLeasesAndRegionSets) {
  auto lock = SourceLock::try_acquire(db_, "sensors");
  ASSERT_TRUE(lock.has_value());
  load(kHour, {matched("a", 10.0, 0)});
  load(kHour, {matched("b", 11.0, 0)});
  EXPECT_EQ(lease_value("source:sensors", "fence"), "2");
  EXPECT_EQ(sql_value(db_, "SELECT loads FROM region_sets WHERE name = 'fr-regions'"), "2");
}

TEST_F(Leases, ARunLiveOnAnotherNodeIsNotAbandonedUntilItsLeaseExpires) {
  // The ledger row and the lease of a run that a session of another node holds: no session of
  // this server holds its GET_LOCK.
  db_.execute(
      "INSERT INTO etl_runs (source, kind, hour, started_at, status)"
      " VALUES ('sensors', 'run', '2026-11-22 06:00:00', UTC_TIMESTAMP(3), 'running')");
  const auto run = sql_value(db_, "SELECT MAX(id) FROM etl_runs").value_or("");
  lease_held_elsewhere("run:" + run, 2);
  EXPECT_EQ(close_abandoned_runs(db_, "sensors"), 0u);
  std::this_thread::sleep_for(std::chrono::milliseconds(2200));
  EXPECT_EQ(close_abandoned_runs(db_, "sensors"), 1u);
  EXPECT_EQ(lease_count(), "0") << "the closed run's lease is deleted";
}

TEST_F(Leases, AFinishedSessionLeavesNoRunLease) {
  {
    auto db = scratch_.connect();
    begin_run(db, "sensors", kHour);
    begin_run(db, "sensors", kHour);  // a session holds one run's lease at a time
    EXPECT_EQ(lease_count(), "1");
  }
  EXPECT_EQ(lease_count(), "0");
}

TEST_F(Leases, ASessionReplacedByAnotherLeavesNoRunLease) {
  auto db = scratch_.connect();
  begin_run(db, "sensors", kHour);
  EXPECT_EQ(lease_count(), "1");
  db = scratch_.connect();
  EXPECT_EQ(lease_count(), "0");
}

}  // namespace
}  // namespace meteo::testing
