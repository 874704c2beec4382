// Read-only queries behind `meteo-etl dashboard` and `meteo-etl export`.
#include "meteo/store/dashboard_reads.hpp"
#include "meteo/store/stations.hpp"
#include "sql_support.hpp"
#include "station_support.hpp"

namespace meteo {

using store::Binder;

namespace {

std::optional<UtcSeconds> single_datetime(sql::PreparedStatement& statement) {
  auto row = store::run_query(statement);
  return row->next() ? store::optional_datetime(*row, 1) : std::nullopt;
}

RegionHourRow region_hour_row(const sql::ResultSet& row) {
  return {store::text(row, 1),
          store::text(row, 2),
          store::text(row, 3),
          parse_sql_datetime(store::text(row, 4)),
          static_cast<double>(row.getDouble(5)),
          static_cast<std::size_t>(row.getUInt64(6)),
          store::optional_real(row, 7)};
}

// The newest finished run of the source with this status.
std::optional<std::pair<UtcSeconds, std::string>> last_run_with_status(sql::Connection& connection,
                                                                       const std::string& source,
                                                                       const std::string& status) {
  auto statement = store::prepare(connection,
                                  "SELECT CAST(finished_at AS CHAR), message FROM etl_runs"
                                  " WHERE source = ? AND status = ? AND finished_at IS NOT NULL"
                                  " ORDER BY finished_at DESC, id DESC LIMIT 1");
  Binder(*statement).text(source).text(status);
  auto row = store::run_query(*statement);
  if (!row->next()) return std::nullopt;
  return std::make_pair(parse_sql_datetime(store::text(*row, 1)),
                        store::optional_text(*row, 2).value_or(""));
}

StationHourlyRow station_hour_row(const sql::ResultSet& row) {
  StationHourlyRow out;
  out.source = store::text(row, 1);
  out.dataset_id = store::text(row, 2);
  out.station_number = store::optional_text(row, 3).value_or("");
  out.commune = store::optional_text(row, 4).value_or("");
  out.hour = parse_sql_datetime(store::text(row, 5));
  std::optional<double>* values[] = {
      &out.temperature_mean, &out.temperature_min, &out.temperature_max, &out.humidity_mean,
      &out.pressure_mean,    &out.rain_sum,        &out.wind_mean,       &out.gust_max};
  for (unsigned i = 0; i < std::size(values); ++i) *values[i] = store::optional_real(row, 6 + i);
  out.observations = row.getUInt64(14);
  return out;
}

}  // namespace

std::optional<UtcSeconds> newest_region_hour(Database& db, const std::string& region_set) {
  return store::guarded("reading the newest hour of region set " + region_set, [&] {
    auto statement = store::prepare(db.connection(),
                                    "SELECT CAST(MAX(hour) AS CHAR) FROM region_hourly_temperature"
                                    " WHERE region_set = ?");
    Binder(*statement).text(region_set);
    return single_datetime(*statement);
  });
}

std::vector<RegionHourRow> query_region_hours(Database& db,
                                              const std::optional<std::string>& region_set,
                                              UtcSeconds from, UtcSeconds to) {
  return store::guarded("reading the view region_temperature_3h", [&] {
    // The view has no numberOfPoints: the aggregate it was built from does.
    auto statement = store::prepare(
        db.connection(),
        "SELECT v.RegionSet, v.RegionCode, v.Region, CAST(v.Hour AS CHAR), v.Temperature,"
        " t.numberOfPoints, v.Temperature3HoursBefore FROM region_temperature_3h AS v"
        " JOIN region_hourly_temperature AS t ON t.region_set = v.RegionSet"
        " AND t.region_code = v.RegionCode AND t.hour = v.Hour"
        " WHERE (? IS NULL OR v.RegionSet = ?) AND v.Hour >= ? AND v.Hour <= ?"
        " ORDER BY v.RegionSet, v.RegionCode, v.Hour");
    Binder(*statement)
        .optional_text(region_set)
        .optional_text(region_set)
        .datetime(from)
        .datetime(to);
    auto row = store::run_query(*statement);
    std::vector<RegionHourRow> rows;
    while (row->next()) rows.push_back(region_hour_row(*row));
    return rows;
  });
}

SourceHealth read_source_health(Database& db, const std::string& source) {
  return store::guarded("reading the ledger of source " + source, [&] {
    SourceHealth health;
    if (auto success = last_run_with_status(db.connection(), source, "succeeded")) {
      health.last_success = success->first;
    }
    if (auto failure = last_run_with_status(db.connection(), source, "failed")) {
      health.last_failure = failure->first;
      health.last_failure_message = failure->second;
    }
    return health;
  });
}

std::vector<StationWithRegion> query_stations(Database& db, const std::string& source,
                                              const std::string& region_set) {
  return store::guarded("reading the stations of " + source, [&] {
    auto statement = store::prepare(
        db.connection(),
        "SELECT s.dataset_id, s.number, s.commune, s.type, s.latitude, s.longitude, s.altitude,"
        " r.region_code, " +
            store::station_name_column(db.connection(), "s") +
            " FROM weather_stations AS s LEFT JOIN station_regions AS r"
            " ON r.source = s.source AND r.dataset_id = s.dataset_id AND r.region_set = ?"
            " WHERE s.source = ? ORDER BY s.commune, s.dataset_id");
    Binder(*statement).text(region_set).text(source);
    auto row = store::run_query(*statement);
    std::vector<StationWithRegion> stations;
    while (row->next()) {
      StationWithRegion out;
      out.station.dataset_id = store::text(*row, 1);
      out.station.number = store::text(*row, 2);
      out.station.commune = store::text(*row, 3);
      out.station.type = store::text(*row, 4);
      out.station.latitude = static_cast<double>(row->getDouble(5));
      out.station.longitude = static_cast<double>(row->getDouble(6));
      out.station.altitude = store::optional_real(*row, 7);
      out.region_code = store::optional_text(*row, 8);
      out.station.name = store::optional_text(*row, 9).value_or("");
      stations.push_back(std::move(out));
    }
    return stations;
  });
}

std::vector<WeatherObservation> query_latest_observations(Database& db, const std::string& source) {
  return store::guarded("reading the latest observations of " + source, [&] {
    auto statement = store::prepare(
        db.connection(),
        "SELECT o.dataset_id, CAST(o.observed_at AS CHAR), o.temperature_c, o.humidity_pct,"
        " o.pressure_hpa, o.rain_mm, o.wind_speed_kmh, o.gust_kmh, o.wind_direction_deg"
        " FROM weather_observations AS o JOIN (SELECT dataset_id, MAX(observed_at) AS newest"
        " FROM weather_observations WHERE source = ? GROUP BY dataset_id) AS n"
        " ON n.dataset_id = o.dataset_id AND n.newest = o.observed_at WHERE o.source = ?"
        " ORDER BY o.dataset_id");
    Binder(*statement).text(source).text(source);
    auto row = store::run_query(*statement);
    std::vector<WeatherObservation> observations;
    while (row->next()) {
      WeatherObservation out;
      out.dataset_id = store::text(*row, 1);
      out.observed_at = parse_sql_datetime(store::text(*row, 2));
      std::optional<double>* values[] = {
          &out.temperature_c,  &out.humidity_pct, &out.pressure_hpa,      &out.rain_mm,
          &out.wind_speed_kmh, &out.gust_kmh,     &out.wind_direction_deg};
      for (unsigned i = 0; i < std::size(values); ++i) {
        *values[i] = store::optional_real(*row, 3 + i);
      }
      observations.push_back(std::move(out));
    }
    return observations;
  });
}

std::optional<UtcSeconds> newest_observation(Database& db, const std::string& source) {
  return store::guarded("reading the newest observation of " + source, [&] {
    auto statement = store::prepare(db.connection(),
                                    "SELECT CAST(MAX(observed_at) AS CHAR)"
                                    " FROM weather_observations WHERE source = ?");
    Binder(*statement).text(source);
    return single_datetime(*statement);
  });
}

std::vector<StationHourlyRow> query_station_hours(Database& db,
                                                  const std::optional<std::string>& source,
                                                  UtcSeconds from, UtcSeconds to) {
  return store::guarded("reading station_hourly_weather", [&] {
    // LEFT JOIN: a dataset the station list does not name still has its hours.
    auto statement =
        store::prepare(db.connection(),
                       "SELECT h.source, h.dataset_id, s.number, s.commune, CAST(h.hour AS CHAR),"
                       " h.temperature_mean, h.temperature_min, h.temperature_max, h.humidity_mean,"
                       " h.pressure_mean, h.rain_sum, h.wind_mean, h.gust_max, h.observations"
                       " FROM station_hourly_weather AS h LEFT JOIN weather_stations AS s"
                       " ON s.source = h.source AND s.dataset_id = h.dataset_id"
                       " WHERE (? IS NULL OR h.source = ?) AND h.hour >= ? AND h.hour <= ?"
                       " ORDER BY h.source, h.dataset_id, h.hour");
    Binder(*statement).optional_text(source).optional_text(source).datetime(from).datetime(to);
    auto row = store::run_query(*statement);
    std::vector<StationHourlyRow> rows;
    while (row->next()) rows.push_back(station_hour_row(*row));
    return rows;
  });
}

}  // namespace meteo
