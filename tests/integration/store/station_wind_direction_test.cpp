// station_hourly_weather.wind_direction_mean: the speed-weighted vector mean the station load
// computes, and migration 0005 filling the rows stored before it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <thread>

#include "meteo/store/migrations.hpp"
#include "station_fixtures.hpp"

namespace meteo::testing {
namespace {

constexpr int kWindDirectionVersion = 5;
constexpr double kTolerance = 1e-9;  // degrees; rounding leaves ~1e-14

// An observation of station A with only a wind (nullopt: not measured).
WeatherObservation wind(const std::string& sql_datetime, std::optional<double> direction_deg,
                        std::optional<double> speed_kmh) {
  auto result = observation(kStationA, sql_datetime, std::nullopt);
  result.wind_direction_deg = direction_deg;
  result.wind_speed_kmh = speed_kmh;
  return result;
}

// wind_direction_mean by hour ("2026-11-22 06:00:00"), of every station.
std::map<std::string, std::optional<double>> directions(Database& db) {
  std::map<std::string, std::optional<double>> by_hour;
  for (const auto& row :
       sql_rows(db, "SELECT hour, wind_direction_mean FROM station_hourly_weather")) {
    by_hour[*row[0]] = row[1] ? std::optional(std::stod(*row[1])) : std::nullopt;
  }
  return by_hour;
}

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

class StationWindDirection : public StationStoreTest {
 protected:
  StationWindDirection() { sync_default_stations(); }
};

TEST_F(StationWindDirection, WindsEitherSideOfNorthAverageToNorthNotSouth) {
  load_stations(kStationA,
                {wind("2026-11-22 06:00:00", 350, 10), wind("2026-11-22 06:30:00", 10, 10)});
  expect_direction(directions(db_)["2026-11-22 06:00:00"], 0);
}

TEST_F(StationWindDirection, FasterWindsWeighMore) {
  load_stations(kStationA,
                {wind("2026-11-22 06:00:00", 90, 30), wind("2026-11-22 06:15:00", 180, 10)});
  expect_direction(directions(db_)["2026-11-22 06:00:00"], kWeightedEastSouth);
}

TEST_F(StationWindDirection, OnlyObservationsWithBothADirectionAndASpeedCount) {
  load_stations(kStationA, {
                               // 06:00: speeds only
                               wind("2026-11-22 06:00:00", std::nullopt, 12),
                               wind("2026-11-22 06:30:00", std::nullopt, 8),
                               // 07:00: a direction without a speed
                               wind("2026-11-22 07:00:00", 270, std::nullopt),
                               // 08:00: one of each beside a complete one, which alone counts
                               wind("2026-11-22 08:00:00", 200, 5),
                               wind("2026-11-22 08:15:00", std::nullopt, 40),
                               wind("2026-11-22 08:30:00", 20, std::nullopt),
                           });
  auto by_hour = directions(db_);
  EXPECT_EQ(by_hour["2026-11-22 06:00:00"], std::nullopt);
  EXPECT_EQ(by_hour["2026-11-22 07:00:00"], std::nullopt);
  expect_direction(by_hour["2026-11-22 08:00:00"], 200);
}

TEST_F(StationWindDirection, CancellingWindsAndCalmHaveNoDirection) {
  load_stations(kStationA,
                {
                    // Rounding leaves a resultant near 1e-15: ATAN2 alone gives 180°.
                    wind("2026-11-22 06:00:00", 90, 10), wind("2026-11-22 06:30:00", 270, 10),
                    // ... and here 90°.
                    wind("2026-11-22 07:00:00", 0, 25), wind("2026-11-22 07:30:00", 180, 25),
                    wind("2026-11-22 08:00:00", 45, 0),  // calm
                });
  auto by_hour = directions(db_);
  EXPECT_EQ(by_hour.size(), 3u);
  EXPECT_EQ(by_hour["2026-11-22 06:00:00"], std::nullopt);
  EXPECT_EQ(by_hour["2026-11-22 07:00:00"], std::nullopt);
  EXPECT_EQ(by_hour["2026-11-22 08:00:00"], std::nullopt);
}

TEST_F(StationWindDirection, ACorrectedDirectionAloneMovesTheRowsUpdatedAt) {
  load_stations(kStationA, {wind("2026-11-22 06:00:00", 90, 10)});
  const std::string updated_at =
      "SELECT updated_at FROM station_hourly_weather WHERE hour = '2026-11-22 06:00:00'";
  const auto first = sql_value(db_, updated_at);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));  // past updated_at's millisecond

  load_stations(kStationA, {wind("2026-11-22 06:00:00", 100, 10)});
  expect_direction(directions(db_)["2026-11-22 06:00:00"], 100);
  EXPECT_NE(sql_value(db_, updated_at), first) << "only the direction changed";
}

// ---- migration 0005 -----------------------------------------------------------------------------

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

// The migration's UPDATE and the load's recompute spell the formula twice: they must agree.
TEST_F(StationWindDirection, TheMigrationFillsWhatTheLoadComputes) {
  load_stations(kStationA,
                {wind("2026-11-22 06:00:00", 350, 10), wind("2026-11-22 06:30:00", 10, 10),
                 wind("2026-11-22 07:00:00", 90, 30), wind("2026-11-22 07:15:00", 180, 10),
                 wind("2026-11-22 08:00:00", std::nullopt, 12), wind("2026-11-22 09:00:00", 90, 10),
                 wind("2026-11-22 09:30:00", 270, 10), wind("2026-11-22 10:00:00", 123.4, 7.5),
                 wind("2026-11-22 10:45:00", 301, 2)});
  const auto loaded = directions(db_);
  db_.execute("UPDATE station_hourly_weather SET wind_direction_mean = NULL");

  const auto& migration = bundled_migrations().at(kWindDirectionVersion - 1);
  ASSERT_EQ(migration.version, kWindDirectionVersion);
  const auto statements = split_sql_statements(migration.sql);
  ASSERT_EQ(statements.size(), 2u);  // the ALTER TABLE, then the UPDATE that fills
  db_.execute(statements[1]);

  const auto filled = directions(db_);
  ASSERT_EQ(filled.size(), loaded.size());
  EXPECT_EQ(loaded.size(), 5u);
  for (const auto& [hour, direction] : loaded) {
    ASSERT_TRUE(filled.contains(hour)) << hour;
    EXPECT_EQ(filled.at(hour).has_value(), direction.has_value()) << hour;
    if (direction && filled.at(hour)) {
      EXPECT_NEAR(*filled.at(hour), *direction, kTolerance) << hour;
    }
  }
}

}  // namespace
}  // namespace meteo::testing
