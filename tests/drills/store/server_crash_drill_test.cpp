// Drill: the database server dies (SIGKILL) while a run's load transaction is open, and comes back
// on the same datadir. The run must exit 75, the data must be exactly as before the run, and the
// next run must close the dead run's ledger row and load what an undisturbed run loads.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <thread>

#include "config_files.hpp"
#include "db_snapshot.hpp"
#include "paths.hpp"
#include "private_mariadb.hpp"
#include "sensor_sim.hpp"
#include "subprocess.hpp"

namespace meteo::testing {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr const char* kApiKey = "drill-key";
constexpr const char* kHour = "2026-11-22T06";

std::string describe(const ProcessResult& result) {
  return "exit " + std::to_string(result.exit_code) + "\nstderr:\n" + result.err;
}

// Polls `query` (one value) until it returns `expected`; false after the deadline.
bool wait_for_value(Database& db, const std::string& query, const std::string& expected,
                    std::chrono::seconds patience = std::chrono::seconds(60)) {
  const auto deadline = std::chrono::steady_clock::now() + patience;
  while (std::chrono::steady_clock::now() < deadline) {
    if (query_value(db, query) == expected) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

// What a run loaded, without run ids and timestamps, which differ between equal loads.
std::string loaded_data(Database& db) {
  const std::pair<const char*, const char*> tables[] = {
      {"sensor_readings",
       "source, reading_id, hour, latitude, longitude, temperature, observed_at, country"},
      {"reading_regions", "source, reading_id, region_set, region_code"},
      {"rejected_records", "source, hour, position, reason, record"},
      {"region_hourly_temperature",
       "hour, region_set, region_code, region, temperature, numberOfPoints"}};
  std::string text;
  for (const auto& [table, columns] : tables) {
    const std::string query = std::string("SELECT CONCAT(COUNT(*), ' rows, checksum ',") +
                              " COALESCE(SUM(CRC32(CONCAT_WS('|', " + columns + "))), 0)) FROM " +
                              table;
    text += std::string(table) + ": " + query_value(db, query) + "\n";
  }
  return text;
}

class ServerCrashDrill : public ::testing::Test {
 protected:
  void SetUp() override {
    METEO_SKIP_WITHOUT_SHARED_DATA("geo/regions.geojson");
    directory_ = fs::temp_directory_path() /
                 ("meteo-drill-" + std::to_string(::getpid()) + "-" +
                  ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(directory_);
    fs::create_directories(directory_);
    server_.emplace(directory_ / "mariadb");
  }
  void TearDown() override {
    server_.reset();
    if (!HasFailure()) fs::remove_all(directory_);
  }

  // A database on the private server, migrated, with the regions loaded, and its config file.
  std::string prepare(const std::string& database, const SensorSim& sim) {
    Database::connect(server_->config())
        .execute("CREATE DATABASE " + database + " CHARACTER SET utf8mb4");
    const std::string path = (directory_ / (database + ".toml")).string();
    std::ofstream config(path);
    config << database_toml(server_->config(database))
           << "\n[[region_sets]]\nname = \"fr-regions\"\nlocation = \""
           << shared_data("geo/regions.geojson") << "\"\n"
           << "\n[[sources]]\nname = \"sensors\"\ntype = \"sensor-api\"\nurl = \"" << sim.url()
           << "\"\napi_key_env = \"SENSOR_API_KEY\"\nregion_sets = [\"fr-regions\"]\n"
           << "[sources.http]\nretry_attempts = 1\ntimeout_ms = 30000\n";
    config.close();
    for (const auto& args :
         {std::vector<std::string>{"migrate"}, std::vector<std::string>{"regions", "load"}}) {
      const auto result = meteo(path, args);
      EXPECT_EQ(result.exit_code, 0) << describe(result);
    }
    return path;
  }

  ProcessResult meteo(const std::string& config_path, std::vector<std::string> args) {
    args.insert(args.begin(), meteo_etl_binary());
    Environment env = cron_environment(config_path, server_->config());
    env["SENSOR_API_KEY"] = kApiKey;
    return run_process(args, env, std::chrono::seconds(300));
  }

  Database connect(const std::string& database) {
    return Database::connect(server_->config(database));
  }

  fs::path directory_;
  std::optional<PrivateMariaDb> server_;
};

TEST_F(ServerCrashDrill, AServerKilledMidTransactionLosesTheRunButNoData) {
  // The delay leaves time to take the ledger row's lock before the run loads.
  SensorSim sim({.records = 2000,
                 .seed = 11,
                 .api_key = kApiKey,
                 .invalid = 3,
                 .duplicates = 5,
                 .delay_ms = 1500});
  const std::string config = prepare("meteo", sim);
  const std::string reference_config = prepare("meteo_reference", sim);
  std::string before;
  {
    Database db = connect("meteo");
    before = data_tables_contents(db);
  }

  ProcessResult killed_run;
  std::thread run([&] { killed_run = meteo(config, {"run", "--hour", kHour}); });
  bool in_transaction = false;
  try {
    Database observer = connect("meteo");
    Database holder = connect("meteo");
    // Hold the ledger row: the run writes every reading and aggregate, then waits to mark itself
    // succeeded, its transaction open and full. That is when the server dies.
    if (wait_for_value(observer, "SELECT COUNT(*) FROM etl_runs WHERE status = 'running'", "1")) {
      holder.execute("START TRANSACTION");
      holder.execute("SELECT id FROM etl_runs WHERE status = 'running' FOR UPDATE");
      in_transaction =
          wait_for_value(observer,
                         "SELECT COUNT(*) FROM information_schema.processlist"
                         " WHERE info LIKE 'UPDATE etl_runs SET status = ''succeeded''%'",
                         "1");
    }
    server_->kill_hard();
  } catch (const std::exception& error) {
    ADD_FAILURE() << "drill setup: " << error.what();
    server_->kill_hard();
  }
  run.join();
  ASSERT_TRUE(in_transaction) << "the run never waited inside its load transaction; "
                              << describe(killed_run);

  EXPECT_EQ(killed_run.exit_code, 75) << describe(killed_run);
  EXPECT_THAT(killed_run.err, HasSubstr("loading run 1 of sensors"));
  EXPECT_THAT(killed_run.err, HasSubstr("marking the run succeeded"));
  EXPECT_THAT(killed_run.err, HasSubstr("(on the database 'meteo' at socket "));

  server_->start();
  Database db = connect("meteo");
  EXPECT_EQ(data_tables_contents(db), before) << "the crash left part of the run behind";
  EXPECT_EQ(query_value(db, "SELECT status FROM etl_runs WHERE id = 1"), "running")
      << "nobody could record the killed run's end";

  const auto next = meteo(config, {"run", "--hour", kHour});
  ASSERT_EQ(next.exit_code, 0) << describe(next);
  EXPECT_THAT(next.err, HasSubstr("marked 1 abandoned run(s) failed"));
  EXPECT_EQ(query_value(db, "SELECT status FROM etl_runs WHERE id = 1"), "failed");
  EXPECT_THAT(query_value(db, "SELECT message FROM etl_runs WHERE id = 1"),
              StartsWith("abandoned:"));
  EXPECT_EQ(query_value(db, "SELECT status FROM etl_runs WHERE id = 2"), "succeeded");

  const auto undisturbed = meteo(reference_config, {"run", "--hour", kHour});
  ASSERT_EQ(undisturbed.exit_code, 0) << describe(undisturbed);
  Database reference = connect("meteo_reference");
  EXPECT_EQ(loaded_data(db), loaded_data(reference));
  EXPECT_EQ(count_rows(db, "sensor_readings"), 2000u);
}

}  // namespace
}  // namespace meteo::testing
