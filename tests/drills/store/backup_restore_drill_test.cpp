// Drill: a few hours of the job, scripts/backup.sh, the database and the raw archive lost,
// scripts/restore.sh; everything must come back as it was, and the job must carry on.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "config_files.hpp"
#include "db_snapshot.hpp"
#include "paths.hpp"
#include "sensor_sim.hpp"
#include "subprocess.hpp"
#include "test_database.hpp"

namespace meteo::testing {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

constexpr const char* kApiKey = "drill-key";

std::string describe(const ProcessResult& result) {
  return "exit " + std::to_string(result.exit_code) + "\nstdout:\n" + result.out + "\nstderr:\n" +
         result.err;
}

// Every file under `root` with its contents, by relative path.
std::map<std::string, std::string> files_under(const fs::path& root) {
  std::map<std::string, std::string> files;
  if (!fs::exists(root)) return files;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    files[fs::relative(entry.path(), root).string()] = content.str();
  }
  return files;
}

class BackupRestoreDrill : public ::testing::Test {
 protected:
  void SetUp() override {
    METEO_SKIP_WITHOUT_SHARED_DATA("geo/regions.geojson");
    directory_ = fs::temp_directory_path() /
                 ("meteo-drill-" + std::to_string(::getpid()) + "-" +
                  ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(directory_);
    fs::create_directories(directory_);
  }
  void TearDown() override {
    if (!HasFailure()) fs::remove_all(directory_);
  }

  std::string config_path() const { return (directory_ / "meteo-etl.toml").string(); }
  // The archive root's default: "archive" beside the config file.
  fs::path archive_root() const { return directory_ / "archive"; }

  void write_config(const SensorSim& sim) {
    std::ofstream config(config_path());
    config << database_toml(database_.config())
           << "\n[[region_sets]]\nname = \"fr-regions\"\nlocation = \""
           << shared_data("geo/regions.geojson") << "\"\n"
           << "\n[[sources]]\nname = \"sensors\"\ntype = \"sensor-api\"\nurl = \"" << sim.url()
           << "\"\napi_key_env = \"SENSOR_API_KEY\"\nregion_sets = [\"fr-regions\"]\n"
           << "[sources.http]\nretry_attempts = 1\ntimeout_ms = 30000\n";
  }

  ProcessResult meteo(std::vector<std::string> args) {
    args.insert(args.begin(), meteo_etl_binary());
    Environment env = cron_environment(config_path(), database_.config());
    env["SENSOR_API_KEY"] = kApiKey;
    return run_process(args, env);
  }

  // scripts/<name> with the test server's connection options; the password only in $MYSQL_PWD.
  ProcessResult script(const std::string& name, std::vector<std::string> args) {
    const DatabaseConfig& db = database_.config();
    args.insert(args.begin(), {"bash", source_path("scripts/" + name)});
    if (!db.socket.empty()) {
      args.insert(args.end(), {"--socket", db.socket});
    } else {
      args.insert(args.end(), {"--host", db.host, "--port", std::to_string(db.port)});
    }
    args.insert(args.end(), {"--user", db.user});
    Environment env{{"PATH", "/usr/local/bin:/usr/bin:/bin"}};
    if (!db.password.empty()) env["MYSQL_PWD"] = db.password.reveal();
    return run_process(args, env);
  }

  // Everything the job and the operator wrote, tables and ledger alike.
  std::string everything() {
    Database db = database_.connect();
    return data_tables_contents(db) + table_contents(db, "etl_runs") +
           table_contents(db, "schema_migrations");
  }

  void drop_database() {
    DatabaseConfig server = database_.config();
    server.name.clear();
    Database::connect(server).execute("DROP DATABASE `" + database_.config().name + "`");
  }

  ScratchDatabase database_;
  fs::path directory_;
};

TEST_F(BackupRestoreDrill, ALostDatabaseAndArchiveComeBackFromTheBackup) {
  for (int hour = 3; hour <= 6; ++hour) {
    SensorSim sim({.records = 300,
                   .seed = static_cast<unsigned>(hour),
                   .api_key = kApiKey,
                   .invalid = 2,
                   .duplicates = 3});
    write_config(sim);
    if (hour == 3) {
      ASSERT_EQ(meteo({"migrate"}).exit_code, 0);
      const auto regions = meteo({"regions", "load"});
      ASSERT_EQ(regions.exit_code, 0) << describe(regions);
    }
    const auto run = meteo({"run", "--hour", "2026-11-22T0" + std::to_string(hour)});
    ASSERT_EQ(run.exit_code, 0) << describe(run);
  }
  // Without the raw archive in this build, a stand-in file still exercises its backup.
  if (files_under(archive_root()).empty()) {
    fs::create_directories(archive_root() / "sensors");
    std::ofstream(archive_root() / "sensors" / "stand-in.json") << "[]";
  }
  const std::string before = everything();
  const auto archived = files_under(archive_root());
  {
    Database db = database_.connect();
    ASSERT_EQ(count_rows(db, "etl_runs", "status = 'succeeded'"), 4u);
  }

  const auto backup =
      script("backup.sh", {"--out", (directory_ / "backups").string(), "--archive",
                           archive_root().string(), "--database", database_.config().name});
  ASSERT_EQ(backup.exit_code, 0) << describe(backup);
  const fs::path backup_dir = backup.out.substr(0, backup.out.find('\n'));
  for (const char* file : {"database.sql.gz", "archive.tar.gz", "backup.info", "MANIFEST.sha256"}) {
    EXPECT_TRUE(fs::exists(backup_dir / file)) << backup_dir / file;
  }

  drop_database();
  fs::remove_all(archive_root());

  const auto restore =
      script("restore.sh", {backup_dir.string(), "--archive", archive_root().string()});
  ASSERT_EQ(restore.exit_code, 0) << describe(restore);
  EXPECT_EQ(everything(), before);
  EXPECT_EQ(files_under(archive_root()), archived);

  // `verify` is the lead's consistency check, when this build has it.
  if (meteo({"verify", "--help"}).exit_code == 0) {
    const auto verify = meteo({"verify"});
    EXPECT_EQ(verify.exit_code, 0) << describe(verify);
  }

  // The job carries on from the restored state.
  SensorSim next({.records = 300, .seed = 7, .api_key = kApiKey});
  write_config(next);
  const auto run = meteo({"run", "--hour", "2026-11-22T07"});
  EXPECT_EQ(run.exit_code, 0) << describe(run);
}

TEST_F(BackupRestoreDrill, ACorruptBackupIsRefusedBeforeAnythingChanges) {
  write_config(SensorSim({.api_key = kApiKey}));
  ASSERT_EQ(meteo({"migrate"}).exit_code, 0);
  fs::create_directories(archive_root());
  std::ofstream(archive_root() / "payload.json") << "[]";
  const auto backup =
      script("backup.sh", {"--out", (directory_ / "backups").string(), "--archive",
                           archive_root().string(), "--database", database_.config().name});
  ASSERT_EQ(backup.exit_code, 0) << describe(backup);
  const fs::path backup_dir = backup.out.substr(0, backup.out.find('\n'));
  std::ofstream(backup_dir / "database.sql.gz", std::ios::app) << "bit rot";
  const std::string before = everything();

  const auto refused =
      script("restore.sh", {backup_dir.string(), "--force", "--archive", archive_root().string()});
  EXPECT_EQ(refused.exit_code, 65) << describe(refused);
  EXPECT_THAT(refused.err, HasSubstr("does not match its manifest"));
  EXPECT_EQ(everything(), before);

  // An intact backup over a live database needs --force.
  const auto fresh = script("backup.sh", {"--out", (directory_ / "fresh").string(), "--database",
                                          database_.config().name});
  ASSERT_EQ(fresh.exit_code, 0) << describe(fresh);
  const auto exists = script("restore.sh", {fresh.out.substr(0, fresh.out.find('\n'))});
  EXPECT_EQ(exists.exit_code, 73) << describe(exists);
  EXPECT_THAT(exists.err, HasSubstr("use --force"));
}

}  // namespace
}  // namespace meteo::testing
