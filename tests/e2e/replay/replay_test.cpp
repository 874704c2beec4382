// The raw archive end to end: `run` lands every payload before parsing it, `replay` rebuilds the
// database from the archive alone, in parallel or not, and applies a new region set to history.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "cli_job.hpp"
#include "config_files.hpp"
#include "db_snapshot.hpp"
#include "meteo/archive/raw_archive.hpp"
#include "paths.hpp"
#include "sensor_sim.hpp"
#include "subprocess.hpp"
#include "test_database.hpp"

namespace meteo::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* kApiKey = "replay-key-41c2";

class Replay : public ::testing::Test {
 protected:
  void SetUp() override {
    METEO_SKIP_WITHOUT_SHARED_DATA("geo/regions.geojson", "geo/departements.geojson");
  }
  // One config per simulator (its port changes); `extra` is appended verbatim.
  void write_config(const SensorSim& sim, const std::string& extra = "",
                    const std::string& sets = "\"fr-regions\"") {
    std::ofstream config(config_path());
    config << database_toml(database_.config()) << "\n[archive]\nroot = \""
           << archive_root().string() << "\"\n"
           << extra << "\n[[region_sets]]\nname = \"fr-regions\"\nlocation = \""
           << shared_data("geo/regions.geojson") << "\"\n"
           << "\n[[region_sets]]\nname = \"fr-departements\"\nlocation = \""
           << shared_data("geo/departements.geojson") << "\"\n"
           << "\n[[sources]]\nname = \"sensors\"\ntype = \"sensor-api\"\nurl = \"" << sim.url()
           << "\"\napi_key_env = \"SENSOR_API_KEY\"\nregion_sets = [" << sets << "]\n"
           << "[sources.http]\nretry_attempts = 1\n";
  }

  std::string config_path() const { return (directory_.path() / "meteo-etl.toml").string(); }
  fs::path archive_root() const { return directory_ / "archive"; }

  ProcessResult meteo(std::vector<std::string> args) {
    return run_meteo_etl(config_path(), database_.config(), kApiKey, std::move(args));
  }

  void expect_ok(const std::vector<std::string>& args) {
    const auto result = meteo(args);
    ASSERT_EQ(result.exit_code, 0) << "meteo-etl " << args.front() << "\n" << result.err;
  }

  // Three hours, each a different payload; some readings come back corrected in a later hour.
  void run_three_hours() {
    for (unsigned hour = 3; hour < 6; ++hour) {
      SensorSim sim({.records = 300, .seed = 10 + hour % 2, .api_key = kApiKey, .invalid = 3});
      write_config(sim);
      if (hour == 3) {
        expect_ok({"migrate"});
        expect_ok({"regions", "load", "--set", "fr-regions"});
      }
      expect_ok({"run", "--hour", "2026-11-22T0" + std::to_string(hour)});
    }
  }

  std::string product() {
    Database db = database_.connect();
    return product_contents(db);
  }

  void forget_everything_but_regions() {
    Database db = database_.connect();
    meteo::testing::forget_everything_but_regions(db);
  }

  ScratchDatabase database_;
  TestDirectory directory_;
};

TEST_F(Replay, RunArchivesEachPayloadAndRecordsItInTheLedger) {
  SensorSim sim({.records = 50, .seed = 3, .api_key = kApiKey});
  write_config(sim);
  expect_ok({"migrate"});
  expect_ok({"regions", "load", "--set", "fr-regions"});
  expect_ok({"run", "--hour", "2026-11-22T03"});

  Database db = database_.connect();
  ASSERT_EQ(count_rows(db, "raw_payloads"), 1u);
  const std::string path = query_value(db, "SELECT path FROM raw_payloads");
  EXPECT_EQ(path.rfind("source=sensors/date=2026-11-22/hour=03/", 0), 0u) << path;
  EXPECT_EQ(query_value(db, "SELECT CONCAT(http_status, ' ', url) FROM raw_payloads"),
            "200 " + sim.url());
  EXPECT_EQ(query_value(db, "SELECT kind FROM etl_runs"), "run");
  const RawArchive archive(ArchiveConfig{archive_root(), 0, 1});
  const std::string body = archive.read(path, query_value(db, "SELECT sha256 FROM raw_payloads"));
  EXPECT_EQ(std::to_string(body.size()), query_value(db, "SELECT size FROM raw_payloads"));
  EXPECT_NE(body.find("\"temperature\""), std::string::npos);
}

