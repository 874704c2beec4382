#include "meteo/store/migrations.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "meteo/core/errors.hpp"
#include "store_fixtures.hpp"

namespace meteo::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

std::vector<std::string> names(const std::vector<Migration>& migrations) {
  std::vector<std::string> result;
  for (const auto& migration : migrations) result.push_back(migration.name);
  return result;
}

TEST(Migrations, BundledOnesStartWithTheInitialSchema) {
  const auto& bundled = bundled_migrations();
  ASSERT_FALSE(bundled.empty());
  EXPECT_EQ(bundled.front().version, 1);
  EXPECT_EQ(bundled.front().name, "0001_initial.sql");
}

// Galera replicates a row by its primary key: a table without one would diverge between nodes.
// InnoDB alone (no MyISAM, no MEMORY): only InnoDB is replicated at all.
TEST(Migrations, EveryTableIsInnoDbWithAPrimaryKeyAsAClusterNeeds) {
  const auto scratch = ScratchDatabase::migrated();
  auto db = scratch.connect();
  EXPECT_THAT(sql_rows(db,
                       "SELECT t.table_name FROM information_schema.tables AS t"
                       " WHERE t.table_schema = DATABASE() AND t.table_type = 'BASE TABLE'"
                       " AND NOT EXISTS (SELECT 1 FROM information_schema.table_constraints AS c"
                       "   WHERE c.table_schema = t.table_schema AND c.table_name = t.table_name"
                       "   AND c.constraint_type = 'PRIMARY KEY')"),
              IsEmpty());
  EXPECT_THAT(sql_rows(db,
                       "SELECT table_name, engine FROM information_schema.tables"
                       " WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE'"
                       " AND engine <> 'InnoDB'"),
              IsEmpty());
}

TEST(Migrations, ApplyCreatesTheSchemaAndReapplyingIsANoOp) {
  ScratchDatabase scratch;
  auto db = scratch.connect();
  const auto& bundled = bundled_migrations();

  const auto first = apply_migrations(db, bundled);
  EXPECT_EQ(first.applied, names(bundled));
  EXPECT_EQ(first.schema_version, bundled.back().version);
  for (const char* table :
       {"schema_migrations", "region_sets", "regions", "etl_runs", "sensor_readings",
        "reading_regions", "reading_extra_regions", "rejected_records", "region_hourly_temperature",
        "region_temperature_3h_v1", "region_temperature_3h", "etl_leases"}) {
    EXPECT_EQ(sql_value(db, std::string("SELECT COUNT(*) FROM information_schema.tables WHERE "
                                        "table_schema = DATABASE() AND table_name = '") +
                                table + "'"),
              "1")
        << table;
  }
  const auto recorded =
      sql_rows(db, "SELECT version, name FROM schema_migrations ORDER BY version");

  const auto second = apply_migrations(db, bundled);
  EXPECT_THAT(second.applied, IsEmpty());
  EXPECT_EQ(second.schema_version, bundled.back().version);
  EXPECT_EQ(sql_rows(db, "SELECT version, name FROM schema_migrations ORDER BY version"), recorded);
  EXPECT_EQ(require_current_schema(db, bundled), bundled.back().version);
}

// Migration 0011 moves each reading's region in its smallest set name into the reading's row and
// keeps the other sets in reading_extra_regions; reading_regions still shows every match.
TEST(Migrations, InlineFirstRegionMovesOneMatchPerReadingIntoItsRow) {
  ScratchDatabase scratch;
  auto db = scratch.connect();
  ASSERT_EQ(apply_migrations(db, migrations_before(11)).schema_version, 10);
  db.execute(
      "INSERT INTO sensor_readings VALUES"
      " ('s', 'a', '2026-11-22 06:00:00', 48.5, 2.5, 3.0, NULL, NULL, 1, 1, '2026-11-22 06:05:00'),"
      " ('s', 'b', '2026-11-22 06:00:00', 45.5, 4.5, 4.0, NULL, NULL, 1, 1, '2026-11-22 06:05:00'),"
      " ('s', 'c', '2026-11-22 06:00:00', 10.0, 9.0, 5.0, NULL, NULL, 1, 1, '2026-11-22 "
      "06:05:00')");
  db.execute(
      "INSERT INTO reading_regions VALUES ('s', 'a', 'fr-regions', '11'),"
      " ('s', 'a', 'fr-departements', '75'), ('s', 'b', 'fr-regions', NULL)");
  const auto matches_before =
      sql_rows(db, "SELECT * FROM reading_regions ORDER BY reading_id, region_set");

  apply_migrations(db, bundled_migrations());
  EXPECT_EQ(sql_rows(db,
                     "SELECT reading_id, region_set, region_code FROM sensor_readings"
                     " ORDER BY reading_id"),
            (Rows{{"a", "fr-departements", "75"},
                  {"b", "fr-regions", std::nullopt},
                  {"c", std::nullopt, std::nullopt}}));
  EXPECT_EQ(sql_rows(db, "SELECT * FROM reading_extra_regions"),
            (Rows{{"s", "a", "fr-regions", "11"}}));
  EXPECT_EQ(sql_rows(db, "SELECT * FROM reading_regions ORDER BY reading_id, region_set"),
            matches_before);
}

