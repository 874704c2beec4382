// `ingest --file` end to end, as cron would run it: a sensor payload saved to a file loads the
// rows its `run` loaded, twice counts nothing twice, is recorded as an "ingest" run, and the
// failures (no such file, a station network, a malformed file) exit with their codes.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "cli_job.hpp"
#include "config_files.hpp"
#include "db_snapshot.hpp"
#include "meteo/archive/raw_archive.hpp"
#include "paths.hpp"
#include "sensor_sim.hpp"
#include "subprocess.hpp"
#include "test_database.hpp"
#include "test_support.hpp"

namespace meteo::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* kApiKey = "ingest-key-7d1e";

// A station network beside the feed; its portal is never asked (ingest refuses before).
constexpr const char* kStationSource =
    "\n[[sources]]\nname = \"toulouse\"\ntype = \"opendatasoft-stations\"\n"
    "base_url = \"http://127.0.0.1:9\"\ndataset_pattern = \"station-meteo\"\n"
    "start = \"2026-11-01T00:00:00Z\"\nregion_sets = [\"fr-regions\"]\n";

// `run` and `ingest` stamp the current hour: both must fall in the same one.
void wait_clear_of_the_hour_boundary() {
  using namespace std::chrono;
  const auto now = system_clock::now();
  const auto into_hour = now - floor<hours>(now);
  if (into_hour > minutes(59)) std::this_thread::sleep_for(hours(1) - into_hour + seconds(1));
}

// The `meteo-etl ingest` line docs/operations.md shows, as words, the file's path substituted (the
// word after --file) and nothing else.
std::vector<std::string> documented_ingest(const fs::path& file) {
  for (const auto& line : lines_of(read_text(source_path("docs/operations.md")))) {
    if (line.rfind("meteo-etl ingest ", 0) != 0) continue;
    std::istringstream stream(line);
    std::vector<std::string> words;
    for (std::string word; stream >> word;) {
      words.push_back(!words.empty() && words.back() == "--file" ? file.string() : word);
    }
    return {words.begin() + 1, words.end()};  // run_meteo_etl names the program
  }
  ADD_FAILURE() << "docs/operations.md shows no `meteo-etl ingest` line";
  return {"ingest"};
}

class Ingest : public ::testing::Test {
 protected:
  void SetUp() override { METEO_SKIP_WITHOUT_SHARED_DATA("geo/regions.geojson"); }

  void write_config(const SensorSim& sim, const std::string& extra = "") {
    std::ofstream config(config_path());
    config << database_toml(database_.config()) << "\n[archive]\nroot = \""
           << archive_root().string() << "\"\n"
           << "\n[[region_sets]]\nname = \"fr-regions\"\nlocation = \""
           << shared_data("geo/regions.geojson") << "\"\n"
           << "\n[[sources]]\nname = \"sensors\"\ntype = \"sensor-api\"\nurl = \"" << sim.url()
           << "\"\napi_key_env = \"SENSOR_API_KEY\"\nregion_sets = [\"fr-regions\"]\n"
           << "[sources.http]\nretry_attempts = 1\n"
           << extra;
  }

  std::string config_path() const { return (directory_ / "meteo-etl.toml").string(); }
  fs::path archive_root() const { return directory_ / "archive"; }
  fs::path saved_payload() const { return directory_ / "sensors.json"; }

  ProcessResult meteo(std::vector<std::string> args) {
    return run_meteo_etl(config_path(), database_.config(), kApiKey, std::move(args));
  }

  void expect_ok(const std::vector<std::string>& args) {
    const auto result = meteo(args);
    ASSERT_EQ(result.exit_code, 0) << "meteo-etl " << args.front() << "\n" << result.err;
  }

  void prepare(const std::string& extra = "") {
    SensorSim sim({.records = 300, .seed = 7, .api_key = kApiKey});
    write_config(sim, extra);
    expect_ok({"migrate"});
    expect_ok({"regions", "load", "--set", "fr-regions"});
  }

  // A run of the simulator's payload, whose body the test then saves as a file, as an operator
  // keeps a partner's answer.
  void run_and_save_the_payload() {
    SensorSim sim({.records = 300, .seed = 7, .api_key = kApiKey, .duplicates = 4});
    write_config(sim);
    expect_ok({"migrate"});
    expect_ok({"regions", "load", "--set", "fr-regions"});
    expect_ok({"run", "--source", "sensors"});
    Database db = database_.connect();
    const RawArchive archive(ArchiveConfig{archive_root(), 0, 1});
    std::ofstream(saved_payload(), std::ios::binary)
        << archive.read(query_value(db, "SELECT path FROM raw_payloads"),
                        query_value(db, "SELECT sha256 FROM raw_payloads"));
  }