TEST_F(Replay, RebuildsALostDatabaseFromTheArchiveAlone) {
  run_three_hours();
  const std::string original = product();

  forget_everything_but_regions();
  ASSERT_NE(product(), original);
  expect_ok({"replay", "--from", "2026-11-22T00", "--to", "2026-11-23T00"});
  EXPECT_EQ(product(), original);

  Database db = database_.connect();
  EXPECT_EQ(count_rows(db, "raw_payloads"), 3u) << "files the ledger lost are recorded again";
  EXPECT_EQ(count_rows(db, "etl_runs", "kind = 'replay' AND status = 'succeeded'"), 3u);
}

TEST_F(Replay, IsIdempotentAndParallelJobsGiveTheSameResult) {
  run_three_hours();
  const std::string original = product();

  expect_ok({"replay", "--from", "2026-11-22T03", "--to", "2026-11-22T06"});
  EXPECT_EQ(product(), original) << "replaying stored history changes nothing";

  expect_ok({"replay", "--from", "2026-11-22T04", "--to", "2026-11-22T05"});
  EXPECT_EQ(product(), original) << "a window in the middle does not undo later corrections";

  forget_everything_but_regions();
  expect_ok({"replay", "--from", "2026-11-22T03", "--to", "2026-11-22T06", "--jobs", "3"});
  EXPECT_EQ(product(), original);
}

TEST_F(Replay, DryRunListsThePayloadsAndChangesNothing) {
  run_three_hours();
  const std::string original = product();
  const auto plan =
      meteo({"replay", "--from", "2026-11-22T04", "--to", "2026-11-22T06", "--dry-run"});
  ASSERT_EQ(plan.exit_code, 0) << plan.err;
  EXPECT_NE(plan.out.find("2 archived payload(s)"), std::string::npos) << plan.out;
  EXPECT_NE(plan.out.find("hour=04/"), std::string::npos) << plan.out;
  EXPECT_EQ(plan.out.find("hour=03/"), std::string::npos) << plan.out;
  EXPECT_EQ(product(), original);
}

TEST_F(Replay, SensorBackfillIsReplay) {
  run_three_hours();
  const std::string original = product();
  forget_everything_but_regions();
  expect_ok({"backfill", "--from", "2026-11-22T03", "--to", "2026-11-22T06"});
  EXPECT_EQ(product(), original);
}

TEST_F(Replay, ANewRegionSetAppliedToHistoryAppearsBesideTheOldOne) {
  run_three_hours();
  Database db = database_.connect();
  const auto regions_before = query_value(
      db, "SELECT COUNT(*) FROM region_hourly_temperature WHERE region_set = 'fr-regions'");

  SensorSim sim({.records = 1, .api_key = kApiKey});
  write_config(sim, "", "\"fr-regions\", \"fr-departements\"");
  expect_ok({"regions", "load", "--set", "fr-departements"});
  expect_ok({"replay", "--from", "2026-11-22T03", "--to", "2026-11-22T06", "--jobs", "2"});

  EXPECT_EQ(query_value(db,
                        "SELECT COUNT(*) FROM region_hourly_temperature"
                        " WHERE region_set = 'fr-regions'"),
            regions_before);
  EXPECT_EQ(query_value(db,
                        "SELECT COUNT(DISTINCT hour) FROM region_hourly_temperature"
                        " WHERE region_set = 'fr-departements'"),
            query_value(db,
                        "SELECT COUNT(DISTINCT hour) FROM region_hourly_temperature"
                        " WHERE region_set = 'fr-regions'"));
  // Every reading inside France by regions is inside France by départements, and vice versa.
  EXPECT_EQ(query_value(db,
                        "SELECT SUM(numberOfPoints) FROM region_hourly_temperature"
                        " WHERE region_set = 'fr-departements'"),
            query_value(db,
                        "SELECT SUM(numberOfPoints) FROM region_hourly_temperature"
                        " WHERE region_set = 'fr-regions'"));
}

TEST_F(Replay, AnArchiveThatCannotBeWrittenStopsTheRunBeforeTheDatabase) {
  SensorSim sim({.records = 50, .seed = 3, .api_key = kApiKey});
  write_config(sim);
  expect_ok({"migrate"});
  expect_ok({"regions", "load", "--set", "fr-regions"});
  Database db = database_.connect();
  const std::string before = data_tables_contents(db);

  std::ofstream(archive_root()) << "a file where the archive directory should be";
  const auto result = meteo({"run", "--hour", "2026-11-22T03"});
  EXPECT_EQ(result.exit_code, 74) << result.err;
  EXPECT_NE(result.err.find(archive_root().string()), std::string::npos) << result.err;
  EXPECT_EQ(data_tables_contents(db), before);
  EXPECT_EQ(count_rows(db, "raw_payloads"), 0u);
  EXPECT_EQ(query_value(db, "SELECT status FROM etl_runs"), "failed");
}

}  // namespace
}  // namespace meteo::testing
