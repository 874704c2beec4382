// The station store's small entry points: dataset states, the watermark, the ledger's success
// step and reading the hourly weather back. The loads are in station_sync.cpp and
// station_load.cpp.
#include "meteo/core/errors.hpp"
#include "meteo/store/stations.hpp"
#include "station_support.hpp"
#include "transaction.hpp"

namespace meteo {

using store::Binder;

void record_skipped_dataset(Database& db, const std::string& source, const std::string& dataset_id,
                            const std::string& reason) {
  auto& connection = db.connection();
  store::guarded("recording dataset " + dataset_id + " of " + source + " as skipped", [&] {
    // The watermark and newest observation stay: the dataset may come back. updated_at moves
    // only when the state does, so an hourly run that skips it again changes nothing.
    auto statement = store::prepare(
        connection,
        "INSERT INTO station_datasets (source, dataset_id, status, reason, updated_at)"
        " VALUES (?, ?, 'skipped', ?, UTC_TIMESTAMP(3)) ON DUPLICATE KEY UPDATE"
        " updated_at = IF(status = VALUES(status) AND reason <=> VALUES(reason), updated_at,"
        " VALUES(updated_at)),"
        " status = VALUES(status), reason = VALUES(reason)");
    Binder(*statement).text(source).text(store::dataset_key(dataset_id)).text(reason);
    statement->executeUpdate();
  });
}

std::optional<UtcSeconds> read_watermark(Database& db, const std::string& source,
                                         const std::string& dataset_id) {
  auto& connection = db.connection();
  return store::guarded("reading the watermark of dataset " + dataset_id + " of " + source, [&] {
    auto statement = store::prepare(connection,
                                    "SELECT CAST(read_through AS CHAR) FROM station_datasets"
                                    " WHERE source = ? AND dataset_id = ?");
    Binder(*statement).text(source).text(store::dataset_key(dataset_id));
    auto row = store::run_query(*statement);
    return row->next() ? store::optional_datetime(*row, 1) : std::nullopt;
  });
}

void finish_run(Database& db, std::int64_t run_id, const RunCounts& counts) {
  auto& connection = db.connection();
  store::guarded("marking run " + std::to_string(run_id) + " succeeded",
                 [&] { store::mark_run_succeeded(connection, run_id, counts); });
}

std::vector<StationHourlyRow> query_station_hourly(Database& db, std::size_t limit) {
  auto& connection = db.connection();
  return store::guarded("reading station_hourly_weather", [&] {
    // LEFT JOIN: a dataset the station list does not name still has its hours.
    auto statement = store::prepare(
        connection,
        "SELECT h.source, h.dataset_id, s.number, s.commune, CAST(h.hour AS CHAR),"
        " h.temperature_mean, h.temperature_min, h.temperature_max, h.humidity_mean,"
        " h.pressure_mean, h.rain_sum, h.wind_mean, h.gust_max,"
        " h.observations FROM station_hourly_weather AS h"
        " LEFT JOIN weather_stations AS s ON s.source = h.source AND s.dataset_id = h.dataset_id"
        " ORDER BY h.hour DESC, h.source, h.dataset_id LIMIT ?");
    Binder(*statement).count(limit);
    auto row = store::run_query(*statement);
    std::vector<StationHourlyRow> rows;
    while (row->next()) {
      StationHourlyRow out;
      out.source = store::text(*row, 1);
      out.dataset_id = store::text(*row, 2);
      out.station_number = store::optional_text(*row, 3).value_or("");
      out.commune = store::optional_text(*row, 4).value_or("");
      out.hour = parse_sql_datetime(store::text(*row, 5));
      std::optional<double>* values[] = {
          &out.temperature_mean, &out.temperature_min, &out.temperature_max, &out.humidity_mean,
          &out.pressure_mean,    &out.rain_sum,        &out.wind_mean,       &out.gust_max};
      for (unsigned i = 0; i < std::size(values); ++i) {
        *values[i] = store::optional_real(*row, 6 + i);
      }
      out.observations = row->getUInt64(14);
      rows.push_back(std::move(out));
    }
    return rows;
  });
}

}  // namespace meteo
