// Hostile inputs, faults and careless operators (issue 15): the binary as cron runs it.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "config_files.hpp"
#include "db_snapshot.hpp"
#include "meteo/core/time.hpp"
#include "meteo/sources/stations/portal.hpp"
#include "paths.hpp"
#include "portal_sim.hpp"
#include "sensor_sim.hpp"
#include "subprocess.hpp"
#include "test_database.hpp"

namespace meteo::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* kApiKey = "e2e-hardening-key-41c9";

std::string describe(const ProcessResult& result) {
  return "exit " + std::to_string(result.exit_code) + "\nstdout:\n" + result.out + "\nstderr:\n" +
         result.err;
}

fs::perms mode_of(const fs::path& path) {
  return fs::status(path).permissions() & fs::perms::mask;
}

std::string octal(fs::perms mode) {
  std::ostringstream text;
  text << std::oct << static_cast<unsigned>(mode);
  return text.str();
}

class Hardening : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = fs::temp_directory_path() /
                 ("meteo-hardening-" + std::to_string(::getpid()) + "-" +
                  ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(directory_);
    fs::create_directories(directory_);
  }
  void TearDown() override { fs::remove_all(directory_); }

  void write_config(const SensorSim& sim) {
    std::ofstream config(config_path());
    config << database_toml(database_.config())
           << "\n[[region_sets]]\nname = \"fr-regions\"\nlocation = \""
           << shared_data("geo/regions.geojson")
           << "\"\nformat = \"geojson\"\ncode_field = \"code\"\nname_field = \"nom\"\n"
           << "\n[[sources]]\nname = \"sensors\"\ntype = \"sensor-api\"\nurl = \"" << sim.url()
           << "\"\napi_key_env = \"SENSOR_API_KEY\"\nregion_sets = [\"fr-regions\"]\n"
           << "[sources.http]\nretry_attempts = 1\ntimeout_ms = 5000\nconnect_timeout_ms = 1000\n";
  }

  std::string config_path() const { return (directory_ / "meteo-etl.toml").string(); }
  fs::path archive_root() const { return directory_ / "archive"; }

  Environment environment() const {
    Environment env = cron_environment(config_path(), database_.config());
    env["SENSOR_API_KEY"] = kApiKey;
    return env;
  }

  // The binary run by bash after `shell_setup` (a umask, a ulimit), as a careless crontab would.
  ProcessResult meteo(std::vector<std::string> args, const std::string& shell_setup = "true") {
    std::vector<std::string> argv{"/bin/bash", "-c", shell_setup + "; exec \"$@\"", "bash",
                                  meteo_etl_binary()};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_process(argv, environment());
  }

  void prepare_database() {
    ASSERT_EQ(meteo({"migrate"}).exit_code, 0);
    const auto load = meteo({"regions", "load"});
    ASSERT_EQ(load.exit_code, 0) << describe(load);
  }

  fs::path write_payload(const std::string& name, const std::string& bytes) {
    const fs::path path = directory_ / name;
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }

  std::string last_run(Database& db, const std::string& column) {
    return query_value(db, "SELECT " + column + " FROM etl_runs ORDER BY id DESC LIMIT 1");
  }

  ScratchDatabase database_;
  fs::path directory_;
};

// Issue 15, defect 1: the message quoting the partner's bytes once made the ledger write fail
// (MySQL 1366), leaving the run 'running' and the source reported healthy.
TEST_F(Hardening, AnInvalidUtf8BodyFailsTheRunAndTheLedgerRecordsIt) {
  const std::string utf16_body("\xFF\xFE[\0{\0\"\0i\0d\0\"\0:\0\"\0\xE9\0\"\0}\0]\0", 22);
  SensorSim sim({.api_key = kApiKey, .payload_file = write_payload("utf16.json", utf16_body)});
  write_config(sim);
  prepare_database();

  const auto run = meteo({"--log-format", "json", "run"});
  EXPECT_EQ(run.exit_code, 65) << describe(run);
  std::istringstream lines(run.err);
  for (std::string line; std::getline(lines, line);) {
    EXPECT_TRUE(nlohmann::json::accept(line)) << "not a JSON line: " << line;
  }
  Database db = database_.connect();
  EXPECT_EQ(last_run(db, "status"), "failed");
  EXPECT_NE(last_run(db, "message").find("\\xFF"), std::string::npos) << last_run(db, "message");

  const auto status = meteo({"status", "--json"});
  EXPECT_EQ(status.exit_code, 2) << "the source never succeeded\n" << describe(status);
}

