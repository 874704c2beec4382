// Inputs and secrets (issue 15's unclear behaviours): credentials in the URL, records giving a
// key twice, too-deep records and blank secrets, checked where they end up (log, etl_runs,
// raw_payloads, rejected_records, `status --json`) with the binary as cron runs it.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "config_files.hpp"
#include "db_snapshot.hpp"
#include "paths.hpp"
#include "sensor_sim.hpp"
#include "subprocess.hpp"
#include "test_database.hpp"

namespace meteo::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* kApiKey = "e2e-inputs-key-7d21";
constexpr const char* kQuerySecret = "q5ecret-in-the-url-93ab";

std::string describe(const ProcessResult& result) {
  return "exit " + std::to_string(result.exit_code) + "\nstdout:\n" + result.out + "\nstderr:\n" +
         result.err;
}

class Inputs : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = fs::temp_directory_path() /
                 ("meteo-inputs-" + std::to_string(::getpid()) + "-" +
                  ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(directory_);
    fs::create_directories(directory_);
  }
  void TearDown() override { fs::remove_all(directory_); }

  void write_config(const std::string& url) {
    std::ofstream config(config_path());
    config << database_toml(database_.config())
           << "\n[[region_sets]]\nname = \"fr-regions\"\nlocation = \""
           << shared_data("geo/regions.geojson")
           << "\"\nformat = \"geojson\"\ncode_field = \"code\"\nname_field = \"nom\"\n"
           << "\n[[sources]]\nname = \"sensors\"\ntype = \"sensor-api\"\nurl = \"" << url
           << "\"\napi_key_env = \"SENSOR_API_KEY\"\nregion_sets = [\"fr-regions\"]\n"
           << "[sources.http]\nretry_attempts = 1\ntimeout_ms = 5000\nconnect_timeout_ms = 1000\n";
  }

  std::string config_path() const { return (directory_ / "meteo-etl.toml").string(); }

  ProcessResult meteo(std::vector<std::string> args, const std::string& api_key = kApiKey) {
    Environment env = cron_environment(config_path(), database_.config());
    env["SENSOR_API_KEY"] = api_key;
    std::vector<std::string> argv{meteo_etl_binary()};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_process(argv, env);
  }

  void prepare_database() {
    ASSERT_EQ(meteo({"migrate"}).exit_code, 0);
    const auto load = meteo({"regions", "load"});
    ASSERT_EQ(load.exit_code, 0) << describe(load);
  }

  fs::path write_payload(const std::string& bytes) {
    const fs::path path = directory_ / "payload.json";
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }

  ScratchDatabase database_;
  fs::path directory_;
};

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Issue 15: an API key in the URL's query string was logged and stored in etl_runs and shown by
// `status --json`; only user:password was masked.
TEST_F(Inputs, AKeyInTheQueryStringIsMaskedWhereverTheUrlIsShown) {
  SensorSim sim({.records = 5, .api_key = kApiKey, .fail_first = 1, .fail_status = 503});
  const std::string url = sim.url() + "?hour=now&apikey=" + kQuerySecret;
  const std::string shown = sim.url() + "?hour=now&apikey=***";
  write_config(url);
  prepare_database();

  const auto failed = meteo({"run"});
  EXPECT_EQ(failed.exit_code, 69) << describe(failed);
  EXPECT_TRUE(contains(failed.err, "GET " + shown + ": ")) << failed.err;
  const auto succeeded = meteo({"--log-level", "debug", "run"});
  EXPECT_EQ(succeeded.exit_code, 0) << describe(succeeded);
  EXPECT_TRUE(contains(succeeded.err, "GET " + shown)) << succeeded.err;
  const auto status = meteo({"status", "--json"});

  Database db = database_.connect();
  const std::string message =
      query_value(db, "SELECT message FROM etl_runs WHERE status = 'failed' ORDER BY id LIMIT 1");
  EXPECT_TRUE(contains(message, shown)) << message;
  EXPECT_EQ(query_value(db, "SELECT url FROM raw_payloads ORDER BY id DESC LIMIT 1"), shown);
  EXPECT_TRUE(contains(status.out, shown)) << "the last failure's message\n" << describe(status);
  const std::string everything = failed.err + succeeded.err + status.out + status.err +
                                 query_contents(db, "SELECT message FROM etl_runs ORDER BY id") +
                                 query_contents(db, "SELECT url FROM raw_payloads ORDER BY id");
  EXPECT_FALSE(contains(everything, kQuerySecret)) << everything;
  EXPECT_FALSE(contains(everything, kApiKey)) << everything;
}

// Issue 15: a record giving a key twice was read with the last value; a too-deep record was
// stored as a 128-byte reconstruction.
TEST_F(Inputs, ARepeatedKeyAndATooDeepRecordAreRejectedAndStoredAsSent) {
  const std::string good =
      R"({"id":"good","lat":43.6,"lon":1.44,"temperature":12.5,"country":"France"})";
  const std::string twice = R"({"id":"twice","lat":43.6,"lon":1.44,"temperature":12.5,)"
                            R"("temperature":31})";
  const std::string deep =
      R"({"id":"deep","n":)" + std::string(5000, '[') + std::string(5000, ']') + "}";
  SensorSim sim({.api_key = kApiKey,
                 .payload_file = write_payload("[" + good + ",\n" + twice + ", " + deep + "]")});
  write_config(sim.url());
  prepare_database();

  const auto run = meteo({"run"});
  ASSERT_EQ(run.exit_code, 0) << describe(run);
  Database db = database_.connect();
  EXPECT_EQ(query_contents(db, "SELECT reading_id FROM sensor_readings ORDER BY reading_id"),
            "good\n");
  EXPECT_EQ(query_contents(db,
                           "SELECT position, reason, record FROM rejected_records"
                           " WHERE position = 1"),
            "1\tfield \"temperature\" appears twice\t" + twice + "\n");
  EXPECT_EQ(query_value(db, "SELECT reason FROM rejected_records WHERE position = 2"),
            "record nests deeper than 64 levels (10018 bytes of compact JSON, the first 4096 "
            "kept)");
  EXPECT_EQ(query_value(db, "SELECT record FROM rejected_records WHERE position = 2"),
            R"({"id":"deep","n":)" + std::string(4096 - 17, '['));
}

// Issue 15: `export SENSOR_API_KEY=` in a crontab sent an empty X-API-Key header, which earned
// a 401 an hour later, far from the cause.
TEST_F(Inputs, ABlankKeyVariableIsAConfigurationError) {
  SensorSim sim({.api_key = kApiKey});
  write_config(sim.url());
  prepare_database();
  for (const std::string blank : {"", " \n"}) {
    const auto run = meteo({"run"}, blank);
    EXPECT_EQ(run.exit_code, 78) << describe(run);
    EXPECT_TRUE(contains(run.err,
                         "sources[0].api_key_env: environment variable SENSOR_API_KEY"
                         " is empty"))
        << run.err;
  }
  EXPECT_EQ(sim.calls_served(), 0) << "nothing is sent";
}

}  // namespace
}  // namespace meteo::testing
