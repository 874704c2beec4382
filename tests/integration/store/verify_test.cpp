// verify_stored_data on a real database: a clean load passes every check, and each kind of damage
// is reported by its check, exactly once, naming the damaged row.
#include "meteo/store/verify.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "meteo/archive/raw_archive.hpp"
#include "meteo/store/ledger.hpp"
#include "station_fixtures.hpp"

namespace meteo::testing {
namespace {

namespace fs = std::filesystem;

const UtcSeconds kNow = at("2026-11-22 12:00:00");

class Verify : public StationStoreTest {
 protected:
  Verify() {
    fs::create_directories(archive_root_);
    scope_.archive.root = archive_root_;
    scope_.sources = {{"sensors", SourceKind::sensor_feed, {"fr-regions"}},
                      {kStationSource, SourceKind::station_network, {communes_.name}}};
  }
  ~Verify() override { fs::remove_all(archive_root_); }

  // A sensor run as `run` makes it: the payload archived and recorded, then loaded.
  std::int64_t load_archived(UtcSeconds hour, std::vector<MatchedReading> readings) {
    const auto run_id = begin_run(db_, "sensors", hour);
    const PayloadOrigin origin{"sensors", hour, run_id, 0, UtcMicros(hour), "http://sensors", 200};
    record_raw_payload(db_, RawArchive(scope_.archive).write(origin, "[]"));
    RunBatch run = batch(run_id, hour, std::move(readings));
    run.fetched_at = UtcMicros(hour);
    load_run(db_, run);
    return run_id;
  }

  // Two sensor hours (one reading outside every region, one corrected later) and two stations.
  void load_clean_history() {
    first_run_ = load_archived(at("2026-11-22 06:00:00"),
                               {matched("a", 10.0, 0), matched("b", 4.0, 1), matched("b2", 6.0, 1),
                                matched("out", 1.0, std::nullopt)});
    load_archived(at("2026-11-22 07:00:00"), {matched("a", 11.0, 0), matched("c", 20.0, 0)});
    sync_default_stations();
    load_stations(kStationA,
                  {observation(kStationA, "2026-11-22 09:15:00", 12.0),
                   observation(kStationA, "2026-11-22 09:45:00", 13.0)},
                  at("2026-11-22 10:00:00"));
    load_stations(kStationB, {observation(kStationB, "2026-11-22 09:30:00", 8.0)},
                  at("2026-11-22 10:00:00"));
  }

  VerifyReport verify(VerifyWindow window = {}) {
    return verify_stored_data(db_, scope_, window, kNow);
  }

