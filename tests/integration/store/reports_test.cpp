#include "meteo/store/reports.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "meteo/store/ledger.hpp"
#include "meteo/store/migrations.hpp"
#include "meteo/store/run_load.hpp"
#include "paths.hpp"
#include "store_fixtures.hpp"

namespace meteo::testing {
namespace {

using ::testing::MatchesRegex;

class Temperature3h : public ::testing::Test {
 protected:
  Temperature3h() {
    // Aggregates written directly: the view only reads region_hourly_temperature.
    add("fr-regions", "11", "Île-de-France", "2026-11-22 09:00:00", 20.5);
    add("fr-regions", "11", "Île-de-France", "2026-11-22 06:00:00", 14.0);
    add("fr-regions", "84", "Auvergne-Rhône-Alpes", "2026-11-22 09:00:00", 10.0);
    add("fr-regions", "84", "Auvergne-Rhône-Alpes", "2026-11-22 07:00:00", 9.0);  // H-2h
    add("other-set", "84", "Auvergne-Rhône-Alpes", "2026-11-22 06:00:00", -1.0);  // other set
  }
  void add(const std::string& set, const std::string& code, const std::string& name,
           const std::string& hour, double temperature) {
    db_.execute(
        "INSERT INTO region_hourly_temperature (hour, region_set, region_code, region,"
        " temperature, numberOfPoints, updated_at) VALUES ('" +
        hour + "', '" + set + "', '" + code + "', '" + name + "', " + std::to_string(temperature) +
        ", 1, UTC_TIMESTAMP(3))");
  }

  ScratchDatabase scratch_ = ScratchDatabase::migrated();
  Database db_ = scratch_.connect();
};

TEST_F(Temperature3h, ViewPairsEachRowWithTheSameRegionThreeHoursBefore) {
  const Rows expected{
      {"fr-regions", "84", "Auvergne-Rhône-Alpes", "2026-11-22 09:00:00", "10", std::nullopt},
      {"fr-regions", "11", "Île-de-France", "2026-11-22 09:00:00", "20.5", "14"},
      {"fr-regions", "84", "Auvergne-Rhône-Alpes", "2026-11-22 07:00:00", "9", std::nullopt},
      {"fr-regions", "11", "Île-de-France", "2026-11-22 06:00:00", "14", std::nullopt},
      {"other-set", "84", "Auvergne-Rhône-Alpes", "2026-11-22 06:00:00", "-1", std::nullopt}};
  const std::string columns =
      "SELECT RegionSet, RegionCode, Region, Hour, Temperature, Temperature3HoursBefore FROM ";
  const std::string order = " ORDER BY Hour DESC, RegionSet, Region";
  EXPECT_EQ(sql_rows(db_, columns + "region_temperature_3h" + order), expected);
  EXPECT_EQ(sql_rows(db_, columns + "region_temperature_3h_v1" + order), expected);
}

TEST_F(Temperature3h, StandaloneQueryGivesTheViewsRows) {
  std::ifstream file(source_path("sql/queries/temperature_3h.sql"));
  ASSERT_TRUE(file) << "sql/queries/temperature_3h.sql";
  std::stringstream text;
  text << file.rdbuf();
  auto query = text.str();
  query.erase(query.find_last_not_of(" \n;") + 1);  // one statement, no terminator
  EXPECT_EQ(sql_rows(db_, query), sql_rows(db_,
                                           "SELECT * FROM region_temperature_3h"
                                           " ORDER BY Hour DESC, RegionSet, Region, RegionCode"));
}

TEST_F(Temperature3h, QueryReturnsNewestHourFirstThenSetThenRegion) {
  const auto rows = query_temperature_3h(db_);
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[0].region, "Auvergne-Rhône-Alpes");
  EXPECT_EQ(rows[0].hour, at("2026-11-22 09:00:00"));
  EXPECT_EQ(rows[0].temperature_3h_before, std::nullopt);
  EXPECT_EQ(rows[1].region_set, "fr-regions");
  EXPECT_EQ(rows[1].region, "Île-de-France");
  EXPECT_DOUBLE_EQ(rows[1].temperature, 20.5);
  EXPECT_EQ(rows[1].temperature_3h_before, 14.0);
  EXPECT_EQ(rows[4].region_set, "other-set");
  EXPECT_EQ(query_temperature_3h(db_, 2).size(), 2u);
}

TEST(Status, WorksOnAnUnmigratedDatabase) {
  ScratchDatabase scratch;
  auto db = scratch.connect();
  const auto status = read_status(db);
  EXPECT_EQ(status.schema_version, 0);
  EXPECT_EQ(status.bundled_version, bundled_migrations().back().version);
  EXPECT_TRUE(status.recent_runs.empty());
  EXPECT_TRUE(status.region_sets.empty());
}

class StatusTest : public StoreTest {};

TEST_F(StatusTest, ReportsRecentRunsNewestFirstAndRegionSets) {
  const auto hour = at("2026-11-22 06:00:00");
  const auto failed = begin_run(db_, "sensors", hour);
  fail_run(db_, failed, "source unavailable: HTTP 503");
  auto run =
      batch(begin_run(db_, "sensors", hour), hour, {matched("a", 1.0, 0)}, {{1, "bad", "{}"}});
  run.counts.duplicates = 2;
  run.counts.outside = 3;
  run.counts.disagreements = 4;
  run.counts.fetched = 10;
  load_run(db_, run);
  const auto running = begin_run(db_, "partner", hour + std::chrono::hours(1));

  const auto status = read_status(db_, 2);
  EXPECT_EQ(status.schema_version, bundled_migrations().back().version);
  ASSERT_EQ(status.recent_runs.size(), 2u);
  const auto& newest = status.recent_runs[0];
  EXPECT_EQ(newest.id, running);
  EXPECT_EQ(newest.source, "partner");
  EXPECT_EQ(newest.status, "running");
  EXPECT_EQ(newest.hour, at("2026-11-22 07:00:00"));
  EXPECT_EQ(newest.finished_at, "");
  EXPECT_THAT(newest.started_at, MatchesRegex("[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8}\\.[0-9]{3}"));
  const auto& loaded = status.recent_runs[1];
  EXPECT_EQ(loaded.id, run.run_id);
  EXPECT_EQ(loaded.status, "succeeded");
  EXPECT_THAT(loaded.finished_at, MatchesRegex("[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8}\\.[0-9]{3}"));
  EXPECT_EQ(loaded.counts.fetched, 10u);
  EXPECT_EQ(loaded.counts.rejected, 1u);
  EXPECT_EQ(loaded.counts.duplicates, 2u);
  EXPECT_EQ(loaded.counts.outside, 3u);
  EXPECT_EQ(loaded.counts.disagreements, 4u);
  EXPECT_EQ(loaded.counts.stored, 1u);

  const auto all = read_status(db_);
  ASSERT_EQ(all.recent_runs.size(), 3u);
  EXPECT_EQ(all.recent_runs[2].status, "failed");
  EXPECT_EQ(all.recent_runs[2].message, "source unavailable: HTTP 503");

  ASSERT_EQ(status.region_sets.size(), 1u);
  EXPECT_EQ(status.region_sets[0].name, "fr-regions");
  EXPECT_EQ(status.region_sets[0].checksum, "sha-v1");
  EXPECT_EQ(status.region_sets[0].location, "file:///data/fr-regions.geojson");
  EXPECT_EQ(status.region_sets[0].region_count, 2u);
  EXPECT_FALSE(status.region_sets[0].loaded_at.empty());
}

}  // namespace
}  // namespace meteo::testing
