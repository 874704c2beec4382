// Read-only queries over the air-quality tables and the view air_quality_weather_hourly.
#include "meteo/store/air_quality_read.hpp"

#include "meteo/model/air_quality.hpp"
#include "sql_support.hpp"
#include "station_support.hpp"

namespace meteo {

using store::Binder;

namespace {

// The filters every view shares, as "(? IS NULL OR ...)" pairs so that one statement serves
// every combination; bound by bind_filter in the same order.
std::string filter_sql(const std::string& source_column, const std::string& station_column,
                       const std::string& pollutant_column, const std::string& from_sql,
                       const std::string& to_sql) {
  return " WHERE (? IS NULL OR " + source_column + " = ?) AND (? IS NULL OR " + station_column +
         " = ?) AND (? IS NULL OR " + pollutant_column + " = ?) AND (? IS NULL OR " + from_sql +
         ") AND (? IS NULL OR " + to_sql + ")";
}

void bind_filter(Binder& binder, const AirQualityFilter& filter) {
  binder.optional_text(filter.source).optional_text(filter.source);
  binder.optional_text(filter.station).optional_text(filter.station);
  binder.optional_text(filter.pollutant).optional_text(filter.pollutant);
  store::bind_optional_datetime(binder, filter.from);
  store::bind_optional_datetime(binder, filter.from);
  store::bind_optional_datetime(binder, filter.to);
  store::bind_optional_datetime(binder, filter.to);
}

UtcSeconds datetime(const sql::ResultSet& row, unsigned column) {
  return parse_sql_datetime(store::text(row, column));
}

int integer(const sql::ResultSet& row, unsigned column) {
  return static_cast<int>(row.getInt(column));
}

double real(const sql::ResultSet& row, unsigned column) {
  return static_cast<double>(row.getDouble(column));
}

// Runs `sql` with the filter bound, then LIMIT when `limited`, one row at a time into `read`.
template <class Row, class Read>
std::vector<Row> rows_of(Database& db, const std::string& purpose, const std::string& sql,
                         const AirQualityFilter& filter, bool limited, Read read) {
  return store::guarded(purpose, [&] {
    auto statement = store::prepare(db.connection(), sql + (limited ? " LIMIT ?" : ""));
    Binder binder(*statement);
    bind_filter(binder, filter);
    if (limited) binder.count(filter.limit);
    auto row = store::run_query(*statement);
    std::vector<Row> rows;
    while (row->next()) rows.push_back(read(*row));
    return rows;
  });
}

constexpr const char* kIndexColumns =
    "SELECT i.source, i.station_code, s.name, CAST(i.day AS CHAR), i.index_class, i.label,"
    " i.dominant_pollutant, i.method, i.sub_indices";

AirQualityIndexRow index_row(const sql::ResultSet& row) {
  return {store::text(row, 1), store::text(row, 2), store::optional_text(row, 3).value_or(""),
          store::text(row, 4), integer(row, 5),     store::text(row, 6),
          store::text(row, 7), store::text(row, 8), integer(row, 9)};
}

}  // namespace

const std::vector<std::string>& air_quality_pollutant_names() {
  static const std::vector<std::string> names(kAirQualityPollutants.begin(),
                                              kAirQualityPollutants.end());
  return names;
}

std::vector<AirQualityIndexRow> query_air_quality_index(Database& db,
                                                        const AirQualityFilter& filter) {
  // The pollutant filter keeps the days it dominates.
  const std::string sql = std::string(kIndexColumns) +
                          " FROM air_quality_daily_index AS i LEFT JOIN air_quality_stations AS s"
                          " ON s.source = i.source AND s.station_code = i.station_code" +
                          filter_sql("i.source", "i.station_code", "i.dominant_pollutant",
                                     "i.day >= DATE(?)", "i.day <= DATE(?)") +
                          " ORDER BY i.day DESC, i.source, i.station_code";
  return rows_of<AirQualityIndexRow>(db, "reading air_quality_daily_index", sql, filter, true,
                                     index_row);
}

std::vector<AirQualityDailyRow> query_air_quality_daily(Database& db,
                                                        const AirQualityFilter& filter) {
  const std::string sql =
      "SELECT source, station_code, pollutant, CAST(day AS CHAR), mean_ugm3, max_hourly_ugm3,"
      " hours, validated_hours, representative, sub_index FROM air_quality_daily" +
      filter_sql("source", "station_code", "pollutant", "day >= DATE(?)", "day <= DATE(?)") +
      " ORDER BY day DESC, source, station_code, pollutant";
  return rows_of<AirQualityDailyRow>(
      db, "reading air_quality_daily", sql, filter, true, [](const sql::ResultSet& row) {
        AirQualityDailyRow out{store::text(row, 1), store::text(row, 2), store::text(row, 3),
                               store::text(row, 4), real(row, 5),        real(row, 6),
                               integer(row, 7),     integer(row, 8),     integer(row, 9) != 0};
        if (!row.isNull(10)) out.sub_index = integer(row, 10);
        return out;
      });
}

std::vector<AirQualityHourlyRow> query_air_quality_hourly(Database& db,
                                                          const AirQualityFilter& filter) {
  const std::string sql =
      "SELECT source, station_code, pollutant, CAST(measured_at AS CHAR), value_ugm3, validated"
      " FROM air_quality_measurements" +
      filter_sql("source", "station_code", "pollutant", "measured_at >= ?", "measured_at <= ?") +
      " ORDER BY measured_at DESC, source, station_code, pollutant";
  return rows_of<AirQualityHourlyRow>(
      db, "reading air_quality_measurements", sql, filter, true, [](const sql::ResultSet& row) {
        return AirQualityHourlyRow{store::text(row, 1), store::text(row, 2), store::text(row, 3),
                                   datetime(row, 4),    real(row, 5),        integer(row, 6) != 0};
      });
}

std::vector<AirQualityExceedanceRow> query_air_quality_exceedances(Database& db,
                                                                   const AirQualityFilter& filter) {
  const std::string sql =
      "SELECT source, station_code, pollutant, level, basis, CAST(start_at AS CHAR),"
      " CAST(end_at AS CHAR), periods, peak_ugm3, CAST(peak_at AS CHAR)"
      " FROM air_quality_exceedances" +
      filter_sql("source", "station_code", "pollutant", "end_at > ?", "start_at <= ?") +
      " ORDER BY start_at DESC, source, station_code, pollutant, level";
  return rows_of<AirQualityExceedanceRow>(
      db, "reading air_quality_exceedances", sql, filter, true, [](const sql::ResultSet& row) {
        return AirQualityExceedanceRow{
            store::text(row, 1), store::text(row, 2), store::text(row, 3), store::text(row, 4),
            store::text(row, 5), datetime(row, 6),    datetime(row, 7),    integer(row, 8),
            real(row, 9),        datetime(row, 10)};
      });
}

std::vector<AirQualityPairRow> query_air_quality_pairs(Database& db,
                                                       const AirQualityFilter& filter) {
  return store::guarded("reading air_quality_station_pairs", [&] {
    auto statement = store::prepare(
        db.connection(),
        "SELECT s.source, s.station_code, s.name, s.commune, p.weather_source, p.weather_dataset,"
        " p.distance_km FROM air_quality_stations AS s LEFT JOIN air_quality_station_pairs AS p"
        " ON p.source = s.source AND p.station_code = s.station_code"
        " WHERE (? IS NULL OR s.source = ?) AND (? IS NULL OR s.station_code = ?)"
        " ORDER BY s.source, s.station_code LIMIT ?");
    Binder(*statement)
        .optional_text(filter.source)
        .optional_text(filter.source)
        .optional_text(filter.station)
        .optional_text(filter.station)
        .count(filter.limit);
    auto row = store::run_query(*statement);
    std::vector<AirQualityPairRow> rows;
    while (row->next()) {
      rows.push_back({store::text(*row, 1), store::text(*row, 2), store::text(*row, 3),
                      store::text(*row, 4), store::optional_text(*row, 5),
                      store::optional_text(*row, 6), store::optional_real(*row, 7)});
    }
    return rows;
  });
}

std::vector<AirQualityWeatherRow> query_air_quality_weather(Database& db,
                                                            const AirQualityFilter& filter) {
  const std::string sql =
      "SELECT AqSource, StationCode, Pollutant, CAST(Hour AS CHAR), Value, WeatherStation,"
      " DistanceKm, Temperature, Humidity, WindSpeed, WindDirection, Rain"
      " FROM air_quality_weather_hourly" +
      filter_sql("AqSource", "StationCode", "Pollutant", "Hour >= ?", "Hour <= ?") +
      " ORDER BY AqSource, StationCode, Pollutant, Hour";
  return rows_of<AirQualityWeatherRow>(db, "reading the view air_quality_weather_hourly", sql,
                                       filter, false, [](const sql::ResultSet& row) {
                                         return AirQualityWeatherRow{store::text(row, 1),
                                                                     store::text(row, 2),
                                                                     store::text(row, 3),
                                                                     datetime(row, 4),
                                                                     real(row, 5),
                                                                     store::optional_text(row, 6),
                                                                     store::optional_real(row, 7),
                                                                     store::optional_real(row, 8),
                                                                     store::optional_real(row, 9),
                                                                     store::optional_real(row, 10),
                                                                     store::optional_real(row, 11),
                                                                     store::optional_real(row, 12)};
                                       });
}

std::vector<AirQualityStationSummary> query_air_quality_stations(Database& db,
                                                                 const std::string& source) {
  return store::guarded("reading the air-quality stations of " + source, [&] {
    // The newest index row of each station: its greatest day.
    auto statement = store::prepare(
        db.connection(),
        "SELECT s.station_code, s.name, s.commune, s.typology, s.influence, s.latitude,"
        " s.longitude, p.weather_dataset, p.distance_km, CAST(i.day AS CHAR), i.index_class,"
        " i.label, i.dominant_pollutant, i.method, i.sub_indices"
        " FROM air_quality_stations AS s LEFT JOIN air_quality_station_pairs AS p"
        " ON p.source = s.source AND p.station_code = s.station_code"
        " LEFT JOIN air_quality_daily_index AS i ON i.source = s.source"
        " AND i.station_code = s.station_code AND i.day = (SELECT MAX(n.day)"
        " FROM air_quality_daily_index AS n WHERE n.source = s.source"
        " AND n.station_code = s.station_code)"
        " WHERE s.source = ? ORDER BY s.station_code");
    Binder(*statement).text(source);
    auto row = store::run_query(*statement);
    std::vector<AirQualityStationSummary> stations;
    while (row->next()) {
      AirQualityStationSummary out{source,
                                   store::text(*row, 1),
                                   store::text(*row, 2),
                                   store::text(*row, 3),
                                   store::text(*row, 4),
                                   store::text(*row, 5),
                                   real(*row, 6),
                                   real(*row, 7),
                                   store::optional_text(*row, 8),
                                   store::optional_real(*row, 9),
                                   std::nullopt};
      if (!row->isNull(10)) {
        out.latest_index = AirQualityIndexRow{source,
                                              out.code,
                                              out.name,
                                              store::text(*row, 10),
                                              integer(*row, 11),
                                              store::text(*row, 12),
                                              store::text(*row, 13),
                                              store::text(*row, 14),
                                              integer(*row, 15)};
      }
      stations.push_back(std::move(out));
    }
    return stations;
  });
}

std::vector<std::string> air_quality_sources(Database& db) {
  return store::guarded("reading the air-quality sources", [&] {
    auto statement = store::prepare(
        db.connection(), "SELECT DISTINCT source FROM air_quality_stations ORDER BY source");
    auto row = store::run_query(*statement);
    std::vector<std::string> sources;
    while (row->next()) sources.push_back(store::text(*row, 1));
    return sources;
  });
}

std::optional<UtcSeconds> newest_air_quality_hour(Database& db, const std::string& source) {
  return store::guarded("reading the newest air-quality hour of " + source, [&] {
    auto statement = store::prepare(db.connection(),
                                    "SELECT CAST(MAX(measured_at) AS CHAR)"
                                    " FROM air_quality_measurements WHERE source = ?");
    Binder(*statement).text(source);
    auto row = store::run_query(*statement);
    return row->next() ? store::optional_datetime(*row, 1) : std::nullopt;
  });
}

bool air_quality_station_exists(Database& db, const std::string& code) {
  return store::guarded("looking for air-quality station " + code, [&] {
    auto statement = store::prepare(
        db.connection(), "SELECT COUNT(*) FROM air_quality_stations WHERE station_code = ?");
    Binder(*statement).text(code);
    auto row = store::run_query(*statement);
    return row->next() && row->getUInt64(1) > 0;
  });
}

}  // namespace meteo
