// data/alerts.json and the forecast fields of data/stations.json as write_dashboard writes them,
// against the test MariaDB: a station, its alerts and its forecasts seeded with SQL (the loads
// that derive them are the store's tests), and a database from before schema 8 that has none.
#include <gtest/gtest.h>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "meteo/dashboard/dashboard_writer.hpp"
#include "meteo/store/migrations.hpp"
#include "test_database.hpp"
#include "test_support.hpp"

namespace meteo::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kSource = "toulouse";
constexpr const char* kStation = "01-station-a";

// A station with an observation at 07:45 and the hours 06:00 and 07:00: the charts' span is the
// 7 days up to 2026-11-22 07:00, from 2026-11-15 08:00.
void seed_station(Database& db) {
  db.execute(
      "INSERT INTO weather_stations (source, dataset_id, number, commune, type, latitude,"
      " longitude, updated_at) VALUES ('toulouse', '01-station-a', '1', 'Toulouse', 'ISS',"
      " 43.57, 1.37, NOW(3))");
  db.execute(
      "INSERT INTO weather_observations (source, dataset_id, observed_at, temperature_c,"
      " first_run_id, last_run_id) VALUES ('toulouse', '01-station-a',"
      " '2026-11-22 07:45:00', 9.3, 1, 1)");
  db.execute(
      "INSERT INTO station_hourly_weather (source, dataset_id, hour, temperature_mean,"
      " observations, updated_at) VALUES ('toulouse', '01-station-a',"
      " '2026-11-22 06:00:00', 8.5, 4, NOW(3)),"
      " ('toulouse', '01-station-a', '2026-11-22 07:00:00', 9.0, 4, NOW(3))");
}

void seed_alert(Database& db, const std::string& values) {
  db.execute(
      "INSERT INTO alerts (kind, subject, scope_type, source, scope_id, level, level_rank,"
      " start_at, end_at, peak_value, peak_at, threshold, unit, rule_version,"
      " first_run_id, last_run_id, created_at, updated_at, withdrawn_at) VALUES (" +
      values + ", 'r1', 1, 1, NOW(3), NOW(3), " +
      (values.find("heavy_rain") != std::string::npos ? "NOW(3)" : "NULL") + ")");
}

// An open gust alert, a closed cold one inside the span, a withdrawn rain alert and one that
// ended before the span: only the first two are written.
void seed_alerts(Database& db) {
  seed_alert(db,
             "'strong_wind', 'gust', 'station', 'toulouse', '01-station-a', 'orange', 2,"
             " '2026-11-22 05:00:00', NULL, 95, '2026-11-22 06:15:00', 80, 'km/h'");
  seed_alert(db,
             "'severe_cold', 'temperature', 'station', 'toulouse', '01-station-a', 'yellow', 1,"
             " '2026-11-20 02:00:00', '2026-11-20 08:00:00', -6, '2026-11-20 05:00:00', -5, '°C'");
  seed_alert(db,
             "'heavy_rain', 'rain', 'station', 'toulouse', '01-station-a', 'yellow', 1,"
             " '2026-11-21 10:00:00', '2026-11-21 11:00:00', 30, '2026-11-21 10:00:00', 20, 'mm'");
  seed_alert(db,
             "'strong_wind', 'gust', 'station', 'toulouse', '01-station-a', 'yellow', 1,"
             " '2026-11-01 10:00:00', '2026-11-01 12:00:00', 85, '2026-11-01 11:00:00', 80,"
             " 'km/h'");
}

// The 07:00 issue: ridge shown at h+1 and h+2, persistence computed but not shown, tomorrow's
// maximum; an older 06:00 issue that is not the latest. Backtest MAE at h+1 and for the maximum.
void seed_forecasts(Database& db) {
  db.execute(
      "INSERT INTO station_forecasts (source, dataset_id, quantity, issued_at, horizon_h,"
      " model, target_time, value, shown, run_id) VALUES"
      " ('toulouse', '01-station-a', 'temperature', '2026-11-22 07:00:00', 1, 'ridge',"
      " '2026-11-22 08:00:00', 9.5, 1, 1),"
      " ('toulouse', '01-station-a', 'temperature', '2026-11-22 07:00:00', 2, 'ridge',"
      " '2026-11-22 09:00:00', 10.25, 1, 1),"
      " ('toulouse', '01-station-a', 'temperature', '2026-11-22 07:00:00', 1,"
      " 'persistence', '2026-11-22 08:00:00', 9.0, 0, 1),"
      " ('toulouse', '01-station-a', 'day_maximum', '2026-11-22 07:00:00', 24, 'ridge',"
      " '2026-11-23 00:00:00', 14.5, 1, 1),"
      " ('toulouse', '01-station-a', 'temperature', '2026-11-22 06:00:00', 1, 'ridge',"
      " '2026-11-22 07:00:00', 8.75, 1, 1)");
  db.execute(
      "INSERT INTO forecast_skill (source, dataset_id, quantity, horizon_h, model,"
      " skill_window, mae, rmse, cases, window_start, window_end, updated_at) VALUES"
      " ('toulouse', '01-station-a', 'temperature', 1, 'ridge', 'backtest', 0.75, 1, 90,"
      " '2026-10-01 00:00:00', '2026-11-22 00:00:00', NOW(3)),"
      " ('toulouse', '01-station-a', 'day_maximum', 24, 'ridge', 'backtest', 1.5, 2, 40,"
      " '2026-10-01 00:00:00', '2026-11-22 00:00:00', NOW(3)),"
      " ('toulouse', '01-station-a', 'temperature', 2, 'ridge', 'live', 0.5, 1, 5,"
      " '2026-10-01 00:00:00', '2026-11-22 00:00:00', NOW(3))");
}