TEST(Migrations, ChecksumIsTheSha256OfTheFileText) {
  ScratchDatabase scratch;
  auto db = scratch.connect();
  apply_migrations(db, {{1, "0001_a.sql", "CREATE TABLE a (x INT)"}});
  // printf 'CREATE TABLE a (x INT)' | sha256sum
  EXPECT_EQ(sql_value(db, "SELECT checksum FROM schema_migrations WHERE version = 1"),
            "cfa1df73b22f8778f732e558f3f011f6c964cd38c9f891fc0f04698747dcaa28");
}

TEST(Migrations, RefusesAMigrationChangedAfterItWasApplied) {
  auto scratch = ScratchDatabase::migrated();
  auto db = scratch.connect();
  auto changed = bundled_migrations();
  changed.front().sql += "\n-- an innocent-looking edit\n";

  const auto error = error_of([&] { apply_migrations(db, changed); });
  EXPECT_EQ(error.code(), ExitCode::config);
  EXPECT_THAT(error.what(),
              HasSubstr("migration 0001_initial.sql was changed after it was applied (checksum"));

  const auto required = error_of([&] { require_current_schema(db, changed); });
  EXPECT_EQ(required.code(), ExitCode::config);
  EXPECT_THAT(required.what(), HasSubstr("schema not migrated: run `meteo-etl migrate`"));
}

TEST(Migrations, RefusesARenamedMigration) {
  ScratchDatabase scratch;
  auto db = scratch.connect();
  apply_migrations(db, {{1, "0001_a.sql", "CREATE TABLE a (x INT)"}});
  const auto error = error_of([&] {
    apply_migrations(db, {{1, "0001_b.sql", "CREATE TABLE a (x INT)"}});
  });
  EXPECT_EQ(error.code(), ExitCode::config);
  EXPECT_THAT(error.what(), HasSubstr("0001_b.sql"));
}

TEST(Migrations, RequireCurrentSchemaFailsOnAnEmptyDatabase) {
  ScratchDatabase scratch;
  auto db = scratch.connect();
  const auto error = error_of([&] { require_current_schema(db, bundled_migrations()); });
  EXPECT_EQ(error.code(), ExitCode::config);
  EXPECT_THAT(error.what(), HasSubstr("schema not migrated: run `meteo-etl migrate`"));
}

TEST(Migrations, PendingMigrationIsReportedThenApplied) {
  auto scratch = ScratchDatabase::migrated();
  auto db = scratch.connect();
  auto next = bundled_migrations();
  next.push_back({99, "0099_next.sql", "CREATE TABLE next_table (x INT);\n"});

  const auto error = error_of([&] { require_current_schema(db, next); });
  EXPECT_EQ(error.code(), ExitCode::config);
  EXPECT_THAT(error.what(), HasSubstr("0099_next.sql is not applied"));

  const auto report = apply_migrations(db, next);
  EXPECT_THAT(report.applied, ElementsAre("0099_next.sql"));
  EXPECT_EQ(report.schema_version, 99);
  EXPECT_EQ(require_current_schema(db, next), 99);
}

TEST(Migrations, EachMigrationIsRecordedRightAfterItsStatements) {
  ScratchDatabase scratch;
  auto db = scratch.connect();
  const std::vector<Migration> migrations{
      {1, "0001_a.sql", "CREATE TABLE a (x INT);"},
      {2, "0002_b.sql",
       "CREATE TABLE b (x INT);\nINSERT INTO b VALUES (1);\nINSERT INTO nope VALUES (1);"},
      {3, "0003_c.sql", "CREATE TABLE c (x INT);"}};

  const auto error = error_of([&] { apply_migrations(db, migrations); });
  EXPECT_THAT(error.what(), HasSubstr("migration 0002_b.sql, statement 3"));
  // 0001 is recorded; 0002's DDL stays (MySQL cannot roll it back) but 0002 is not recorded.
  EXPECT_EQ(sql_value(db, "SELECT GROUP_CONCAT(name ORDER BY version) FROM schema_migrations"),
            "0001_a.sql");
  EXPECT_EQ(sql_value(db, "SELECT COUNT(*) FROM b"), "1");
  EXPECT_EQ(sql_value(db,
                      "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema ="
                      " DATABASE() AND table_name = 'c'"),
            "0");
}

TEST(Migrations, VersionsMustIncrease) {
  ScratchDatabase scratch;
  auto db = scratch.connect();
  const auto error = error_of([&] {
    apply_migrations(db, {{2, "0002_b.sql", "SELECT 1"}, {1, "0001_a.sql", "SELECT 1"}});
  });
  EXPECT_EQ(error.code(), ExitCode::software);
}

}  // namespace
}  // namespace meteo::testing
