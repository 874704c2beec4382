// weather_stations.name (migration 0010) against the real database: stored by the sync, renamed
// when the source renames, kept when a record says nothing, read back for the dashboard and
// `query period`, and absent (not an error) on a database before the migration.
#include <gtest/gtest.h>

#include <thread>

#include "meteo/store/dashboard_reads.hpp"
#include "meteo/store/migrations.hpp"
#include "meteo/store/stations.hpp"
#include "station_fixtures.hpp"

namespace meteo::testing {
namespace {

constexpr int kStationNamesVersion = 10;

WeatherStation named(WeatherStation station, const std::string& name) {
  station.name = name;
  return station;
}

class StationNames : public StationStoreTest {
 protected:
  void sync(const std::string& name_of_a) {
    sync_stations(db_, kStationSource, station_sets_,
                  {placed(named(station(kStationA, "1", "Toulouse", 1.4, 43.6), name_of_a), {0}),
                   placed(station(kStationB, "2", "Blagnac", 0.5, 43.5), {1})});
  }
  Rows names() {
    return sql_rows(db_, "SELECT dataset_id, name FROM weather_stations ORDER BY dataset_id");
  }
  std::optional<std::string> updated_at_of_a() {
    return sql_value(
        db_, "SELECT updated_at FROM weather_stations WHERE dataset_id = '" + kStationA + "'");
  }
};

TEST_F(StationNames, TheSyncStoresRenamesAndKeepsAStationsName) {
  sync("Météopole");
  EXPECT_EQ(names(), (Rows{{kStationA, "Météopole"}, {kStationB, std::nullopt}}))
      << "a station its source does not name has NULL";

  const auto first = updated_at_of_a();
  std::this_thread::sleep_for(std::chrono::milliseconds(20));  // past updated_at's millisecond
  sync("Météopole");
  sync("");
  EXPECT_EQ(names(), (Rows{{kStationA, "Météopole"}, {kStationB, std::nullopt}}))
      << "records without a name do not unname the station";
  EXPECT_EQ(updated_at_of_a(), first) << "neither rewrote the row";

  sync("Météopole Nord");
  EXPECT_EQ(names(), (Rows{{kStationA, "Météopole Nord"}, {kStationB, std::nullopt}}));
  EXPECT_NE(updated_at_of_a(), first) << "a rename is a change";
}

TEST_F(StationNames, TheDashboardAndThePeriodQueryReadTheName) {
  sync("TOULOUSE-BLAGNAC");
  load_stations(kStationA, {observation(kStationA, "2026-11-22 06:00:00", 10)});
  load_stations(kStationB, {observation(kStationB, "2026-11-22 06:00:00", 11)});

  const auto stations = query_stations(db_, kStationSource, communes_.name);
  ASSERT_EQ(stations.size(), 2u);
  for (const auto& [station, region_code] : stations) {
    EXPECT_EQ(station.name, station.dataset_id == kStationA ? "TOULOUSE-BLAGNAC" : "")
        << station.dataset_id;
  }
  const auto daily = query_daily_stations(db_);
  ASSERT_EQ(daily.size(), 2u);
  EXPECT_EQ(daily[0].dataset_id, kStationA);
  EXPECT_EQ(daily[0].name, "TOULOUSE-BLAGNAC");
  EXPECT_EQ(daily[1].name, "");
}

// A database at schema 9: the dashboard still lists its stations (unnamed), the migration adds
// the column as NULL without touching the rest, and the next sync names the station.
TEST(StationNamesMigration, StationsStoredBeforeItAreUnnamedUntilTheirNextSync) {
  ScratchDatabase scratch;
  auto db = scratch.connect();
  ASSERT_EQ(apply_migrations(db, migrations_before(kStationNamesVersion)).schema_version, 9);
  db.execute(
      "INSERT INTO weather_stations (source, dataset_id, number, commune, type, latitude,"
      " longitude, altitude, updated_at) VALUES ('synop', '07630', '07630', 'Blagnac', '',"
      " 43.621, 1.379, 151, '2026-01-01 00:00:00')");
  const auto unmigrated = query_stations(db, "synop", "fr-regions");
  ASSERT_EQ(unmigrated.size(), 1u);
  EXPECT_EQ(unmigrated[0].station.commune, "Blagnac");
  EXPECT_EQ(unmigrated[0].station.name, "");

  const auto report = apply_migrations(db, bundled_migrations());
  ASSERT_FALSE(report.applied.empty());
  EXPECT_EQ(report.applied.front(), "0010_station_names.sql");
  EXPECT_EQ(sql_rows(db,
                     "SELECT dataset_id, number, commune, altitude, name, updated_at"
                     " FROM weather_stations"),
            (Rows{{"07630", "07630", "Blagnac", "151", std::nullopt, "2026-01-01 00:00:00.000"}}));

  WeatherStation blagnac = unmigrated[0].station;
  blagnac.name = "TOULOUSE-BLAGNAC";
  sync_stations(db, "synop", {}, {{blagnac, {}}});
  EXPECT_EQ(sql_value(db, "SELECT name FROM weather_stations WHERE dataset_id = '07630'"),
            "TOULOUSE-BLAGNAC");
}

}  // namespace
}  // namespace meteo::testing
