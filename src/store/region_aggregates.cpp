#include "region_aggregates.hpp"

#include <algorithm>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "sql_support.hpp"
#include "station_support.hpp"

namespace meteo::store {
namespace {

// Every measurement of one set in [from, to), as (hour, region_code, temperature). Each kind of
// source adds a branch to this UNION ALL; bind_measurements binds its parameters in the same
// order. Sensor readings count in the hour of the run that first stored them; station
// observations in the hour they were observed, each observation one point. A reading's region in
// a set is a column of the reading (its inline set) or a row of reading_extra_regions.
const std::string kMeasurements =
    std::string(
        "SELECT r.hour AS hour, r.region_code AS region_code, r.temperature AS temperature"
        " FROM sensor_readings AS r"
        " WHERE r.hour >= ? AND r.hour < ? AND r.region_set = ? AND r.region_code IS NOT NULL"
        " UNION ALL"
        " SELECT r.hour, m.region_code, r.temperature"
        " FROM sensor_readings AS r"
        " JOIN reading_extra_regions AS m ON m.source = r.source AND m.reading_id = r.reading_id"
        " WHERE r.hour >= ? AND r.hour < ? AND m.region_set = ?"
        " AND m.region_code IS NOT NULL"
        " UNION ALL"
        " SELECT ") +
    kObservationHour +
    ", s.region_code, o.temperature_c"
    " FROM station_regions AS s"
    " JOIN weather_observations AS o ON o.source = s.source AND o.dataset_id = s.dataset_id"
    " WHERE s.region_set = ? AND s.region_code IS NOT NULL"
    " AND o.observed_at >= ? AND o.observed_at < ? AND o.temperature_c IS NOT NULL";

Binder& bind_measurements(Binder& binder, const std::string& region_set, const HourRange& range) {
  return binder.datetime(range.from)
      .datetime(range.to)
      .text(region_set)
      .datetime(range.from)
      .datetime(range.to)
      .text(region_set)
      .text(region_set)
      .datetime(range.from)
      .datetime(range.to);
}

// The range's measurements, summed per hour and region of the set: one pass, the expensive part.
std::vector<HourTotal> stored_hour_totals(sql::Connection& connection,
                                          const std::string& region_set, const HourRange& range) {
  auto select =
      prepare(connection, "SELECT CAST(x.hour AS CHAR), x.region_code, g.name, CAST(" +
                              exact_temperature_sum_sql("x.temperature") +
                              " AS CHAR), COUNT(*) FROM (" + kMeasurements +
                              ") AS x"
                              " JOIN regions AS g ON g.region_set = ? AND g.code = x.region_code"
                              " GROUP BY x.hour, x.region_code, g.name");
  Binder binder(*select);
  bind_measurements(binder, region_set, range).text(region_set);
  std::vector<HourTotal> totals;
  auto row = run_query(*select);
  while (row->next()) {
    totals.push_back(
        {parse_sql_datetime(text(*row, 1)),
         {text(*row, 2), text(*row, 3),
          TemperatureSum::from_units(text(*row, 4), static_cast<std::size_t>(row->getUInt64(5)))}});
  }
  return totals;
}

// Rows of the range that no measurement supports any more: rare, deleted one by one.
void remove_unsupported_rows(sql::Connection& connection, const std::string& region_set,
                             const HourRange& range, const std::vector<HourTotal>& kept) {
  std::set<std::pair<UtcSeconds, std::string>> supported;
  for (const auto& row : kept) supported.emplace(row.hour, row.total.code);
  auto select = prepare(connection,
                        "SELECT CAST(hour AS CHAR), region_code FROM region_hourly_temperature"
                        " WHERE region_set = ? AND hour >= ? AND hour < ?");
  Binder(*select).text(region_set).datetime(range.from).datetime(range.to);
  std::vector<std::pair<UtcSeconds, std::string>> unsupported;
  auto row = run_query(*select);
  while (row->next()) {
    std::pair<UtcSeconds, std::string> key{parse_sql_datetime(text(*row, 1)), text(*row, 2)};
    if (!supported.contains(key)) unsupported.push_back(std::move(key));
  }
  if (unsupported.empty()) return;
  auto remove = prepare(connection,
                        "DELETE FROM region_hourly_temperature"
                        " WHERE region_set = ? AND hour = ? AND region_code = ?");
  for (const auto& [hour, code] : unsupported) {
    Binder(*remove).text(region_set).datetime(hour).text(code);
    remove->executeUpdate();
  }
}

void write_region_rows(sql::Connection& connection, const std::string& region_set,
                       const std::vector<HourTotal>& rows) {
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
  insert_rows(connection, upsert, rows.size(), [&](Binder& binder, std::size_t row) {
    const auto& [hour, total] = rows[row];
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
  // floor(t * 2^80) as two integer halves of 40 bits, each exact in a DOUBLE and a BIGINT; SUM of
  // a BIGINT is an exact DECIMAL. The operations are TemperatureSum::add's, in the same order.
  const std::string scaled = "(" + column + " * 1099511627776)";
  return "(SUM(CAST(FLOOR" + scaled + " AS SIGNED)) * 1099511627776 + SUM(CAST(FLOOR((" + scaled +
         " - FLOOR" + scaled + ") * 1099511627776) AS SIGNED)))";
}

void recompute_region_hours(sql::Connection& connection, const std::string& region_set,
                            const std::set<UtcSeconds>& hours) {
  for (const auto& range : hour_ranges(hours)) {
    const auto totals = stored_hour_totals(connection, region_set, range);
    remove_unsupported_rows(connection, region_set, range, totals);
    write_region_rows(connection, region_set, totals);
  }
}

bool add_to_region_hours(sql::Connection& connection, const std::string& region_set,
                         std::vector<HourTotal> additions) {
  if (additions.empty()) return true;
  const auto [first, last] =
      std::minmax_element(additions.begin(), additions.end(),
                          [](const HourTotal& a, const HourTotal& b) { return a.hour < b.hour; });
  auto select = prepare(connection,
                        "SELECT CAST(hour AS CHAR), region_code, CAST(temperature_sum AS CHAR),"
                        " numberOfPoints FROM region_hourly_temperature"
                        " WHERE region_set = ? AND hour >= ? AND hour < ? FOR UPDATE");
  Binder(*select)
      .text(region_set)
      .datetime(first->hour)
      .datetime(last->hour + std::chrono::hours(1));
  std::map<std::pair<UtcSeconds, std::string>, TemperatureSum> stored;
  auto row = run_query(*select);
  while (row->next()) {
    if (row->isNull(3)) return false;
    stored.emplace(
        std::pair{parse_sql_datetime(text(*row, 1)), text(*row, 2)},
        TemperatureSum::from_units(text(*row, 3), static_cast<std::size_t>(row->getUInt64(4))));
  }
  for (auto& addition : additions) {
    const auto found = stored.find({addition.hour, addition.total.code});
    if (found != stored.end()) addition.total.sum.merge(found->second);
  }
  write_region_rows(connection, region_set, additions);
  return true;
}

bool add_to_region_hour(sql::Connection& connection, const std::string& region_set, UtcSeconds hour,
                        std::vector<RegionTotal> additions) {
  std::vector<HourTotal> rows;
  for (auto& addition : additions) rows.push_back({hour, std::move(addition)});
  return add_to_region_hours(connection, region_set, std::move(rows));
}

}  // namespace meteo::store
