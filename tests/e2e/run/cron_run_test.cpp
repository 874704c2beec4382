// The built meteo-etl binary as cron runs it: a bare environment, a config file, real servers.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "config_files.hpp"
#include "db_snapshot.hpp"
#include "meteo/archive/raw_archive.hpp"
#include "meteo/sources/sensor/latest_occurrences.hpp"
#include "meteo/sources/sensor/payload.hpp"
#include "paths.hpp"
#include "sensor_sim.hpp"
#include "subprocess.hpp"
#include "test_database.hpp"

namespace meteo::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* kApiKey = "e2e-secret-key-7f3a";

// A scratch database, a config file pointing at it and at `sim`, and the cron-like environment.
class CronRun : public ::testing::Test {
 protected:
  void SetUp() override {
    METEO_SKIP_WITHOUT_SHARED_DATA("geo/regions.geojson");
    directory_ = fs::temp_directory_path() /
                 ("meteo-e2e-" + std::to_string(::getpid()) + "-" +
                  ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(directory_);
  }
  void TearDown() override { fs::remove_all(directory_); }

  // Writes the config; `regions_location` defaults to the shared contours on disk.
  void write_config(const SensorSim& sim, std::string regions_location = "",
                    const std::string& matching = "polygon") {
    if (regions_location.empty()) regions_location = shared_data("geo/regions.geojson");
    std::ofstream config(config_path());
    config << database_toml(database_.config())
           << "\n[[region_sets]]\nname = \"fr-regions\"\nlocation = \"" << regions_location
           << "\"\nformat = \"geojson\"\ncode_field = \"code\"\nname_field = \"nom\"\n"
           << "matching = \"" << matching << "\"\n"
           << "\n[[sources]]\nname = \"sensors\"\ntype = \"sensor-api\"\nurl = \"" << sim.url()
           << "\"\napi_key_env = \"SENSOR_API_KEY\"\nregion_sets = [\"fr-regions\"]\n"
           << "[sources.http]\nretry_attempts = 3\nretry_initial_backoff_ms = 50\n"
           << "retry_max_backoff_ms = 200\ntimeout_ms = 3000\nconnect_timeout_ms = 1000\n";
  }

  std::string config_path() const { return (directory_ / "meteo-etl.toml").string(); }

  // What cron gives a job: almost nothing.
  Environment cron_environment(const std::string& api_key = kApiKey) const {
    Environment env = testing::cron_environment(config_path(), database_.config());
    env["SENSOR_API_KEY"] = api_key;
    return env;
  }

  ProcessResult meteo(std::vector<std::string> args, const Environment& env) {
    args.insert(args.begin(), meteo_etl_binary());
    return run_process(args, env);
  }
  ProcessResult meteo(std::vector<std::string> args) { return meteo(args, cron_environment()); }

  // migrate + regions load, as an operator does once.
  void prepare_database() {
    ASSERT_EQ(meteo({"migrate"}).exit_code, 0);
    const auto load = meteo({"regions", "load"});
    ASSERT_EQ(load.exit_code, 0) << load.err;
  }

  ScratchDatabase database_;
  fs::path directory_;
};

std::string describe(const ProcessResult& result) {
  return "exit " + std::to_string(result.exit_code) + "\nstdout:\n" + result.out + "\nstderr:\n" +
         result.err;
}

TEST_F(CronRun, HourlyJobStoresRegionMeansAndTheThreeHourView) {
  SensorSim sim({.records = 500, .seed = 7, .api_key = kApiKey, .invalid = 5, .duplicates = 4});
  write_config(sim);
  prepare_database();

  const auto first = meteo({"run", "--hour", "2026-11-22T03"});
  ASSERT_EQ(first.exit_code, 0) << describe(first);
  const auto second = meteo({"run", "--hour", "2026-11-22T06:00:00Z"});
  ASSERT_EQ(second.exit_code, 0) << describe(second);

  Database db = database_.connect();
  // The same bad records, re-sent in another hour, are that hour's rejects too.
  EXPECT_EQ(count_rows(db, "rejected_records", "hour = '2026-11-22 03:00:00'"), 5u);
  EXPECT_EQ(count_rows(db, "rejected_records"), 10u);
  EXPECT_EQ(count_rows(db, "sensor_readings", "hour = '2026-11-22 03:00:00'"), 500u);
  EXPECT_EQ(count_rows(db, "sensor_readings", "hour = '2026-11-22 06:00:00'"), 0u)
      << "the same payload at a later hour stores nothing new: every id already belongs to 03:00";
  // Every aggregate equals the mean of its readings, recomputed here independently.
  EXPECT_EQ(
      query_value(db,
                  "SELECT COUNT(*) FROM region_hourly_temperature a WHERE ABS(a.temperature - "
                  "(SELECT AVG(r.temperature) FROM sensor_readings r JOIN reading_regions m "
                  "ON m.source = r.source AND m.reading_id = r.reading_id WHERE m.region_set "
                  "= a.region_set AND m.region_code = a.region_code AND r.hour = a.hour)) > "
                  "1e-9"),
      "0");
  EXPECT_EQ(query_value(db, "SELECT SUM(numberOfPoints) FROM region_hourly_temperature"),
            query_value(db, "SELECT COUNT(*) FROM reading_regions WHERE region_code IS NOT NULL"));

  const auto csv = meteo({"query", "temperature-3h", "--format", "csv"});
  ASSERT_EQ(csv.exit_code, 0) << describe(csv);
  EXPECT_EQ(csv.out.rfind("RegionSet,Region,Hour,Temperature,Temperature3HoursBefore\r\n", 0), 0u);
  EXPECT_NE(csv.out.find("fr-regions,Occitanie,2026-11-22T03:00:00Z,"), std::string::npos)
      << csv.out;

  const auto json = meteo({"query", "temperature-3h", "--format", "json"});
  ASSERT_EQ(json.exit_code, 0);
  const auto rows = nlohmann::json::parse(json.out);
  ASSERT_FALSE(rows.empty());
  EXPECT_TRUE(rows[0]["temperature_3h_before"].is_null()) << "03:00 has no 00:00 row";

  const auto status = meteo({"status", "--json"});
  ASSERT_EQ(status.exit_code, 0) << describe(status);
  const auto report = nlohmann::json::parse(status.out);
  ASSERT_EQ(report["runs"].size(), 2u);
  EXPECT_EQ(report["runs"][0]["status"], "succeeded");
  EXPECT_EQ(report["runs"][0]["counts"]["unchanged"], 500);
  EXPECT_EQ(report["runs"][1]["counts"]["fetched"], 509);
  EXPECT_EQ(report["runs"][1]["counts"]["duplicates"], 4);
  EXPECT_EQ(report["runs"][1]["counts"]["rejected"], 5);
  EXPECT_EQ(report["region_sets"][0]["regions"], 13);
}

// The one archived payload of the run, as the tool stored it.
std::string archived_body(const fs::path& archive_root) {
  for (const auto& entry : fs::recursive_directory_iterator(archive_root)) {
    if (entry.path().extension() == ".gz") {
      return RawArchive({.root = archive_root}).read(fs::relative(entry.path(), archive_root));
    }
  }
  ADD_FAILURE() << "no archived payload under " << archive_root;
  return "[]";
}

// Reading id -> temperature, from rows rendered "id<TAB>temperature".
std::map<std::string, double> temperatures_by_id(const std::string& rows) {
  std::map<std::string, double> by_id;
  std::istringstream lines(rows);
  std::string id, temperature;
  while (std::getline(lines, id, '\t') && std::getline(lines, temperature)) {
    by_id[id] = std::stod(temperature);
  }
  return by_id;
}

TEST_F(CronRun, ALaterDuplicateWinsAcrossLoadBatches) {
  // More readings than one load batch, and repeats far from their first occurrence: the later
  // value must win across batch boundaries exactly as the in-memory rule says.
  // Uncompressed: the simulator gzips a body this size too slowly for the test's timeout.
  SensorSim sim({.records = 20000,
                 .seed = 11,
                 .api_key = kApiKey,
                 .invalid = 3,
                 .duplicates = 500,
                 .identity = true});
  write_config(sim);
  prepare_database();
  const auto run = meteo({"run", "--hour", "2026-11-22T09"});
  ASSERT_EQ(run.exit_code, 0) << describe(run);

  ParsedPayload payload = parse_sensor_payload(archived_body(directory_ / "archive"), "archive");
  ASSERT_EQ(keep_latest_per_id(payload.readings), 500u);
  Database db = database_.connect();
  const auto stored =
      temperatures_by_id(query_contents(db, "SELECT reading_id, temperature FROM sensor_readings"));
  ASSERT_EQ(stored.size(), payload.readings.size());
  std::size_t differing = 0;
  for (const auto& reading : payload.readings) {
    const auto found = stored.find(reading.id);
    if (found == stored.end() || std::abs(found->second - reading.temperature) > 1e-9) {
      ++differing;
    }
  }
  EXPECT_EQ(differing, 0u) << "readings whose stored value is not their last occurrence's";
  EXPECT_EQ(query_value(db, "SELECT SUM(numberOfPoints) FROM region_hourly_temperature"),
            query_value(db, "SELECT COUNT(*) FROM reading_regions WHERE region_code IS NOT NULL"));
  // Counted as duplicates, not as corrections of a reading an earlier batch stored.
  EXPECT_EQ(
      query_value(db, "SELECT CONCAT_WS(' ', duplicates, `stored`, corrections) FROM etl_runs"),
      "500 20000 0");
  EXPECT_EQ(query_value(db, "SELECT fetched FROM etl_runs"), "20503");
  EXPECT_EQ(count_rows(db, "rejected_records"), 3u);
}

TEST_F(CronRun, RerunningAnHourChangesNothing) {
  SensorSim sim({.records = 300, .seed = 3, .api_key = kApiKey, .invalid = 3});
  write_config(sim);
  prepare_database();
  ASSERT_EQ(meteo({"run", "--hour", "2026-11-22T06"}).exit_code, 0);
  Database db = database_.connect();
  const std::string before = product_contents(db);
  const std::string updated =
      query_value(db, "SELECT MAX(updated_at) FROM region_hourly_temperature");
  const auto again = meteo({"run", "--hour", "2026-11-22T06"});
  ASSERT_EQ(again.exit_code, 0) << describe(again);
  EXPECT_EQ(product_contents(db), before);
  EXPECT_EQ(query_value(db, "SELECT MAX(updated_at) FROM region_hourly_temperature"), updated)
      << "no aggregate was rewritten";
  // Only the bookkeeping moved: every reading now names the second fetch as its newest payload.
  EXPECT_EQ(query_value(db, "SELECT COUNT(DISTINCT fetched_at) FROM sensor_readings"), "1");
  EXPECT_EQ(
      query_value(db,
                  "SELECT COUNT(*) FROM sensor_readings r JOIN raw_payloads p"
                  " ON p.fetched_at = r.fetched_at AND p.run_id = (SELECT MAX(id) FROM etl_runs)"),
      "300");
}

TEST_F(CronRun, RetriesRecoverFromServerErrors) {
  SensorSim sim({.records = 50, .api_key = kApiKey, .fail_first = 2, .fail_status = 503});
  write_config(sim);
  prepare_database();
  const auto run = meteo({"run", "--hour", "2026-11-22T06"});
  ASSERT_EQ(run.exit_code, 0) << describe(run);
  EXPECT_EQ(sim.calls_served(), 3);
  Database db = database_.connect();
  EXPECT_EQ(count_rows(db, "sensor_readings"), 50u);
}

TEST_F(CronRun, RetriesExhaustedExit69AndLeaveTheDatabaseUnchanged) {
  SensorSim sim({.records = 50, .api_key = kApiKey, .fail_first = 100, .fail_status = 502});
  write_config(sim);
  prepare_database();
  Database db = database_.connect();
  const std::string before = data_tables_contents(db);
  const auto run = meteo({"run", "--hour", "2026-11-22T06"});
  EXPECT_EQ(run.exit_code, 69) << describe(run);
  EXPECT_NE(run.err.find(sim.url()), std::string::npos) << "the message names the URL";
  EXPECT_EQ(sim.calls_served(), 3);
  EXPECT_EQ(data_tables_contents(db), before);
  EXPECT_EQ(query_value(db, "SELECT status FROM etl_runs ORDER BY id DESC LIMIT 1"), "failed");
}

TEST_F(CronRun, TruncatedJsonExit65AndLeavesTheDatabaseUnchanged) {
  SensorSim sim({.records = 80, .api_key = kApiKey, .truncate = true});
  write_config(sim);
  prepare_database();
  Database db = database_.connect();
  const std::string before = data_tables_contents(db);
  const auto run = meteo({"run"});
  EXPECT_EQ(run.exit_code, 65) << describe(run);
  EXPECT_NE(run.err.find(sim.url()), std::string::npos);
  EXPECT_EQ(data_tables_contents(db), before);
}

TEST_F(CronRun, WrongApiKeyIsRefusedWithoutRetriesAndNeverLogged) {
  SensorSim sim({.records = 10, .api_key = kApiKey});
  write_config(sim);
  prepare_database();
  const std::string wrong_key = "wrong-key-Zq81";
  const auto run = meteo({"--log-level", "trace", "run"}, cron_environment(wrong_key));
  EXPECT_EQ(run.exit_code, 77) << describe(run);
  EXPECT_EQ(sim.calls_served(), 1);
  EXPECT_NE(run.err.find("API key"), std::string::npos) << run.err;
  EXPECT_EQ(run.err.find(wrong_key), std::string::npos) << "secret leaked into the log";
  EXPECT_EQ(run.out.find(wrong_key), std::string::npos);
}

TEST_F(CronRun, SecretsNeverReachTheLogsOrTheDatabase) {
  SensorSim sim({.records = 20, .api_key = kApiKey});
  write_config(sim);
  prepare_database();
  const auto run = meteo({"--log-level", "trace", "--log-format", "json", "run"});
  ASSERT_EQ(run.exit_code, 0) << describe(run);
  EXPECT_EQ(run.err.find(kApiKey), std::string::npos);
  std::istringstream lines(run.err);
  for (std::string line; std::getline(lines, line);) {
    const auto entry = nlohmann::json::parse(line);  // every log line is one JSON object
    EXPECT_TRUE(entry.contains("time") && entry.contains("level") && entry.contains("message"));
  }
  Database db = database_.connect();
  EXPECT_EQ(data_tables_contents(db).find(kApiKey), std::string::npos);
  EXPECT_EQ(table_contents(db, "etl_runs").find(kApiKey), std::string::npos);
}

TEST_F(CronRun, UnpreparedDatabaseGivesConfigurationErrors) {
  SensorSim sim({.records = 10, .api_key = kApiKey});
  write_config(sim);
  const auto unmigrated = meteo({"run"});
  EXPECT_EQ(unmigrated.exit_code, 78);
  EXPECT_NE(unmigrated.err.find("run `meteo-etl migrate`"), std::string::npos) << unmigrated.err;
  ASSERT_EQ(meteo({"migrate"}).exit_code, 0);
  const auto no_regions = meteo({"run"});
  EXPECT_EQ(no_regions.exit_code, 78);
  EXPECT_NE(no_regions.err.find("run `meteo-etl regions load`"), std::string::npos)
      << no_regions.err;
}

TEST_F(CronRun, RegionsDownloadFromAnHttpUrlAndReloadIsANoOp) {
  SensorSim sim({.records = 10, .api_key = kApiKey, .static_dir = shared_data("geo")});
  write_config(sim, sim.base_url() + "/static/regions.geojson");
  ASSERT_EQ(meteo({"migrate"}).exit_code, 0);
  const auto load = meteo({"regions", "load"});
  ASSERT_EQ(load.exit_code, 0) << describe(load);
  const auto again = meteo({"regions", "load"});
  ASSERT_EQ(again.exit_code, 0);
  EXPECT_NE(again.err.find("already loaded"), std::string::npos) << again.err;
  Database db = database_.connect();
  EXPECT_EQ(count_rows(db, "regions", "region_set = 'fr-regions'"), 13u);
  EXPECT_EQ(query_value(db, "SELECT name FROM regions WHERE code = '11'"), "Île-de-France");
}

// Known points: which region each lands in, under each matching rule.
std::map<std::string, std::string> regions_of_known_points(Database& db) {
  std::map<std::string, std::string> region_of;
  std::istringstream rows(table_contents(db, "reading_regions"));
  for (std::string line; std::getline(rows, line);) {
    // source, reading_id, region_set, region_code
    std::vector<std::string> fields;
    std::istringstream cells(line);
    for (std::string cell; std::getline(cells, cell, '\t');) fields.push_back(cell);
    region_of[fields.at(1)] = fields.at(3);
  }
  return region_of;
}

TEST_F(CronRun, KnownPointsLandInTheirRegionsAndHostileStringsRoundTrip) {
  SensorSim sim(
      {.api_key = kApiKey, .payload_file = source_path("tests/fixtures/sensor/known-points.json")});
  write_config(sim);
  prepare_database();
  const auto run = meteo({"run", "--hour", "2026-11-22T06"});
  ASSERT_EQ(run.exit_code, 0) << describe(run);
  Database db = database_.connect();
  const auto region_of = regions_of_known_points(db);
  EXPECT_EQ(region_of.at("toulouse"), "76");
  EXPECT_EQ(region_of.at("brest"), "53");
  EXPECT_EQ(region_of.at("ajaccio"), "94");
  EXPECT_EQ(region_of.at("geneva"), "NULL");
  EXPECT_EQ(region_of.at("sea-off-brittany"), "NULL");
  const std::string hostile = "O'Brien \"quoted\" \\ back; DROP TABLE sensor_readings; -- 🌡";
  EXPECT_EQ(region_of.at(hostile), "76");
  EXPECT_EQ(query_value(db, "SELECT country FROM sensor_readings WHERE reading_id LIKE 'O%'"),
            "Fr'ance");
  EXPECT_EQ(query_value(db,
                        "SELECT observed_at FROM sensor_readings WHERE reading_id = "
                        "'montpellier'"),
            "1795327200")
      << "a non-string timestamp is stored as its JSON text";
  EXPECT_EQ(query_value(db,
                        "SELECT numberOfPoints FROM region_hourly_temperature WHERE "
                        "region_code = '76'"),
            "3");
  EXPECT_NEAR(std::stod(query_value(db,
                                    "SELECT temperature FROM region_hourly_temperature "
                                    "WHERE region_code = '76'")),
              (12.5 + 13.5 + 11.5) / 3, 1e-9);
  EXPECT_NE(query_value(db, "SELECT reason FROM rejected_records").find("lat"), std::string::npos);
  // sea-off-brittany says France but is outside; the hostile record's label is not a home label.
  const auto status = nlohmann::json::parse(meteo({"status", "--json"}).out);
  EXPECT_EQ(status["runs"][0]["counts"]["outside"], 2);
  EXPECT_EQ(status["runs"][0]["counts"]["disagreements"], 2);
}

TEST_F(CronRun, BoundingBoxRuleFirstRectangleWins) {
  SensorSim sim(
      {.api_key = kApiKey, .payload_file = source_path("tests/fixtures/sensor/known-points.json")});
  write_config(sim, "", "bbox");
  prepare_database();
  ASSERT_EQ(meteo({"run", "--hour", "2026-11-22T06"}).exit_code, 0);
  Database db = database_.connect();
  const auto region_of = regions_of_known_points(db);
  // Rectangles cover more than contours: the sea off Brittany lies in Bretagne's rectangle.
  EXPECT_EQ(region_of.at("sea-off-brittany"), "53");
  EXPECT_EQ(region_of.at("brest"), "53");
  // Overlapping rectangles: the first in source order wins. Toulouse lies in both
  // Nouvelle-Aquitaine (75) and Occitanie (76); Geneva in both Bourgogne-Franche-Comté (27) and
  // Auvergne-Rhône-Alpes.
  EXPECT_EQ(region_of.at("toulouse"), "75");
  EXPECT_EQ(region_of.at("geneva"), "27");
}

TEST_F(CronRun, CommandLineMistakesExit64) {
  SensorSim sim({.records = 10, .api_key = kApiKey});
  write_config(sim);
  EXPECT_EQ(meteo({"run", "--hour", "2026-11-22T06:30"}).exit_code, 64);
  EXPECT_EQ(meteo({"frobnicate"}).exit_code, 64);
  EXPECT_EQ(meteo({"run"}, {{"PATH", "/usr/bin:/bin"}}).exit_code, 64) << "no config anywhere";
  const auto help = meteo({"run", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("--hour"), std::string::npos);
  const auto version = meteo({"--version"});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_NE(version.out.find("meteo-etl "), std::string::npos);
}

}  // namespace
}  // namespace meteo::testing
