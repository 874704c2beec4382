// station_hourly_weather.wind_direction_mean: migration 0005 filling the rows stored before it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "meteo/store/migrations.hpp"
#include "station_fixtures.hpp"

namespace meteo::testing {
namespace {

constexpr int kWindDirectionVersion = 5;
constexpr double kTolerance = 1e-9;  // degrees; rounding leaves ~1e-14

// The smaller angle between two directions, in degrees: 359.9 and 0.1 are 0.2 apart.
double angular_distance(double a, double b) {
  const double gap = std::fmod(std::abs(a - b), 360.0);
  return std::min(gap, 360.0 - gap);
}

void expect_direction(const std::optional<double>& actual, double expected) {
  ASSERT_TRUE(actual.has_value()) << "expected " << expected << "°, got NULL";
  EXPECT_GE(*actual, 0.0);
  EXPECT_LT(*actual, 360.0);
  EXPECT_LT(angular_distance(*actual, expected), kTolerance) << *actual << "° for " << expected;
}

// 90° at 30 km/h and 180° at 10: east 30, north -10, so atan2(30, -10) = 180° - atan(3) =
// 180° - 71.565051177077989°. The plain mean of the angles would be 135°.
constexpr double kWeightedEastSouth = 108.43494882292201;

// ---- migration 0005 -----------------------------------------------------------------------------

std::vector<Migration> migrations_before(int version) {
  std::vector<Migration> before;
  for (const auto& migration : bundled_migrations()) {
    if (migration.version < version) before.push_back(migration);
  }
  return before;
}

// Rows as a version-4 load leaves them: observations and their hours, updated_at long ago.
void insert_version_4_rows(Database& db) {
  db.execute(
      "INSERT INTO weather_observations (source, dataset_id, observed_at, temperature_c,"
      " wind_speed_kmh, wind_direction_deg, first_run_id, last_run_id) VALUES"
      " ('toulouse', 'a', '2026-11-22 06:00:00', 10, 10, 350, 1, 1),"
      " ('toulouse', 'a', '2026-11-22 06:30:00', 11, 10, 10, 1, 1),"
      " ('toulouse', 'a', '2026-11-22 07:00:00', 12, 30, 90, 1, 1),"
      " ('toulouse', 'a', '2026-11-22 07:15:00', 13, 10, 180, 1, 1),"
      " ('toulouse', 'a', '2026-11-22 08:00:00', 14, 12, NULL, 1, 1),"
      " ('toulouse', 'a', '2026-11-22 09:00:00', 15, 10, 90, 1, 1),"
      " ('toulouse', 'a', '2026-11-22 09:30:00', 16, 10, 270, 1, 1),"
      " ('toulouse', 'b', '2026-11-22 06:10:00', 17, 5, 200, 1, 1)");
  db.execute(
      "INSERT INTO station_hourly_weather (source, dataset_id, hour, temperature_mean,"
      " observations, updated_at) VALUES"
      " ('toulouse', 'a', '2026-11-22 06:00:00', 10.5, 2, '2026-01-01 00:00:00'),"
      " ('toulouse', 'a', '2026-11-22 07:00:00', 12.5, 2, '2026-01-01 00:00:00'),"
      " ('toulouse', 'a', '2026-11-22 08:00:00', 14, 1, '2026-01-01 00:00:00'),"
      " ('toulouse', 'a', '2026-11-22 09:00:00', 15.5, 2, '2026-01-01 00:00:00'),"
      " ('toulouse', 'b', '2026-11-22 06:00:00', 17, 1, '2026-01-01 00:00:00')");
}

TEST(WindDirectionMigration, FillsTheHoursStoredBeforeIt) {
  ScratchDatabase scratch;
  auto db = scratch.connect();
  ASSERT_EQ(apply_migrations(db, migrations_before(kWindDirectionVersion)).schema_version, 4);
  insert_version_4_rows(db);

  const auto report = apply_migrations(db, bundled_migrations());
  ASSERT_FALSE(report.applied.empty());
  EXPECT_EQ(report.applied.front(), "0005_station_wind_direction.sql");

  const auto rows = sql_rows(db,
                             "SELECT dataset_id, hour, wind_direction_mean,"
                             " updated_at > '2026-01-01', temperature_mean"
                             " FROM station_hourly_weather ORDER BY dataset_id, hour");
  ASSERT_EQ(rows.size(), 5u);
  auto direction = [&](std::size_t row) {
    return rows[row][2] ? std::optional(std::stod(*rows[row][2])) : std::nullopt;
  };
  expect_direction(direction(0), 0);                   // a 06: 350° and 10°
  expect_direction(direction(1), kWeightedEastSouth);  // a 07: weighted by speed
  EXPECT_EQ(direction(2), std::nullopt);               // a 08: no direction
  EXPECT_EQ(direction(3), std::nullopt);               // a 09: cancelling winds
  expect_direction(direction(4), 200);                 // b 06: its own observations only
  // A filled row changed, so its updated_at moved; the others kept theirs. Nothing else moved.
  for (std::size_t row : {0u, 1u, 4u}) EXPECT_EQ(rows[row][3], "1") << row;
  for (std::size_t row : {2u, 3u}) EXPECT_EQ(rows[row][3], "0") << row;
  EXPECT_EQ(rows[1][4], "12.5");
}

}  // namespace
}  // namespace meteo::testing
