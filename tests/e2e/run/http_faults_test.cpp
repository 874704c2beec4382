// `meteo-etl run` against a misbehaving feed: each fault ends the run with its exit code and a
// message naming the URL, and leaves every data table exactly as it was (the failed ledger row
// aside). The client-side details are in integration_http (body_faults_test.cpp).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "config_files.hpp"
#include "db_snapshot.hpp"
#include "paths.hpp"
#include "sensor_sim.hpp"
#include "subprocess.hpp"
#include "test_database.hpp"

namespace meteo::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* kApiKey = "e2e-http-faults-key";

using HttpKeys = std::map<std::string, std::string>;  // [sources.http] key -> TOML value

SensorSimOptions sim_options(SensorSimOptions options) {
  options.api_key = kApiKey;
  return options;
}

class HttpFaultRun : public ::testing::Test {
 protected:
  void SetUp() override {
    METEO_SKIP_WITHOUT_SHARED_DATA("geo/regions.geojson");
    directory_ = fs::temp_directory_path() /
                 ("meteo-e2e-http-" + std::to_string(::getpid()) + "-" +
                  ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(directory_);
  }
  void TearDown() override { fs::remove_all(directory_); }

  // A config file for `db` and `sim`; `http` overrides the fast test defaults.
  std::string write_config(const ScratchDatabase& db, const SensorSim& sim, HttpKeys http = {}) {
    HttpKeys keys{{"connect_timeout_ms", "1000"},
                  {"timeout_ms", "5000"},
                  {"retry_attempts", "3"},
                  {"retry_initial_backoff_ms", "50"},
                  {"retry_max_backoff_ms", "200"}};
    for (auto& [key, value] : http) keys[key] = value;
    const std::string path = (directory_ / (db.config().name + ".toml")).string();
    std::ofstream config(path);
    config << database_toml(db.config())
           << "\n[[region_sets]]\nname = \"fr-regions\"\nlocation = \""
           << shared_data("geo/regions.geojson")
           << "\"\nformat = \"geojson\"\ncode_field = \"code\"\nname_field = \"nom\"\n"
           << "\n[[sources]]\nname = \"sensors\"\ntype = \"sensor-api\"\nurl = \"" << sim.url()
           << "\"\napi_key_env = \"SENSOR_API_KEY\"\nregion_sets = [\"fr-regions\"]\n"
           << "[sources.http]\n";
    for (const auto& [key, value] : keys) config << key << " = " << value << "\n";
    return path;
  }

  ProcessResult meteo(const std::string& config, const ScratchDatabase& db,
                      std::vector<std::string> args) {
    Environment env = cron_environment(config, db.config());
    env["SENSOR_API_KEY"] = kApiKey;
    args.insert(args.begin(), meteo_etl_binary());
    return run_process(args, env);
  }

  // migrate + regions load, as an operator does once.
  void prepare(const std::string& config, const ScratchDatabase& db) {
    ASSERT_EQ(meteo(config, db, {"migrate"}).exit_code, 0);
    const auto load = meteo(config, db, {"regions", "load"});
    ASSERT_EQ(load.exit_code, 0) << load.err;
  }

  // Runs one hour against `sim` and checks the common verdict of a failed fetch: `exit_code`, the
  // URL in the log, no data changed, a failed ledger row. Returns the log.
  std::string failed_run(const SensorSim& sim, int exit_code, const HttpKeys& http = {}) {
    const std::string config = write_config(database_, sim, http);
    prepare(config, database_);
    Database db = database_.connect();
    const std::string before = data_tables_contents(db);
    const auto run = meteo(config, database_, {"run", "--hour", "2026-11-22T06"});
    EXPECT_EQ(run.exit_code, exit_code) << run.err;
    EXPECT_NE(run.err.find("GET " + sim.url() + ": "), std::string::npos) << run.err;
    EXPECT_EQ(data_tables_contents(db), before);
    EXPECT_EQ(query_value(db, "SELECT status FROM etl_runs ORDER BY id DESC LIMIT 1"), "failed");
    return run.err;
  }

  ScratchDatabase database_;
  fs::path directory_;
};

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST_F(HttpFaultRun, ATricklingBodyExits69AtTheTotalTimeout) {
  SensorSim sim(sim_options({.records = 50, .trickle = true}));
  const std::string log = failed_run(
      sim, 69, {{"timeout_ms", "1500"}, {"low_speed_seconds", "0"}, {"retry_attempts", "2"}});
  EXPECT_TRUE(contains(log, "gave up after 2 attempts; last error: curl error 28")) << log;
  EXPECT_EQ(sim.calls_served(), 2);
}

TEST_F(HttpFaultRun, ATricklingBodyExits69AtTheLowSpeedGuard) {
  SensorSim sim(sim_options({.records = 50, .trickle = true}));
  const std::string log = failed_run(sim, 69,
                                     {{"timeout_ms", "60000"},
                                      {"low_speed_bytes_per_second", "100"},
                                      {"low_speed_seconds", "1"},
                                      {"retry_attempts", "1"}});
  EXPECT_TRUE(contains(log, "curl error 28: Operation too slow")) << log;
}

TEST_F(HttpFaultRun, AConnectionResetMidBodyExits69AfterTheRetries) {
  SensorSim sim(sim_options({.records = 200, .reset_mid_body = true}));
  const std::string log = failed_run(sim, 69);
  EXPECT_TRUE(contains(log, "gave up after 3 attempts")) << log;
  EXPECT_EQ(sim.calls_served(), 3);
}

TEST_F(HttpFaultRun, AnHtmlMaintenancePageExits65NamingTheContentType) {
  SensorSim sim(sim_options({.records = 50, .html_error = true}));
  const std::string log = failed_run(sim, 65);
  EXPECT_TRUE(contains(log, "answered 200 with Content-Type \\\"text/html; charset=utf-8\\\"") ||
              contains(log, "answered 200 with Content-Type \"text/html; charset=utf-8\""))
      << log;
  EXPECT_TRUE(contains(log, "<title>Maintenance</title>")) << log;
  EXPECT_EQ(sim.calls_served(), 1);
}

TEST_F(HttpFaultRun, ACorruptGzipBodyExits65) {
  SensorSim sim(sim_options({.records = 200, .gzip_corrupt = true}));
  const std::string log = failed_run(sim, 65);
  EXPECT_TRUE(contains(log, "the body cannot be decoded")) << log;
  EXPECT_EQ(sim.calls_served(), 1);
}

TEST_F(HttpFaultRun, AGzipBombExits69AtTheCapOnDecodedBytes) {
  SensorSim sim(sim_options({.records = 10, .gzip_bomb_bytes = 16ULL << 30}));
  const std::string log = failed_run(sim, 69, {{"max_body_mb", "1"}});
  EXPECT_TRUE(contains(log,
                       "body exceeds 1048576 bytes (the max_body_mb cap, after decoding "
                       "gzip); not retried"))
      << log;
  EXPECT_EQ(sim.calls_served(), 1);
}

TEST_F(HttpFaultRun, AChunkedBodyOverTheCapExits69WithoutRetry) {
  // About 1.5 MB of readings against a 1 MiB cap, with no Content-Length to refuse it early.
  SensorSim sim(sim_options({.records = 10000, .chunked = true}));
  const std::string log = failed_run(sim, 69, {{"max_body_mb", "1"}});
  EXPECT_TRUE(contains(log, "body exceeds 1048576 bytes (the max_body_mb cap); not retried"))
      << log;
  EXPECT_EQ(sim.calls_served(), 1);
}

TEST_F(HttpFaultRun, AGzipFeedStoresExactlyWhatThePlainFeedStores) {
  SensorSim plain(sim_options({.records = 300, .seed = 11, .invalid = 4, .identity = true}));
  SensorSim gzip(sim_options({.records = 300, .seed = 11, .invalid = 4, .gzip = true}));
  ScratchDatabase gzip_database;
  const std::string plain_config = write_config(database_, plain);
  const std::string gzip_config = write_config(gzip_database, gzip);
  prepare(plain_config, database_);
  prepare(gzip_config, gzip_database);
  const auto plain_run = meteo(plain_config, database_, {"run", "--hour", "2026-11-22T06"});
  ASSERT_EQ(plain_run.exit_code, 0) << plain_run.err;
  const auto gzip_run = meteo(gzip_config, gzip_database, {"run", "--hour", "2026-11-22T06"});
  ASSERT_EQ(gzip_run.exit_code, 0) << gzip_run.err;

  Database plain_db = database_.connect();
  Database gzip_db = gzip_database.connect();
  EXPECT_EQ(count_rows(gzip_db, "sensor_readings"), 300u);
  EXPECT_EQ(count_rows(gzip_db, "rejected_records"), 4u);
  // Every reading's values (not when it was stored): an order-free fingerprint of the rows.
  const std::string readings =
      "SELECT CONCAT(COUNT(*), ' rows, ', SUM(CRC32(CONCAT_WS('|', reading_id, hour, latitude, "
      "longitude, temperature, observed_at, country)))) FROM sensor_readings";
  EXPECT_EQ(query_value(gzip_db, readings), query_value(plain_db, readings));
  EXPECT_EQ(table_contents(gzip_db, "reading_regions"),
            table_contents(plain_db, "reading_regions"));
  const auto plain_query =
      meteo(plain_config, database_, {"query", "temperature-3h", "--format", "csv"});
  const auto gzip_query =
      meteo(gzip_config, gzip_database, {"query", "temperature-3h", "--format", "csv"});
  ASSERT_EQ(gzip_query.exit_code, 0) << gzip_query.err;
  EXPECT_EQ(gzip_query.out, plain_query.out);
  EXPECT_TRUE(contains(gzip_query.out, "fr-regions,Occitanie,2026-11-22T06:00:00Z,"))
      << gzip_query.out;
}

}  // namespace
}  // namespace meteo::testing
