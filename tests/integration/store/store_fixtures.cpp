#include "store_fixtures.hpp"

#include <cppconn/connection.h>
#include <cppconn/resultset.h>
#include <cppconn/resultset_metadata.h>
#include <cppconn/statement.h>

#include <memory>
#include <sstream>

#include "meteo/store/ledger.hpp"
#include "meteo/store/region_sets.hpp"

namespace meteo::testing {

Rows sql_rows(Database& db, const std::string& query) {
  std::unique_ptr<sql::Statement> statement(db.connection().createStatement());
  std::unique_ptr<sql::ResultSet> result(statement->executeQuery(query));
  const unsigned columns = result->getMetaData()->getColumnCount();
  Rows rows;
  while (result->next()) {
    Row row;
    for (unsigned column = 1; column <= columns; ++column) {
      if (result->isNull(column)) {
        row.emplace_back(std::nullopt);
      } else {
        row.emplace_back(result->getString(column).asStdString());
      }
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

std::optional<std::string> sql_value(Database& db, const std::string& query) {
  const auto rows = sql_rows(db, query);
  if (rows.size() != 1 || rows[0].size() != 1) {
    ADD_FAILURE() << "expected one value from: " << query;
    return std::nullopt;
  }
  return rows[0][0];
}

std::vector<Migration> migrations_before(int version) {
  std::vector<Migration> before;
  for (const auto& migration : bundled_migrations()) {
    if (migration.version < version) before.push_back(migration);
  }
  return before;
}

std::string square_geometry(double lon, double lat, double size) {
  std::ostringstream json;
  json << R"({"type":"Polygon","coordinates":[[[)" << lon << ',' << lat << "],[" << lon + size
       << ',' << lat << "],[" << lon + size << ',' << lat + size << "],[" << lon << ','
       << lat + size << "],[" << lon << ',' << lat << "]]]}";
  return json.str();
}

Region square_region(const std::string& code, const std::string& name, double lon, double lat) {
  return {code, name, square_geometry(lon, lat)};
}

RegionSet french_regions(const std::string& checksum) {
  return {"fr-regions",
          checksum,
          {square_region("11", "Île-de-France", 2, 48),
           square_region("84", "Auvergne-Rhône-Alpes", 4, 45)}};
}

RegionSetConfig region_set_config(const std::string& name) {
  RegionSetConfig config;
  config.name = name;
  config.location = "file:///data/" + name + ".geojson";
  return config;
}

UtcSeconds at(const std::string& sql_datetime) {
  return parse_sql_datetime(sql_datetime);
}

MatchedReading matched(const std::string& id, double temperature,
                       std::optional<std::size_t> index) {
  MatchedReading reading;
  reading.reading.id = id;
  reading.reading.latitude = index ? (*index == 0 ? 48.5 : 45.5) : 60.0;
  reading.reading.longitude = index ? (*index == 0 ? 2.5 : 4.5) : -20.0;
  reading.reading.temperature = temperature;
  reading.reading.timestamp = "2026-11-22T06:12:00Z";
  reading.reading.country = "France";
  reading.region_index = {index};
  return reading;
}

StoreTest::StoreTest() {
  save_region_set(db_, region_set_config("fr-regions"), regions_);
}

RunBatch StoreTest::batch(std::int64_t run_id, UtcSeconds hour,
                          std::vector<MatchedReading> readings,
                          std::vector<RejectedRecord> rejected, const std::string& source) const {
  RunBatch batch;
  batch.run_id = run_id;
  batch.source = source;
  batch.hour = hour;
  batch.region_sets = {&regions_};
  batch.readings = std::move(readings);
  batch.rejected = std::move(rejected);
  batch.counts.fetched = batch.readings.size() + batch.rejected.size();
  batch.counts.rejected = batch.rejected.size();
  return batch;
}

RunCounts StoreTest::load(UtcSeconds hour, std::vector<MatchedReading> readings,
                          std::vector<RejectedRecord> rejected, const std::string& source) {
  const auto run_id = begin_run(db_, source, hour);
  return load_run(db_, batch(run_id, hour, std::move(readings), std::move(rejected), source));
}

StoreTest::Snapshot StoreTest::snapshot() {
  return {sql_rows(db_, "SELECT * FROM sensor_readings ORDER BY source, reading_id"),
          sql_rows(db_, "SELECT * FROM reading_regions ORDER BY source, reading_id, region_set"),
          sql_rows(db_, "SELECT * FROM rejected_records ORDER BY id"),
          sql_rows(db_,
                   "SELECT hour, region_set, region_code, region, temperature, numberOfPoints"
                   " FROM region_hourly_temperature ORDER BY region_set, region_code, hour")};
}

Rows StoreTest::aggregates(const std::string& set) {
  return sql_rows(db_,
                  "SELECT hour, region_code, region, temperature, numberOfPoints"
                  " FROM region_hourly_temperature WHERE region_set = '" +
                      set + "' ORDER BY hour, region_code");
}

}  // namespace meteo::testing
