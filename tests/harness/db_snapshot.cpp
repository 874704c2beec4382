#include "db_snapshot.hpp"

#include <cppconn/connection.h>
#include <cppconn/resultset.h>
#include <cppconn/resultset_metadata.h>
#include <cppconn/statement.h>

#include <algorithm>
#include <functional>
#include <memory>

namespace meteo::testing {
namespace {

std::string render(sql::ResultSet& result) {
  sql::ResultSetMetaData* meta = result.getMetaData();
  const unsigned columns = meta->getColumnCount();
  std::string text;
  while (result.next()) {
    for (unsigned i = 1; i <= columns; ++i) {
      text += result.isNull(i) ? std::string("NULL") : std::string(result.getString(i));
      text += i < columns ? "\t" : "\n";
    }
  }
  return text;
}

std::unique_ptr<sql::ResultSet> run_query(Database& db, const std::string& sql) {
  std::unique_ptr<sql::Statement> statement(db.connection().createStatement());
  return std::unique_ptr<sql::ResultSet>(statement->executeQuery(sql));
}

}  // namespace

std::string table_contents(Database& db, const std::string& table) {
  auto columns = run_query(db,
                           "SELECT COUNT(*) FROM information_schema.columns WHERE "
                           "table_schema = DATABASE() AND table_name = '" +
                               table + "'");
  columns->next();
  const int count = columns->getInt(1);
  std::string order;
  for (int i = 1; i <= count; ++i) order += (i > 1 ? "," : "") + std::to_string(i);
  auto rows = run_query(db, "SELECT * FROM " + table + " ORDER BY " + order);
  return render(*rows);
}

std::string query_contents(Database& db, const std::string& select) {
  return render(*run_query(db, select));
}

std::string station_contents(Database& db) {
  return query_contents(db,
                        "SELECT source, dataset_id, number, commune, type, latitude, longitude,"
                        " altitude, name FROM weather_stations ORDER BY source, dataset_id") +
         query_contents(db,
                        "SELECT source, dataset_id, region_set, region_code FROM station_regions"
                        " ORDER BY source, dataset_id, region_set");
}

std::string station_network_contents(Database& db) {
  return station_contents(db) +
         query_contents(db,
                        "SELECT dataset_id, observed_at, temperature_c, humidity_pct,"
                        " pressure_hpa, rain_mm, wind_speed_kmh, gust_kmh, wind_direction_deg"
                        " FROM weather_observations ORDER BY dataset_id, observed_at") +
         query_contents(db,
                        "SELECT dataset_id, hour, temperature_mean, rain_sum, observations"
                        " FROM station_hourly_weather ORDER BY dataset_id, hour") +
         query_contents(db,
                        "SELECT region_set, region_code, hour, temperature, numberOfPoints"
                        " FROM region_hourly_temperature ORDER BY region_code, hour") +
         query_contents(db, "SELECT reason, record FROM rejected_records ORDER BY reason") +
         query_contents(db, "SELECT dataset_id FROM station_datasets ORDER BY dataset_id");
}

std::string product_contents(Database& db) {
  return query_contents(db,
                        "SELECT source, reading_id, hour, latitude, longitude, temperature,"
                        " observed_at, country FROM sensor_readings ORDER BY source, reading_id") +
         query_contents(db,
                        "SELECT source, reading_id, region_set, region_code FROM reading_regions"
                        " ORDER BY source, reading_id, region_set") +
         query_contents(db,
                        "SELECT hour, region_set, region_code, region, temperature,"
                        " numberOfPoints, temperature_sum FROM region_hourly_temperature"
                        " ORDER BY region_set, region_code, hour") +
         query_contents(db,
                        "SELECT source, hour, position, reason, record FROM rejected_records"
                        " ORDER BY source, hour, record_sha");
}

std::string data_tables_contents(Database& db) {
  // Row counts and content fingerprints: small enough to print when an assertion fails.
  std::string text;
  for (const char* table : {"sensor_readings", "reading_regions", "rejected_records",
                            "region_hourly_temperature", "regions", "region_sets"}) {
    // A region set's `loads` counts the loads that used it, a rerun's too: not data.
    const std::string contents =
        std::string(table) == "region_sets"
            ? query_contents(db,
                             "SELECT name, checksum, location, format, region_count, loaded_at"
                             " FROM region_sets ORDER BY name")
            : table_contents(db, table);
    const auto rows = std::count(contents.begin(), contents.end(), '\n');
    text += std::string(table) + ": " + std::to_string(rows) + " rows, content hash " +
            std::to_string(std::hash<std::string>{}(contents)) + "\n";
  }
  return text;
}

void forget_everything_but_regions(Database& db) {
  for (const char* table : {"reading_extra_regions", "sensor_readings", "region_hourly_temperature",
                            "rejected_records", "raw_payloads", "etl_runs"}) {
    db.execute(std::string("DELETE FROM ") + table);
  }
}

void forget_station_networks_and_everything_but_regions(Database& db) {
  for (const char* table : {"alert_notifications", "alert_triggers", "alerts", "station_regions",
                            "weather_stations", "station_daily_weather", "station_hourly_weather",
                            "weather_observations", "station_datasets"}) {
    db.execute(std::string("DELETE FROM ") + table);
  }
  forget_everything_but_regions(db);
}

std::string query_value(Database& db, const std::string& sql) {
  auto result = run_query(db, sql);
  if (!result->next()) return "";
  return result->isNull(1) ? "NULL" : std::string(result->getString(1));
}

std::size_t count_rows(Database& db, const std::string& table, const std::string& where) {
  return std::stoul(query_value(db, "SELECT COUNT(*) FROM " + table + " WHERE " + where));
}

}  // namespace meteo::testing
