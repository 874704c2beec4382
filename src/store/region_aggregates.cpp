#include "region_aggregates.hpp"

#include "sql_support.hpp"

namespace meteo::store {
namespace {

// Every measurement of one set and hour, as (region_code, temperature). Each kind of source adds
// a branch to this UNION ALL; bind_measurements binds its parameters in the same order.
// Sensor readings count in the hour of the run that first stored them; station observations in
// the hour they were observed, each observation one point ([hour, hour + 1 h), UTC).
constexpr const char* kMeasurements =
    "SELECT m.region_code AS region_code, r.temperature AS temperature"
    " FROM sensor_readings AS r"
    " JOIN reading_regions AS m ON m.source = r.source AND m.reading_id = r.reading_id"
    " WHERE r.hour = ? AND m.region_set = ? AND m.region_code IS NOT NULL"
    " UNION ALL"
    " SELECT s.region_code, o.temperature_c"
    " FROM station_regions AS s"
    " JOIN weather_observations AS o ON o.source = s.source AND o.dataset_id = s.dataset_id"
    " WHERE s.region_set = ? AND s.region_code IS NOT NULL"
    " AND o.observed_at >= ? AND o.observed_at < ? AND o.temperature_c IS NOT NULL";

Binder& bind_measurements(Binder& binder, const std::string& region_set, UtcSeconds hour) {
  return binder.datetime(hour)
      .text(region_set)
      .text(region_set)
      .datetime(hour)
      .datetime(hour + std::chrono::hours(1));
}

}  // namespace

void recompute_region_hour(sql::Connection& connection, const std::string& region_set,
                           UtcSeconds hour) {
  const std::string measurements = kMeasurements;
  auto remove_stale = prepare(
      connection,
      "DELETE FROM region_hourly_temperature WHERE region_set = ? AND hour = ?"
      " AND region_code NOT IN (SELECT region_code FROM (" + measurements + ") AS present)");
  Binder stale_binder(*remove_stale);
  bind_measurements(stale_binder.text(region_set).datetime(hour), region_set, hour);
  remove_stale->executeUpdate();

  // ON DUPLICATE KEY UPDATE assigns left to right: updated_at is decided before the values move.
  auto upsert = prepare(
      connection,
      "INSERT INTO region_hourly_temperature (hour, region_set, region_code, region, temperature,"
      " numberOfPoints, updated_at)"
      " SELECT ?, ?, x.region_code, g.name, AVG(x.temperature), COUNT(*), UTC_TIMESTAMP(3)"
      " FROM (" + measurements + ") AS x"
      " JOIN regions AS g ON g.region_set = ? AND g.code = x.region_code"
      " GROUP BY x.region_code, g.name"
      " ON DUPLICATE KEY UPDATE"
      " updated_at = IF(temperature = VALUES(temperature)"
      " AND numberOfPoints = VALUES(numberOfPoints) AND region = VALUES(region),"
      " updated_at, VALUES(updated_at)),"
      " region = VALUES(region), temperature = VALUES(temperature),"
      " numberOfPoints = VALUES(numberOfPoints)");
  Binder upsert_binder(*upsert);
  bind_measurements(upsert_binder.datetime(hour).text(region_set), region_set, hour)
      .text(region_set);
  upsert->executeUpdate();
}

}  // namespace meteo::store
