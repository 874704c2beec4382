// sql/grants.sql end to end: the migration account migrates, the runtime account alone runs every
// other command, and the runtime account cannot change the schema.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "config_files.hpp"
#include "db_snapshot.hpp"
#include "meteo/core/errors.hpp"
#include "meteo/core/time.hpp"
#include "meteo/store/migrations.hpp"
#include "paths.hpp"
#include "portal_sim.hpp"
#include "sensor_sim.hpp"
#include "subprocess.hpp"
#include "test_database.hpp"

namespace meteo::testing {
namespace {

namespace fs = std::filesystem;
using std::chrono::hours;

constexpr const char* kApiKey = "least-privilege-key";

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

// Replaces every occurrence; returns how many, so a test can prove the substitution happened.
int replace_all(std::string& text, const std::string& from, const std::string& to) {
  int count = 0;
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
    ++count;
  }
  return count;
}

std::string describe(const ProcessResult& result) {
  return "exit " + std::to_string(result.exit_code) + "\nstdout:\n" + result.out + "\nstderr:\n" +
         result.err;
}

bool is_mariadb(Database& db) {
  return query_value(db, "SELECT VERSION()").find("MariaDB") != std::string::npos;
}

// One account of grants.sql, renamed for this test so parallel tests never share an account.
struct Account {
  std::string name;
  std::string password;
};

class LeastPrivilege : public ::testing::Test {
 protected:
  void SetUp() override {
    METEO_SKIP_WITHOUT_SHARED_DATA("geo/regions.geojson", "geo/communes-31-haute-garonne.geojson");
    directory_ = fs::temp_directory_path() /
                 ("meteo-e2e-ops-" + std::to_string(::getpid()) + "-" +
                  ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(directory_);
  }

  void TearDown() override {
    try {
      Database admin = database_.connect();
      for (const auto* account : {&migrate_, &runtime_}) {
        admin.execute("DROP USER IF EXISTS '" + account->name + "'@'%'");
      }
    } catch (const std::exception& error) {
      ADD_FAILURE() << "could not drop the test accounts: " << error.what();
    }
    fs::remove_all(directory_);
  }

  // grants.sql as shipped, with the scratch database and this test's account names.
  void apply_grants() {
    std::string script = read_text(source_path("sql/grants.sql"));
    ASSERT_GT(replace_all(script, " ON meteo.* ", " ON `" + database_.config().name + "`.* "), 0);
    ASSERT_GT(replace_all(script, "'meteo_migrate'", "'" + migrate_.name + "'"), 0);
    ASSERT_GT(replace_all(script, "'meteo_runtime'", "'" + runtime_.name + "'"), 0);
    Database admin = database_.connect();
    for (const auto& statement : split_sql_statements(script)) admin.execute(statement);
    // What the header tells the operator to run next.
    const std::string identified =
        is_mariadb(admin) ? "IDENTIFIED BY" : "IDENTIFIED WITH mysql_native_password BY";
    for (const auto* account : {&migrate_, &runtime_}) {
      admin.execute("ALTER USER '" + account->name + "'@'%' " + identified + " '" +
                    account->password + "' ACCOUNT UNLOCK");
    }
  }

  DatabaseConfig as(const Account& account) const {
    DatabaseConfig config = database_.config();
    config.user = account.name;
    config.password = Secret(account.password);
    return config;
  }

  // Both kinds of source, so every table the tool writes is written by the runtime account.
  std::string write_config(const std::string& file, const Account& account, const SensorSim& sim,
                           const PortalSim& portal) const {
    const std::string path = (directory_ / file).string();
    std::ofstream config(path);
    config << database_toml(as(account))
           << "\n[[region_sets]]\nname = \"fr-regions\"\nlocation = \""
           << shared_data("geo/regions.geojson") << "\"\n"
           << "\n[[region_sets]]\nname = \"toulouse-communes\"\nlocation = \""
           << shared_data("geo/communes-31-haute-garonne.geojson") << "\"\n"
           << "\n[[sources]]\nname = \"sensors\"\ntype = \"sensor-api\"\nurl = \"" << sim.url()
           << "\"\napi_key_env = \"SENSOR_API_KEY\"\nregion_sets = [\"fr-regions\"]\n"
           << "[sources.http]\nretry_attempts = 2\nretry_initial_backoff_ms = 50\n"
           << "\n[[sources]]\nname = \"toulouse\"\ntype = \"opendatasoft-stations\"\nbase_url = \""
           << portal.base_url() << "\"\ndataset_pattern = \"station-meteo\"\nstart = \""
           << to_iso8601(portal_now_ - hours(6)) << "\"\nexport_window_hours = 240\n"
           << "region_sets = [\"toulouse-communes\"]\n"
           << "[sources.http]\nretry_attempts = 4\nretry_initial_backoff_ms = 50\n";
    return path;
  }

  ProcessResult meteo(const std::string& config_path, const Account& account,
                      std::vector<std::string> args) {
    args.insert(args.begin(), {meteo_etl_binary(), "--config", config_path});
    Environment env = cron_environment(config_path, as(account));
    env["SENSOR_API_KEY"] = kApiKey;
    return run_process(args, env, std::chrono::seconds(300));
  }

  // The portal's present: an hour ago, so the tool's real clock is always later.
  const UtcSeconds portal_now_ = floor_to_hour(std::chrono::system_clock::now()) - hours(1);
  ScratchDatabase database_;
  Account migrate_{database_.config().name + "_m", "migrate-pw-4c1e"};
  Account runtime_{database_.config().name + "_r", "runtime-pw-9b2d"};
  fs::path directory_;
};

TEST_F(LeastPrivilege, TheRuntimeAccountRunsEveryCommandButCannotChangeTheSchema) {
  apply_grants();
  SensorSim sim({.records = 200, .seed = 5, .api_key = kApiKey, .invalid = 2});
  PortalSimOptions portal_options;
  portal_options.now = to_iso8601(portal_now_);
  portal_options.from = to_iso8601(portal_now_ - hours(12));
  portal_options.datasets = 4;
  PortalSim portal(portal_options);
  const auto migrate_config = write_config("migrate.toml", migrate_, sim, portal);
  const auto runtime_config = write_config("runtime.toml", runtime_, sim, portal);

  const auto migrated = meteo(migrate_config, migrate_, {"migrate"});
  ASSERT_EQ(migrated.exit_code, 0) << describe(migrated);

  // Even with nothing pending, migrate starts with a CREATE TABLE IF NOT EXISTS: refused.
  const auto runtime_migrate = meteo(runtime_config, runtime_, {"migrate"});
  EXPECT_NE(runtime_migrate.exit_code, 0) << describe(runtime_migrate);
  EXPECT_NE(runtime_migrate.err.find("denied"), std::string::npos) << runtime_migrate.err;

  const std::string from = to_iso8601(portal_now_ - hours(10)).substr(0, 13);
  const std::string to = to_iso8601(portal_now_).substr(0, 13);
  const std::vector<std::vector<std::string>> commands{
      {"regions", "load"},
      {"run", "--hour", "2026-11-22T06"},
      {"run", "--hour", "2026-11-22T09"},
      {"backfill", "--from", from, "--to", to, "--source", "toulouse"},
      {"status", "--json"},
      {"query", "temperature-3h", "--format", "json"},
      {"query", "station-hourly", "--format", "csv"},
      {"export", "--what", "region-hourly", "--from", "2026-11-22T00", "--to", "2026-11-22T23",
       "--format", "json"},
      {"export", "--what", "station-hourly", "--from", from, "--to", to},
      {"dashboard", "--out", (directory_ / "site").string()},
      {"watch", "--cycles", "1"},  // every source due at once: one cycle runs them all
  };
  for (const auto& command : commands) {
    const auto result = meteo(runtime_config, runtime_, command);
    EXPECT_EQ(result.exit_code, 0) << command[0] << ' ' << command[1] << ": " << describe(result);
  }

  Database db = database_.connect();
  EXPECT_EQ(count_rows(db, "sensor_readings", "hour = '2026-11-22 06:00:00'"), 200u);
  EXPECT_GT(count_rows(db, "region_hourly_temperature", "region_set = 'fr-regions'"), 0u);
  EXPECT_GT(count_rows(db, "weather_observations"), 0u);
  EXPECT_EQ(count_rows(db, "etl_runs", "status <> 'succeeded'"), 0u);
  EXPECT_TRUE(fs::exists(directory_ / "site" / "data" / "meta.json"));

  Database runtime = Database::connect(as(runtime_));
  for (const char* ddl :
       {"CREATE TABLE intruder (id INT PRIMARY KEY)", "DROP TABLE sensor_readings",
        "ALTER TABLE etl_runs ADD COLUMN x INT", "CREATE TEMPORARY TABLE scratch (id INT)"}) {
    try {
      runtime.execute(ddl);
      ADD_FAILURE() << "the runtime account could run: " << ddl;
    } catch (const Error& error) {
      EXPECT_NE(std::string(error.what()).find("denied"), std::string::npos) << error.what();
    }
  }
  EXPECT_GT(count_rows(db, "sensor_readings"), 0u) << "the table is still there";
}

}  // namespace
}  // namespace meteo::testing