json read_json(const fs::path& path) {
  const json parsed = json::parse(read_text(path), nullptr, /*allow_exceptions=*/false);
  EXPECT_FALSE(parsed.is_discarded()) << path << " is not complete JSON";
  return parsed;
}

class AlertsAndForecasts : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = fs::temp_directory_path() /
                 ("meteo-int-alerts-" + std::to_string(::getpid()) + "-" +
                  ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(directory_);
    inputs_.sources = {{kSource, SourceKind::station_network, {"toulouse-communes"}}};
  }
  void TearDown() override { fs::remove_all(directory_); }

  void write(Database& db) {
    dashboard::DashboardSettings settings;
    settings.out = site();
    dashboard::write_dashboard(db, inputs_, settings, parse_sql_datetime("2026-11-22 08:05:00"),
                               log_);
  }
  json station() { return read_json(site() / "data/stations.json")["stations"][0]; }
  fs::path site() const { return directory_ / "site"; }

  dashboard::DashboardInputs inputs_;
  spdlog::logger log_{"alerts-test", std::make_shared<spdlog::sinks::null_sink_mt>()};
  fs::path directory_;
};

TEST_F(AlertsAndForecasts, AlertsFileHasTheActiveAndTheSpansAlertsNotTheWithdrawn) {
  ScratchDatabase scratch = ScratchDatabase::migrated();
  Database db = scratch.connect();
  seed_station(db);
  seed_alerts(db);
  write(db);
  EXPECT_EQ(read_json(site() / "data/meta.json")["alerts"], "alerts.json");
  const json expected =
      json::parse(R"json({"note": "indicative, not official vigilance", "alerts": [
    {"kind": "strong_wind", "level": "orange", "level_rank": 2, "scope_type": "station",
     "source": "toulouse", "scope_id": "01-station-a", "place": "Station a (Toulouse)",
     "start": "2026-11-22T05:00:00Z", "end": null, "active": true, "peak": 95.0,
     "peak_at": "2026-11-22T06:15:00Z", "unit": "km/h", "threshold": 80.0,
     "note": "indicative, not official vigilance"},
    {"kind": "severe_cold", "level": "yellow", "level_rank": 1, "scope_type": "station",
     "source": "toulouse", "scope_id": "01-station-a", "place": "Station a (Toulouse)",
     "start": "2026-11-20T02:00:00Z", "end": "2026-11-20T08:00:00Z", "active": false,
     "peak": -6.0, "peak_at": "2026-11-20T05:00:00Z", "unit": "°C", "threshold": -5.0,
     "note": "indicative, not official vigilance"}]})json");
  EXPECT_EQ(read_json(site() / "data/alerts.json"), expected);
  // The station's name as stations.json gives it, read from its dataset id; the source without a
  // configured display name is shown by its name.
  EXPECT_EQ(station()["name"], "Station a");
  EXPECT_EQ(read_json(site() / "data/meta.json")["sources"][0]["display_name"], kSource);
}

TEST_F(AlertsAndForecasts, StationCarriesItsLatestShownForecastWithItsBacktestMae) {
  ScratchDatabase scratch = ScratchDatabase::migrated();
  Database db = scratch.connect();
  seed_station(db);
  seed_forecasts(db);
  write(db);
  const json expected_forecast = json::parse(R"([
    {"target_time": "2026-11-22T08:00:00Z", "horizon_h": 1, "value": 9.5, "model": "ridge",
     "mae": 0.75},
    {"target_time": "2026-11-22T09:00:00Z", "horizon_h": 2, "value": 10.25, "model": "ridge",
     "mae": null}])");
  const json expected_maximum = json::parse(R"(
    {"target_time": "2026-11-23T00:00:00Z", "horizon_h": 24, "value": 14.5, "model": "ridge",
     "mae": 1.5})");
  const json row = station();
  EXPECT_EQ(row["forecast"], expected_forecast);
  EXPECT_EQ(row["tomorrow_maximum"], expected_maximum);
  EXPECT_EQ(row["hourly"].size(), 2U);
}

TEST_F(AlertsAndForecasts, StationWithoutForecastHasEmptyFields) {
  ScratchDatabase scratch = ScratchDatabase::migrated();
  Database db = scratch.connect();
  seed_station(db);
  write(db);
  EXPECT_EQ(station()["forecast"], json::array());
  EXPECT_TRUE(station()["tomorrow_maximum"].is_null());
  EXPECT_EQ(read_json(site() / "data/alerts.json")["alerts"], json::array());
}

// A database at schema 7 (no alerts nor forecast tables) still gives a dashboard, without them.
TEST_F(AlertsAndForecasts, DatabaseBeforeSchemaEightGivesTheDashboardWithoutThem) {
  ScratchDatabase scratch;
  Database db = scratch.connect();
  std::vector<Migration> before_alerts;
  for (const Migration& migration : bundled_migrations()) {
    if (migration.version < 8) before_alerts.push_back(migration);
  }
  apply_migrations(db, before_alerts);
  seed_station(db);
  write(db);
  EXPECT_TRUE(read_json(site() / "data/meta.json")["alerts"].is_null());
  EXPECT_FALSE(fs::exists(site() / "data/alerts.json"));
  EXPECT_EQ(station()["forecast"], json::array());
  EXPECT_TRUE(station()["tomorrow_maximum"].is_null());
}

}  // namespace
}  // namespace meteo::testing
