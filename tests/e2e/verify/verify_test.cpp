// `verify` end to end: a few hourly runs against the sensor simulator verify clean (exit 0, "ok"
// lines); a tampered aggregate fails (exit 1) naming its region and hour; `run` with [verify]
// after_run verifies the hours it touched, a station network's measurement hours included.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli_job.hpp"
#include "config_files.hpp"
#include "db_snapshot.hpp"
#include "meteo/core/time.hpp"
#include "paths.hpp"
#include "portal_sim.hpp"
#include "sensor_sim.hpp"
#include "subprocess.hpp"
#include "test_database.hpp"

namespace meteo::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* kApiKey = "verify-key-7d1e";

class VerifyCommand : public ::testing::Test {
 protected:
  void SetUp() override { METEO_SKIP_WITHOUT_SHARED_DATA("geo/regions.geojson"); }
  void write_config(const SensorSim& sim, bool after_run) {
    std::ofstream config(config_path());
    config << database_toml(database_.config()) << "\n[archive]\nroot = \""
           << (directory_.path() / "archive").string() << "\"\n"
           << "\n[verify]\nafter_run = " << (after_run ? "true" : "false") << "\n"
           << "\n[[region_sets]]\nname = \"fr-regions\"\nlocation = \""
           << shared_data("geo/regions.geojson") << "\"\n"
           << "\n[[sources]]\nname = \"sensors\"\ntype = \"sensor-api\"\nurl = \"" << sim.url()
           << "\"\napi_key_env = \"SENSOR_API_KEY\"\nregion_sets = [\"fr-regions\"]\n"
           << "[sources.http]\nretry_attempts = 1\n";
  }

  std::string config_path() const { return (directory_.path() / "meteo-etl.toml").string(); }

  ProcessResult meteo(std::vector<std::string> args) {
    return run_meteo_etl(config_path(), database_.config(), kApiKey, std::move(args));
  }

  void expect_ok(const std::vector<std::string>& args) {
    const auto result = meteo(args);
    ASSERT_EQ(result.exit_code, 0) << "meteo-etl " << args.front() << "\n" << result.err;
  }

  // Hours 03 to 05, payloads alternating so later hours correct earlier readings.
  void run_hours(bool after_run) {
    for (unsigned hour = 3; hour < 6; ++hour) {
      SensorSim sim({.records = 200, .seed = 20 + hour % 2, .api_key = kApiKey, .invalid = 2});
      write_config(sim, after_run);
      if (hour == 3) {
        expect_ok({"migrate"});
        expect_ok({"regions", "load", "--set", "fr-regions"});
      }
      expect_ok({"run", "--hour", "2026-11-22T0" + std::to_string(hour)});
    }
  }

  ScratchDatabase database_;
  TestDirectory directory_;
};

TEST_F(VerifyCommand, PassesOnCleanRunsAndNamesATamperedAggregate) {
  run_hours(false);
  const auto clean = meteo({"verify"});
  ASSERT_EQ(clean.exit_code, 0) << clean.out << clean.err;
  for (const char* line :
       {"aggregates: ok\n", "ledger: ok\n", "regions: ok\n", "views: ok\n", "watermarks: ok\n"}) {
    EXPECT_NE(clean.out.find(line), std::string::npos) << line << " not in:\n" << clean.out;
  }

  Database db = database_.connect();
  const std::string region =
      query_value(db,
                  "SELECT region FROM region_hourly_temperature WHERE hour = '2026-11-22 04:00:00'"
                  " ORDER BY region_code LIMIT 1");
  db.execute(
      "UPDATE region_hourly_temperature SET temperature = temperature + 1"
      " WHERE hour = '2026-11-22 04:00:00' AND region = '" +
      region + "'");

  const auto tampered = meteo({"verify"});
  EXPECT_EQ(tampered.exit_code, 1) << tampered.err;
  EXPECT_NE(tampered.out.find("aggregates: FAILED (1)"), std::string::npos) << tampered.out;
  EXPECT_NE(tampered.out.find("(" + region + ") 2026-11-22 04:00:00"), std::string::npos)
      << tampered.out;
  EXPECT_NE(tampered.out.find("ledger: ok"), std::string::npos) << tampered.out;

  // Outside the window the damage is not looked at; the JSON report says the same as the text.
  const auto other_hours = meteo({"verify", "--from", "2026-11-22T05", "--to", "2026-11-22T06"});
  EXPECT_EQ(other_hours.exit_code, 0) << other_hours.out << other_hours.err;
  const auto as_json =
      meteo({"verify", "--json", "--from", "2026-11-22T04", "--to", "2026-11-22T05"});
  EXPECT_EQ(as_json.exit_code, 1) << as_json.err;
  const auto report = nlohmann::json::parse(as_json.out);
  EXPECT_EQ(report.at("passed"), false);
  EXPECT_EQ(report.at("from"), "2026-11-22T04:00:00Z");
  EXPECT_EQ(report.at("checks").at(0).at("name"), "aggregates");
  EXPECT_EQ(report.at("checks").at(0).at("violation_count"), 1);
  EXPECT_EQ(report.at("checks").at(1).at("passed"), true);
}

