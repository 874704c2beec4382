#include "region_aggregates.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

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

// The hour's measurements, summed per region of the set: one pass, the expensive part.
std::vector<RegionTotal> region_totals(sql::Connection& connection, const std::string& region_set,
                                       UtcSeconds hour) {
  auto select =
      prepare(connection, "SELECT x.region_code, g.name, CAST(" +
                              exact_temperature_sum_sql("x.temperature") +
                              " AS CHAR), COUNT(*)"
                              " FROM (" +
                              std::string(kMeasurements) +
                              ") AS x"
                              " JOIN regions AS g ON g.region_set = ? AND g.code = x.region_code"
                              " GROUP BY x.region_code, g.name ORDER BY x.region_code");
  Binder binder(*select);
  bind_measurements(binder, region_set, hour).text(region_set);
  std::vector<RegionTotal> totals;
  auto row = run_query(*select);
  while (row->next()) {
    totals.push_back(
        {text(*row, 1), text(*row, 2),
         TemperatureSum::from_units(text(*row, 3), static_cast<std::size_t>(row->getUInt64(4)))});
  }
  return totals;
}

void remove_other_regions(sql::Connection& connection, const std::string& region_set,
                          UtcSeconds hour, const std::vector<RegionTotal>& kept) {
  std::string statement = "DELETE FROM region_hourly_temperature WHERE region_set = ? AND hour = ?";
  if (!kept.empty()) statement += " AND region_code NOT IN (" + placeholders(kept.size()) + ")";
  auto remove = prepare(connection, statement);
  Binder binder(*remove);
  binder.text(region_set).datetime(hour);
  for (const auto& total : kept) binder.text(total.code);
  remove->executeUpdate();
}

void write_region_rows(sql::Connection& connection, const std::string& region_set, UtcSeconds hour,
                       const std::vector<RegionTotal>& totals) {
  // ON DUPLICATE KEY UPDATE assigns left to right: updated_at is decided before the values move.
  const MultiRowInsert upsert{
      "INSERT INTO region_hourly_temperature (hour, region_set, region_code, region, temperature,"
      " numberOfPoints, temperature_sum, updated_at)",
      "(?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(3))",
      "ON DUPLICATE KEY UPDATE"
      " updated_at = IF(temperature = VALUES(temperature)"
      " AND numberOfPoints = VALUES(numberOfPoints) AND region = VALUES(region),"
      " updated_at, VALUES(updated_at)),"
      " region = VALUES(region), temperature = VALUES(temperature),"
      " numberOfPoints = VALUES(numberOfPoints), temperature_sum = VALUES(temperature_sum)"};
  insert_rows(connection, upsert, totals.size(), [&](Binder& binder, std::size_t row) {
    const auto& total = totals[row];
    binder.datetime(hour)
        .text(region_set)
        .text(total.code)
        .text(total.name)
        .real(*total.sum.mean())
        .count(total.sum.count())
        .text(total.sum.units_text());
  });
}

}  // namespace

std::string exact_temperature_sum_sql(const std::string& column) {
  // floor(t * 2^60) as two integer halves of 30 bits, each exact in a DOUBLE and a BIGINT; SUM of
  // a BIGINT is an exact DECIMAL. The operations are TemperatureSum::add's, in the same order.
  const std::string scaled = "(" + column + " * 1073741824)";
  return "(SUM(CAST(FLOOR" + scaled + " AS SIGNED)) * 1073741824 + SUM(CAST(FLOOR((" + scaled +
         " - FLOOR" + scaled + ") * 1073741824) AS SIGNED)))";
}

void recompute_region_hour(sql::Connection& connection, const std::string& region_set,
                           UtcSeconds hour) {
  const auto totals = region_totals(connection, region_set, hour);
  remove_other_regions(connection, region_set, hour, totals);
  write_region_rows(connection, region_set, hour, totals);
}

bool add_to_region_hour(sql::Connection& connection, const std::string& region_set, UtcSeconds hour,
                        std::vector<RegionTotal> additions) {
  auto select = prepare(connection,
                        "SELECT region_code, CAST(temperature_sum AS CHAR), numberOfPoints"
                        " FROM region_hourly_temperature WHERE region_set = ? AND hour = ?"
                        " FOR UPDATE");
  Binder(*select).text(region_set).datetime(hour);
  std::map<std::string, TemperatureSum> stored;
  auto row = run_query(*select);
  while (row->next()) {
    if (row->isNull(2)) return false;
    stored.emplace(text(*row, 1), TemperatureSum::from_units(
                                      text(*row, 2), static_cast<std::size_t>(row->getUInt64(3))));
  }
  for (auto& addition : additions) {
    const auto found = stored.find(addition.code);
    if (found != stored.end()) addition.sum.merge(found->second);
  }
  write_region_rows(connection, region_set, hour, additions);
  return true;
}

}  // namespace meteo::store