  fs::path archive_root_ =
      fs::temp_directory_path() / ("meteo-verify-" + std::to_string(::getpid()) + "-" +
                                   ::testing::UnitTest::GetInstance()->current_test_info()->name());
  VerifyScope scope_;
  std::int64_t first_run_ = 0;
};

const VerifyCheck& check_named(const VerifyReport& report, const std::string& name) {
  const auto found = std::find_if(report.checks.begin(), report.checks.end(),
                                  [&](const VerifyCheck& check) { return check.name == name; });
  if (found == report.checks.end()) throw std::runtime_error("no check " + name);
  return *found;
}

// `name` reports exactly one violation containing every fragment; every other check passes.
void expect_single_violation(const VerifyReport& report, const std::string& name,
                             const std::vector<std::string>& fragments) {
  for (const auto& check : report.checks) {
    if (check.name != name) {
      EXPECT_TRUE(check.passed()) << check.name << ": "
                                  << ::testing::PrintToString(check.violations);
      continue;
    }
    EXPECT_EQ(check.violation_count, 1u) << ::testing::PrintToString(check.violations);
    ASSERT_EQ(check.violations.size(), std::min<std::size_t>(check.violation_count, 1));
    for (const auto& fragment : fragments) {
      EXPECT_NE(check.violations.front().find(fragment), std::string::npos)
          << "'" << fragment << "' not in: " << check.violations.front();
    }
  }
}

TEST_F(Verify, ACleanDatabasePassesEveryCheck) {
  load_clean_history();
  const VerifyReport report = verify();
  std::vector<std::string> names;
  for (const auto& check : report.checks) {
    names.push_back(check.name);
    EXPECT_TRUE(check.passed()) << check.name << ": " << ::testing::PrintToString(check.violations);
    EXPECT_FALSE(check.checked.empty());
  }
  EXPECT_EQ(names,
            (std::vector<std::string>{"aggregates", "ledger", "regions", "views", "watermarks"}));
  EXPECT_TRUE(report.passed());
}

TEST_F(Verify, AnEmptyMigratedDatabasePasses) {
  EXPECT_TRUE(verify().passed());
}

TEST_F(Verify, AnAggregateThatDiffersFromItsReadingsNamesRegionAndHour) {
  load_clean_history();
  db_.execute(
      "UPDATE region_hourly_temperature SET temperature = temperature + 0.5"
      " WHERE region_set = 'fr-regions' AND region_code = '84'"
      " AND hour = '2026-11-22 06:00:00'");
  expect_single_violation(verify(), "aggregates",
                          {"fr-regions 84 (Auvergne-Rhône-Alpes) 2026-11-22 06:00:00", "stored 5.5",
                           "recomputed 5 over 2 point(s)"});
}

TEST_F(Verify, ADifferenceWithinTheRelativeToleranceIsNoViolation) {
  load_clean_history();
  db_.execute(
      "UPDATE region_hourly_temperature SET temperature = temperature * (1 + 1e-13)"
      " WHERE region_set = 'fr-regions' AND region_code = '84'");
  EXPECT_TRUE(verify().passed());
}

TEST_F(Verify, AnExactSumThatDiffersFromItsReadingsIsReported) {
  load_clean_history();
  // One unit is 2^-80 °C: far within the mean's tolerance, yet the sums that runs add to are exact.
  db_.execute(
      "UPDATE region_hourly_temperature SET temperature_sum = temperature_sum + 1"
      " WHERE region_set = 'fr-regions' AND region_code = '84'"
      " AND hour = '2026-11-22 06:00:00'");
  expect_single_violation(verify(), "aggregates",
                          {"fr-regions 84 (Auvergne-Rhône-Alpes) 2026-11-22 06:00:00",
                           "recomputed 5 over 2 point(s); exact sum stored "});
}

TEST_F(Verify, ARowWithoutItsExactSumYetIsNoViolation) {
  load_clean_history();
  db_.execute("UPDATE region_hourly_temperature SET temperature_sum = NULL");
  EXPECT_TRUE(verify().passed());
}

TEST_F(Verify, AStaleAggregateIsReported) {
  load_clean_history();
  db_.execute(
      "INSERT INTO region_hourly_temperature (hour, region_set, region_code, region,"
      " temperature, numberOfPoints, updated_at) VALUES ('2026-11-22 08:00:00',"
      " 'fr-regions', '11', 'Île-de-France', 9, 1, UTC_TIMESTAMP(3))");
  expect_single_violation(verify(), "aggregates",
                          {"fr-regions 11 (Île-de-France) 2026-11-22 08:00:00", "stale"});
}

TEST_F(Verify, AMissingAggregateIsReported) {
  load_clean_history();
  db_.execute(
      "DELETE FROM region_hourly_temperature WHERE region_set = 'toulouse-communes'"
      " AND region_code = '31069'");
  expect_single_violation(verify(), "aggregates",
                          {"toulouse-communes 31069 (Blagnac) 2026-11-22 09:00:00", "missing",
                           "recomputed 8 over 1 point(s)"});
}

TEST_F(Verify, AStationDayThatDiffersFromItsObservationsIsReported) {
  load_clean_history();
  db_.execute("UPDATE station_daily_weather SET rain_sum = 3.5 WHERE dataset_id = '" + kStationA +
              "'");
  expect_single_violation(verify(), "aggregates",
                          {"station toulouse " + kStationA + " day 2026-11-22", "rain 3.5",
                           "over 1 hour(s); recomputed mean 12.5"});
}

TEST_F(Verify, AnObservationOutsideEveryDayOfItsStationIsReported) {
  load_clean_history();
  // 09:15 UTC left outside the day's bounds; the day still holds 09:45, so only the first is.
  db_.execute(
      "UPDATE station_daily_weather SET start_utc = '2026-11-22 09:30:00',"
      " temperature_mean = 13, temperature_min = 13, hours_observed = 1"
      " WHERE dataset_id = '" +
      kStationA + "'");
  expect_single_violation(
      verify(), "aggregates",
      {kStationA, "observation at 2026-11-22 09:15:00", "is in no station_daily_weather day"});
}

TEST_F(Verify, AReadingWithoutItsRegionSetEntryIsReported) {
  load_clean_history();
  // The reading outside every region: its aggregates stay right, only the entry is gone.
  db_.execute(
      "UPDATE sensor_readings SET region_set = NULL, region_code = NULL WHERE reading_id = 'out'");
  expect_single_violation(verify(), "regions",
                          {"reading out of sensors", "no entry in region set fr-regions"});
}

TEST_F(Verify, ARegionCodeTheSetDoesNotHaveIsReported) {
  load_clean_history();
  db_.execute("UPDATE sensor_readings SET region_code = '99' WHERE reading_id = 'out'");
  expect_single_violation(verify(), "regions",
                          {"reading out of sensors", "region 99 is not in region set fr-regions"});
}

TEST_F(Verify, AStationWithoutItsRegionSetEntryIsReported) {
  load_clean_history();
  db_.execute("UPDATE station_regions SET region_set = 'elsewhere' WHERE dataset_id = '" +
              kStationB + "'");
  const VerifyReport report = verify();
  // Blagnac's aggregate lost its measurements too: both checks say so.
  EXPECT_EQ(check_named(report, "aggregates").violation_count, 1u);
  const auto& regions = check_named(report, "regions");
  ASSERT_EQ(regions.violation_count, 2u) << ::testing::PrintToString(regions.violations);
  EXPECT_NE(regions.violations[0].find("station " + kStationB +
                                       " of toulouse: no entry in region set toulouse-communes"),
            std::string::npos)
      << regions.violations[0];
  EXPECT_NE(regions.violations[1].find("region 31069 is not in region set elsewhere"),
            std::string::npos)
      << regions.violations[1];
}

TEST_F(Verify, ARunWhoseCountsDoNotBalanceIsReported) {
  load_clean_history();
  db_.execute("UPDATE etl_runs SET `stored` = `stored` + 1 WHERE id = " +
              std::to_string(first_run_));
  expect_single_violation(
      verify(), "ledger",
      {"run " + std::to_string(first_run_) + " of sensors", "fetched 4", "= 5"});
}

TEST_F(Verify, AReadingNamingARunThatDidNotSucceedIsReported) {
  load_clean_history();
  db_.execute("UPDATE sensor_readings SET last_run_id = 999999 WHERE reading_id = 'b'");
  expect_single_violation(verify(), "ledger",
                          {"reading b of sensors", "last_run_id 999999 is not a succeeded run"});
}

TEST_F(Verify, ARunWithoutItsRawPayloadIsReported) {
  load_clean_history();
  db_.execute("DELETE FROM raw_payloads WHERE run_id = " + std::to_string(first_run_));
  expect_single_violation(
      verify(), "ledger",
      {"run " + std::to_string(first_run_) + " of sensors", "without a raw_payloads row"});
}

TEST_F(Verify, ACorruptArchiveFileIsReported) {
  load_clean_history();
  const std::string path =
      *sql_value(db_, "SELECT path FROM raw_payloads WHERE run_id = " + std::to_string(first_run_));
  std::ofstream(archive_root_ / path, std::ios::binary | std::ios::trunc) << "not gzip at all";
  expect_single_violation(verify(), "ledger", {"raw payload", path});
}

TEST_F(Verify, AMissingArchiveFileIsReportedUnlessPruned) {
  load_clean_history();
  const std::string path =
      *sql_value(db_, "SELECT path FROM raw_payloads WHERE run_id = " + std::to_string(first_run_));
  fs::remove(archive_root_ / path);
  expect_single_violation(verify(), "ledger", {"raw payload", path});

  mark_raw_payloads_pruned(db_, {path});
  EXPECT_TRUE(verify().passed());
}

// Several configurations may share a database, each with its sources and its own archive root:
// verify looks for the payloads of its configured sources only, in its own root.
TEST_F(Verify, OnlyThePayloadsOfTheConfiguredSourcesAreLookedForInTheArchive) {
  load_clean_history();
  auto elsewhere_archive = scope_.archive;
  elsewhere_archive.root = archive_root_.string() + "-elsewhere";
  const auto hour = at("2026-11-22 06:00:00");
  const auto run_id = begin_run(db_, "elsewhere", hour);
  const PayloadOrigin origin{"elsewhere",        hour, run_id, 0, UtcMicros(hour),
                             "http://elsewhere", 200};
  const ArchivedPayload payload = RawArchive(elsewhere_archive).write(origin, "[]");
  record_raw_payload(db_, payload);
  fs::remove_all(elsewhere_archive.root);
  const std::string path = payload.relative_path.string();
  EXPECT_TRUE(verify().passed()) << "elsewhere is another configuration's source";

  scope_.sources.push_back({"elsewhere", SourceKind::sensor_feed, {}});
  expect_single_violation(verify(), "ledger", {"raw payload", path});
}

TEST_F(Verify, ADroppedViewIsReported) {
  load_clean_history();
  db_.execute("DROP VIEW region_temperature_3h");
  expect_single_violation(verify(), "views", {"region_temperature_3h does not exist"});
}

TEST_F(Verify, AViewWithoutAColumnIsReported) {
  load_clean_history();
  db_.execute(
      "CREATE OR REPLACE SQL SECURITY INVOKER VIEW region_temperature_3h AS"
      " SELECT RegionSet, RegionCode, Region, Hour, Temperature"
      " FROM region_temperature_3h_v1");
  expect_single_violation(verify(), "views",
                          {"region_temperature_3h has no column Temperature3HoursBefore"});
}

TEST_F(Verify, ANewestObservationAheadOfTheObservationsIsReported) {
  load_clean_history();
  db_.execute(
      "UPDATE station_datasets SET newest_observation = '2026-11-22 11:00:00'"
      " WHERE dataset_id = '" +
      kStationA + "'");
  expect_single_violation(verify(), "watermarks",
                          {"station dataset " + kStationA, "newest_observation 2026-11-22 11:00:00",
                           "newest stored observation is 2026-11-22 09:45:00"});
}

TEST_F(Verify, AReadThroughAfterNowIsReported) {
  load_clean_history();
  db_.execute(
      "UPDATE station_datasets SET read_through = '2026-11-22 13:00:00'"
      " WHERE dataset_id = '" +
      kStationB + "'");
  expect_single_violation(verify(), "watermarks",
                          {"station dataset " + kStationB, "read_through 2026-11-22 13:00:00"});
}

TEST_F(Verify, ASensorRunForAFutureHourIsReported) {
  load_clean_history();
  load_archived(at("2026-11-22 14:00:00"), {matched("d", 3.0, 0)});
  expect_single_violation(verify(), "watermarks",
                          {"source sensors", "newest succeeded run hour 2026-11-22 14:00:00"});
}

TEST_F(Verify, TheWindowLimitsTheHoursChecked) {
  load_clean_history();
  db_.execute(
      "UPDATE region_hourly_temperature SET temperature = 99"
      " WHERE region_set = 'fr-regions' AND hour = '2026-11-22 06:00:00'");
  EXPECT_TRUE(verify({at("2026-11-22 07:00:00"), at("2026-11-22 08:00:00")}).passed());
  EXPECT_TRUE(verify({at("2026-11-22 07:00:00"), std::nullopt}).passed());
  EXPECT_EQ(
      check_named(verify({std::nullopt, at("2026-11-22 07:00:00")}), "aggregates").violation_count,
      2u);
}

TEST_F(Verify, ListsTheFirstViolationsAndCountsThemAll) {
  std::vector<MatchedReading> readings;
  for (int i = 0; i < 30; ++i)
    readings.push_back(matched("r" + std::to_string(i), i, std::nullopt));
  load_archived(at("2026-11-22 06:00:00"), std::move(readings));
  db_.execute("UPDATE sensor_readings SET region_set = NULL, region_code = NULL");
  const VerifyReport report = verify();  // kept alive: check_named returns a reference into it
  const auto& regions = check_named(report, "regions");
  EXPECT_EQ(regions.violation_count, 30u);
  EXPECT_EQ(regions.violations.size(), kListedViolations);
}

TEST_F(Verify, FindsTheEarliestHourARunWroteLast) {
  load_clean_history();
  const auto second = load_archived(at("2026-11-22 08:00:00"), {matched("b", 5.0, 1)});
  EXPECT_EQ(earliest_hour_written_by(db_, "sensors", second), at("2026-11-22 06:00:00"));
  const auto empty = load_archived(at("2026-11-22 09:00:00"), {});
  EXPECT_EQ(earliest_hour_written_by(db_, "sensors", empty), std::nullopt);
  EXPECT_TRUE(verify().passed());
}

}  // namespace
}  // namespace meteo::testing
