// A server that refuses LOAD DATA LOCAL INFILE (MySQL 8's default, local_infile = OFF) with
// load_data_local = true configured: the run still loads everything, through INSERT, warned once.
// The refusal is server-wide, so this test has a server of its own.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <sstream>

#include "meteo/store/ledger.hpp"
#include "meteo/store/migrations.hpp"
#include "meteo/store/region_sets.hpp"
#include "meteo/store/run_load.hpp"
#include "private_mariadb.hpp"
#include "store_fixtures.hpp"

namespace meteo::testing {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

class LoadDataRefused : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = fs::temp_directory_path() / ("meteo-refusal-" + std::to_string(::getpid()));
    fs::remove_all(directory_);
    server_.emplace(directory_ / "mariadb");
    Database server = Database::connect(server_->config());
    server.execute("SET GLOBAL local_infile = OFF");
    server.execute("CREATE DATABASE meteo CHARACTER SET utf8mb4");
  }
  void TearDown() override {
    server_.reset();
    if (!HasFailure()) fs::remove_all(directory_);
  }

  Database connect(spdlog::logger* log) {
    DatabaseConfig config = server_->config("meteo");
    config.load_data_local = true;
    return Database::connect(config, log);
  }

  fs::path directory_;
  std::optional<PrivateMariaDb> server_;
};

TEST_F(LoadDataRefused, TheRunLoadsThroughInsertAndWarnsOnce) {
  std::ostringstream warnings;
  auto log = std::make_shared<spdlog::logger>(
      "refusal", std::make_shared<spdlog::sinks::ostream_sink_mt>(warnings));
  Database db = connect(log.get());
  apply_migrations(db, bundled_migrations());
  const RegionSet regions = french_regions();
  save_region_set(db, region_set_config("fr-regions"), regions);
  ASSERT_TRUE(db.bulk_load_allowed());

  const UtcSeconds hour = at("2026-11-22 06:00:00");
  for (const char* batch : {"first", "second"}) {
    RunBatch run;
    run.run_id = begin_run(db, "sensors", hour);
    run.source = "sensors";
    run.hour = hour;
    run.region_sets = {&regions};
    run.readings = {matched(std::string(batch) + "-a", 10.0, 0),
                    matched(std::string(batch) + "-b", 13.0, 0)};
    run.counts.fetched = 2;
    EXPECT_EQ(load_run(db, run).stored, 2u) << batch;
  }

  EXPECT_FALSE(db.bulk_load_allowed());
  EXPECT_THAT(warnings.str(), HasSubstr("LOAD DATA LOCAL INFILE into sensor_readings was refused"));
  EXPECT_EQ(warnings.str().find("refused"), warnings.str().rfind("refused")) << "warned once";
  EXPECT_EQ(sql_rows(db,
                     "SELECT region_code, temperature, numberOfPoints"
                     " FROM region_hourly_temperature"),
            (Rows{{"11", "11.5", "4"}}));
  EXPECT_EQ(sql_value(db, "SELECT COUNT(*) FROM reading_regions"), "4");
}

}  // namespace
}  // namespace meteo::testing