// Defect 4: 1e309 is valid JSON grammar; the record holding it is rejected, not the payload.
TEST_F(Hardening, AnOverflowingNumberRejectsOneRecordInRunAndReplay) {
  const std::string body = R"([{"id":"paris","lat":48.85,"lon":2.35,"temperature":7.5},)"
                           R"({"id":"huge","lat":45.2,"lon":4.1,"temperature":1e309},)"
                           R"({"id":"lyon","lat":45.76,"lon":4.84,"temperature":9.5}])";
  SensorSim sim({.api_key = kApiKey, .payload_file = write_payload("overflow.json", body)});
  write_config(sim);
  prepare_database();

  const auto run = meteo({"run", "--hour", "2026-11-22T06"});
  ASSERT_EQ(run.exit_code, 0) << describe(run);
  Database db = database_.connect();
  EXPECT_EQ(count_rows(db, "sensor_readings"), 2u);
  EXPECT_EQ(query_value(db, "SELECT reason FROM rejected_records"),
            "field \"temperature\": number 1e309 is out of range (past a double's ±1.8e308)");

  const auto replay = meteo({"replay", "--from", "2026-11-22T06", "--to", "2026-11-22T07"});
  EXPECT_EQ(replay.exit_code, 0) << describe(replay);
  EXPECT_EQ(last_run(db, "status"), "succeeded");
  EXPECT_EQ(count_rows(db, "rejected_records"), 1u) << "the same reject, stored once";
}

// Defect 4 on the station portal: a records page holding 1e309 failed whole (exit 65). Now the
// record is rejected with its reason and the page's other records load.
TEST_F(Hardening, AnOverflowingNumberOnThePortalRejectsOneRecord) {
  METEO_SKIP_WITHOUT_SHARED_DATA("geo/communes-31-haute-garonne.geojson",
                                 "toulouse/stations-meteo-en-place.exports.json",
                                 "toulouse/catalog-v1-search-q-meteo.json");
  // The portal's present: an hour ago, so the tool's real clock is always later.
  const UtcSeconds now = floor_to_hour(std::chrono::system_clock::now()) - std::chrono::hours(1);
  PortalSimOptions options;
  options.now = to_iso8601(now);
  options.from = to_iso8601(now - std::chrono::hours(12));
  options.datasets = 1;
  options.future_row = false;  // rejected too, as dated in the future
  options.overflow_row = true;
  PortalSim portal(options);
  {
    std::ofstream config(config_path());
    config << database_toml(database_.config())
           << "\n[[region_sets]]\nname = \"toulouse-communes\"\nlocation = \""
           << shared_data("geo/communes-31-haute-garonne.geojson") << "\"\n"
           << "\n[[sources]]\nname = \"toulouse\"\ntype = \"opendatasoft-stations\"\nbase_url = \""
           << portal.base_url() << "\"\ndataset_pattern = \"station-meteo\"\nstart = \""
           << to_iso8601(now - std::chrono::hours(6)) << "\"\nlookback_hours = 2\n"
           << "region_sets = [\"toulouse-communes\"]\n[sources.http]\nretry_attempts = 1\n";
  }
  prepare_database();

  const auto run = meteo({"run"});
  ASSERT_EQ(run.exit_code, 0) << describe(run);
  Database db = database_.connect();
  ASSERT_EQ(count_rows(db, "rejected_records", "source = 'toulouse'"), 1u);
  EXPECT_EQ(query_value(db, "SELECT reason FROM rejected_records WHERE source = 'toulouse'"),
            "dataset 01-station-meteo-toulouse-meteopole: "
            R"(field "temperature_en_degre_c": number 1e309 is out of range (past a double's )"
            "±1.8e308)");
  const auto record = nlohmann::json::parse(
      query_value(db, "SELECT record FROM rejected_records WHERE source = 'toulouse'"));
  EXPECT_TRUE(record.at("temperature_en_degre_c").is_null()) << record.dump();

  // The bad record's time is missing; the records around it, of the same pages, are stored.
  const auto bad = parse_timestamp_with_offset(record.at("heure_de_paris").get<std::string>());
  ASSERT_TRUE(bad.has_value()) << record.dump();
  const auto stored_between = [&](UtcSeconds from, UtcSeconds to) {
    return count_rows(db, "weather_observations",
                      "source = 'toulouse' AND observed_at BETWEEN '" + to_sql_datetime(from) +
                          "' AND '" + to_sql_datetime(to) + "'");
  };
  EXPECT_EQ(stored_between(*bad, *bad), 0u);
  EXPECT_GT(stored_between(*bad - std::chrono::hours(1), *bad - std::chrono::minutes(15)), 0u);
  EXPECT_GT(stored_between(*bad + std::chrono::minutes(15), *bad + std::chrono::hours(1)), 0u);
}