  std::string region_hours() {
    Database db = database_.connect();
    return query_contents(db,
                          "SELECT hour, region_set, region_code, region, temperature, "
                          "numberOfPoints FROM region_hourly_temperature "
                          "ORDER BY region_set, region_code, hour");
  }

  void forget_everything_but_regions() {
    Database db = database_.connect();
    meteo::testing::forget_everything_but_regions(db);
  }

  ScratchDatabase database_;
  TestDirectory directory_;
};

TEST_F(Ingest, ASavedPayloadGivesTheRowsOfItsRunAndTwiceChangesNothing) {
  wait_clear_of_the_hour_boundary();
  run_and_save_the_payload();
  const std::string from_run = region_hours();
  ASSERT_FALSE(from_run.empty());

  forget_everything_but_regions();
  expect_ok(documented_ingest(saved_payload()));
  EXPECT_EQ(region_hours(), from_run);

  Database db = database_.connect();
  const std::string product = product_contents(db);
  expect_ok({"ingest", "--source", "sensors", "--file", saved_payload().string()});
  EXPECT_EQ(product_contents(db), product) << "the second ingest counts nothing twice";
  EXPECT_EQ(count_rows(db, "etl_runs", "kind = 'ingest' AND status = 'succeeded'"), 2u);
  EXPECT_EQ(query_value(db,
                        "SELECT CONCAT(`stored`, ' ', unchanged) FROM etl_runs"
                        " ORDER BY id DESC LIMIT 1"),
            "0 " + query_value(db, "SELECT COUNT(*) FROM sensor_readings"));
  EXPECT_EQ(query_value(db, "SELECT CONCAT(http_status, ' ', url) FROM raw_payloads LIMIT 1"),
            "0 file:" + fs::absolute(saved_payload()).string());
}

TEST_F(Ingest, DryRunCountsAndWritesNothing) {
  run_and_save_the_payload();
  std::string fetched, duplicates;
  {
    Database db = database_.connect();
    fetched = query_value(db, "SELECT fetched FROM etl_runs");
    duplicates = query_value(db, "SELECT duplicates FROM etl_runs");
  }
  ASSERT_NE(duplicates, "0");
  forget_everything_but_regions();
  fs::remove_all(archive_root());
  Database db = database_.connect();
  const std::string before = data_tables_contents(db);

  const auto result =
      meteo({"ingest", "--source", "sensors", "--file", saved_payload().string(), "--dry-run"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find(": " + fetched + " record(s)"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("duplicates " + duplicates), std::string::npos) << result.out;
  EXPECT_EQ(data_tables_contents(db), before);
  EXPECT_EQ(count_rows(db, "etl_runs"), 0u);
  EXPECT_EQ(count_rows(db, "raw_payloads"), 0u);
  EXPECT_FALSE(fs::exists(archive_root())) << "no archive either";
}

TEST_F(Ingest, AMissingFileExits64NamingIt) {
  prepare();
  const fs::path missing = directory_ / "no-such-file.json";
  const auto result = meteo({"ingest", "--source", "sensors", "--file", missing.string()});
  EXPECT_EQ(result.exit_code, 64) << result.err;
  EXPECT_NE(result.err.find(missing.string()), std::string::npos) << result.err;
  Database db = database_.connect();
  EXPECT_EQ(count_rows(db, "etl_runs"), 0u) << "a mistyped path begins no run";
}

TEST_F(Ingest, AStationNetworkExits64) {
  prepare(kStationSource);
  std::ofstream(saved_payload()) << "{}";
  const auto result = meteo({"ingest", "--source", "toulouse", "--file", saved_payload().string()});
  EXPECT_EQ(result.exit_code, 64) << result.err;
  EXPECT_NE(result.err.find("read again from its portal"), std::string::npos) << result.err;
}

TEST_F(Ingest, AMalformedFileExits65AndItsRunIsRecordedFailed) {
  prepare();
  std::ofstream(saved_payload()) << R"([{"id": "a1", "timestamp": )";
  const auto result = meteo({"ingest", "--source", "sensors", "--file", saved_payload().string()});
  EXPECT_EQ(result.exit_code, 65) << result.err;
  Database db = database_.connect();
  EXPECT_EQ(query_value(db, "SELECT CONCAT(kind, ' ', status) FROM etl_runs"), "ingest failed");
  EXPECT_NE(query_value(db, "SELECT message FROM etl_runs"), "NULL");
  EXPECT_EQ(count_rows(db, "sensor_readings"), 0u);
}

}  // namespace
}  // namespace meteo::testing