TEST_F(VerifyCommand, RunWithAfterRunVerifiesTheHoursItTouched) {
  run_hours(true);
  Database db = database_.connect();
  EXPECT_EQ(count_rows(db, "etl_runs", "status = 'succeeded'"), 3u);

  // Hour 04's payload again at 06: its readings, last written now, live in hour 04, so the run
  // verifies [04, 07), sees damage there and exits 1, its data committed all the same.
  db.execute(
      "UPDATE region_hourly_temperature SET numberOfPoints = numberOfPoints + 1"
      " WHERE hour = '2026-11-22 04:00:00' ORDER BY region_code LIMIT 1");
  SensorSim sim({.records = 200, .seed = 20, .api_key = kApiKey, .invalid = 2});
  write_config(sim, true);
  const auto failed = meteo({"run", "--hour", "2026-11-22T06"});
  EXPECT_EQ(failed.exit_code, 1) << failed.err;
  EXPECT_NE(failed.err.find("aggregates: FAILED (1)"), std::string::npos) << failed.err;
  EXPECT_NE(failed.err.find("2026-11-22 04:00:00"), std::string::npos) << failed.err;
  EXPECT_EQ(count_rows(db, "etl_runs", "status = 'succeeded'"), 4u);
}

TEST_F(VerifyCommand, RejectsAnEmptyWindow) {
  SensorSim sim({.records = 10, .api_key = kApiKey});
  write_config(sim, false);
  expect_ok({"migrate"});
  const auto result = meteo({"verify", "--from", "2026-11-22T05", "--to", "2026-11-22T05"});
  EXPECT_EQ(result.exit_code, 64) << result.err;
}

// A station network's run writes the observations of its lookback window: their measurement hours,
// not the run's own, are the hours it touched.
class VerifyStationRun : public ::testing::Test {
 protected:
  void SetUp() override {
    METEO_SKIP_WITHOUT_SHARED_DATA("geo/communes-31-haute-garonne.geojson",
                                   "toulouse/stations-meteo-en-place.exports.json",
                                   "toulouse/catalog-v1-search-q-meteo.json");
  }

  void write_config(const PortalSim& portal, bool after_run) {
    std::ofstream config(config_path());
    config << database_toml(database_.config())
           << "\n[verify]\nafter_run = " << (after_run ? "true" : "false") << "\n"
           << "\n[[region_sets]]\nname = \"toulouse-communes\"\nlocation = \""
           << shared_data("geo/communes-31-haute-garonne.geojson") << "\"\n"
           << "\n[[sources]]\nname = \"toulouse\"\ntype = \"opendatasoft-stations\"\nbase_url = \""
           << portal.base_url() << "\"\ndataset_pattern = \"station-meteo\"\nstart = \""
           << to_iso8601(now_ - std::chrono::hours(6)) << "\"\nlookback_hours = 2\n"
           << "region_sets = [\"toulouse-communes\"]\n"
           << "[sources.http]\nretry_attempts = 1\n";
  }

  std::string config_path() const { return (directory_.path() / "toulouse.toml").string(); }

  ProcessResult meteo(std::vector<std::string> args) {
    return run_meteo_etl(config_path(), database_.config(), kApiKey, std::move(args));
  }

  PortalSimOptions portal_options() const {
    PortalSimOptions options;
    options.now = to_iso8601(now_);
    options.from = to_iso8601(now_ - std::chrono::hours(12));
    return options;
  }

  // The portal's present: an hour ago, so the tool's real clock is always later.
  const UtcSeconds now_ = floor_to_hour(std::chrono::system_clock::now()) - std::chrono::hours(1);
  ScratchDatabase database_;
  TestDirectory directory_;
};

TEST_F(VerifyStationRun, AfterRunVerifiesTheMeasurementHoursOfItsObservations) {
  PortalSim portal(portal_options());
  write_config(portal, false);
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{"migrate"}, {"regions", "load"}, {"run"}}) {
    const auto result = meteo(args);
    ASSERT_EQ(result.exit_code, 0) << args.front() << "\n" << result.err;
  }
  // Damage in an hour the next run reads again (its lookback) without changing anything there,
  // so nothing is recomputed: only verification can see it.
  const std::string damaged = to_sql_datetime(now_ - std::chrono::hours(1));
  Database db = database_.connect();
  db.execute(
      "UPDATE region_hourly_temperature SET numberOfPoints = numberOfPoints + 1"
      " WHERE region_set = 'toulouse-communes' AND hour = '" +
      damaged + "' ORDER BY region_code LIMIT 1");

  write_config(portal, true);
  const auto run = meteo({"run", "--hour", to_iso8601(now_ + std::chrono::hours(1))});
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_NE(run.err.find("aggregates: FAILED (1)"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find(damaged), std::string::npos) << run.err;
  EXPECT_EQ(count_rows(db, "etl_runs", "status = 'succeeded'"), 2u) << "the data stays committed";
}

}  // namespace
}  // namespace meteo::testing