// Defect 7: under `ulimit -f` the archive write fails with EFBIG (exit 74, recorded), instead of
// SIGXFSZ killing the run with the ledger row left 'running'.
TEST_F(Hardening, AFileSizeLimitFailsTheRunWith74AndRecordsIt) {
  SensorSim sim({.records = 3000, .api_key = kApiKey, .identity = true});
  write_config(sim);
  prepare_database();

  const auto run = meteo({"run"}, "ulimit -f 4");  // 4 KiB: far below the gzip archive file
  EXPECT_EQ(run.exit_code, 74) << describe(run);
  EXPECT_NE(run.err.find("File too large"), std::string::npos) << run.err;
  Database db = database_.connect();
  EXPECT_EQ(last_run(db, "status"), "failed");
  EXPECT_EQ(count_rows(db, "sensor_readings"), 0u);
}

// Defect 6: under `umask 000` nothing the tool creates is writable by others, and replay
// refuses an archive file that another user could have planted or changed.
TEST_F(Hardening, OutputsArePrivateWhateverTheUmaskAndReplayRefusesWritableFiles) {
  SensorSim sim({.records = 50, .api_key = kApiKey});
  write_config(sim);
  ASSERT_EQ(meteo({"migrate"}).exit_code, 0);
  ASSERT_EQ(meteo({"regions", "load"}, "umask 000").exit_code, 0);
  const auto run = meteo({"run", "--hour", "2026-11-22T06"}, "umask 000");
  ASSERT_EQ(run.exit_code, 0) << describe(run);

  fs::path archived;
  for (const fs::path& root : {archive_root(), directory_ / "cache"}) {
    ASSERT_TRUE(fs::is_directory(root)) << root;
    EXPECT_EQ(octal(mode_of(root)), "750") << root;
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
      EXPECT_EQ(octal(mode_of(entry.path())), entry.is_directory() ? "750" : "640") << entry.path();
      if (entry.path().extension() == ".gz") archived = entry.path();
    }
  }
  ASSERT_FALSE(archived.empty());

  const auto dashboard = meteo({"dashboard", "--out", (directory_ / "site").string()}, "umask 000");
  ASSERT_EQ(dashboard.exit_code, 0) << describe(dashboard);
  EXPECT_EQ(octal(mode_of(directory_ / "site")), "755");
  for (const auto& entry : fs::recursive_directory_iterator(directory_ / "site")) {
    EXPECT_EQ(octal(mode_of(entry.path())), entry.is_directory() ? "755" : "644") << entry.path();
  }

  fs::permissions(archived, static_cast<fs::perms>(0666), fs::perm_options::replace);
  const auto replay = meteo({"replay", "--from", "2026-11-22T06", "--to", "2026-11-22T07"});
  EXPECT_EQ(replay.exit_code, 74) << describe(replay);
  EXPECT_NE(replay.err.find(archived.filename().string()), std::string::npos) << replay.err;
  EXPECT_NE(replay.err.find("writable by its group or others"), std::string::npos) << replay.err;
}

}  // namespace
}  // namespace meteo::testing
