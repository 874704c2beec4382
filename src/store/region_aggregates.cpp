#include "region_aggregates.hpp"

#include <cstdint>
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

struct RegionMean {
  std::string code;
  std::string name;
  double temperature = 0;
  std::int64_t points = 0;
};

// One pass over the hour's measurements: their mean and count per region of the set.
std::vector<RegionMean> region_means(sql::Connection& connection, const std::string& region_set,
                                     UtcSeconds hour) {
  auto select = prepare(connection,
                        "SELECT x.region_code, g.name, AVG(x.temperature), COUNT(*)"
                        " FROM (" +
                            std::string(kMeasurements) +
                            ") AS x"
                            " JOIN regions AS g ON g.region_set = ? AND g.code = x.region_code"
                            " GROUP BY x.region_code, g.name ORDER BY x.region_code");
  Binder binder(*select);
  bind_measurements(binder, region_set, hour).text(region_set);
  std::vector<RegionMean> means;
  auto row = run_query(*select);
  while (row->next()) {
    means.push_back({text(*row, 1), text(*row, 2), static_cast<double>(row->getDouble(3)),
                     static_cast<std::int64_t>(row->getInt64(4))});
  }
  return means;
}

void remove_regions_without_measurements(sql::Connection& connection, const std::string& region_set,
                                         UtcSeconds hour, const std::vector<RegionMean>& means) {
  std::string statement = "DELETE FROM region_hourly_temperature WHERE region_set = ? AND hour = ?";
  if (!means.empty()) statement += " AND region_code NOT IN (" + placeholders(means.size()) + ")";
  auto remove = prepare(connection, statement);
  Binder binder(*remove);
  binder.text(region_set).datetime(hour);
  for (const auto& mean : means) binder.text(mean.code);
  remove->executeUpdate();
}

}  // namespace

void recompute_region_hour(sql::Connection& connection, const std::string& region_set,
                           UtcSeconds hour) {
  // Read once, then written from the client: the measurements are the expensive part.
  const auto means = region_means(connection, region_set, hour);
  remove_regions_without_measurements(connection, region_set, hour, means);
  // ON DUPLICATE KEY UPDATE assigns left to right: updated_at is decided before the values move.
  const MultiRowInsert upsert{
      "INSERT INTO region_hourly_temperature (hour, region_set, region_code, region, temperature,"
      " numberOfPoints, updated_at)",
      "(?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(3))",
      "ON DUPLICATE KEY UPDATE"
      " updated_at = IF(temperature = VALUES(temperature)"
      " AND numberOfPoints = VALUES(numberOfPoints) AND region = VALUES(region),"
      " updated_at, VALUES(updated_at)),"
      " region = VALUES(region), temperature = VALUES(temperature),"
      " numberOfPoints = VALUES(numberOfPoints)"};
  insert_rows(connection, upsert, means.size(), [&](Binder& binder, std::size_t row) {
    const auto& mean = means[row];
    binder.datetime(hour)
        .text(region_set)
        .text(mean.code)
        .text(mean.name)
        .real(mean.temperature)
        .int64(mean.points);
  });
}

}  // namespace meteo::store
