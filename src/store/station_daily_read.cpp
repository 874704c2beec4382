// Reading station_daily_weather back for `query period` and the dashboard's period view.
#include "meteo/store/stations.hpp"
#include "station_support.hpp"

namespace meteo {

using store::Binder;

std::vector<DailyStation> query_daily_stations(Database& db) {
  auto& connection = db.connection();
  return store::guarded("reading the stations of station_daily_weather", [&] {
    auto statement = store::prepare(
        connection, "SELECT d.source, d.dataset_id, s.commune, " +
                        store::station_name_column(connection, "s") +
                        " FROM (SELECT DISTINCT source, dataset_id FROM station_daily_weather) AS d"
                        " LEFT JOIN weather_stations AS s ON s.source = d.source"
                        " AND s.dataset_id = d.dataset_id ORDER BY d.source, d.dataset_id");
    auto row = store::run_query(*statement);
    std::vector<DailyStation> stations;
    while (row->next()) {
      stations.push_back({store::text(*row, 1), store::text(*row, 2),
                          store::optional_text(*row, 3).value_or(""),
                          store::optional_text(*row, 4).value_or("")});
    }
    return stations;
  });
}

StationPeriodFigures query_station_period(Database& db, const DailyStation& station,
                                          const std::string& from_day, const std::string& to_day) {
  auto& connection = db.connection();
  return store::guarded(
      "reading the days " + from_day + " to " + to_day + " of station " + station.dataset_id +
          " of " + station.source,
      [&] {
        auto statement =
            store::prepare(connection,
                           "SELECT AVG(temperature_mean), MIN(temperature_min),"
                           " MAX(temperature_max), AVG(pressure_mean), AVG(wind_mean),"
                           " MAX(gust_max), SUM(rain_sum), COALESCE(SUM(heavy_rain), 0),"
                           " COUNT(*) FROM station_daily_weather WHERE source = ?"
                           " AND dataset_id = ? AND day >= ? AND day < ?");
        Binder(*statement)
            .text(station.source)
            .text(station.dataset_id)
            .text(from_day)
            .text(to_day);
        auto row = store::run_query(*statement);
        row->next();
        StationPeriodFigures figures;
        std::optional<double>* values[] = {&figures.temperature_mean, &figures.temperature_min,
                                           &figures.temperature_max,  &figures.pressure_mean,
                                           &figures.wind_mean,        &figures.gust_max,
                                           &figures.rain_sum};
        for (unsigned i = 0; i < std::size(values); ++i) {
          *values[i] = store::optional_real(*row, 1 + i);
        }
        figures.heavy_rain_days = row->getUInt64(8);
        figures.days_observed = row->getUInt64(9);
        return figures;
      });
}

std::vector<StationDayRow> query_recent_station_days(Database& db, const std::string& source,
                                                     unsigned span_days) {
  auto& connection = db.connection();
  return store::guarded("reading the recent days of station_daily_weather of " + source, [&] {
    // The source's newest day, joined once, bounds the span.
    auto statement = store::prepare(
        connection,
        "SELECT d.dataset_id, DATE_FORMAT(d.day, '%Y-%m-%d'), d.temperature_mean,"
        " d.temperature_min, d.temperature_max, d.pressure_mean, d.wind_mean, d.gust_max,"
        " d.rain_sum, d.hours_observed, d.heavy_rain FROM station_daily_weather AS d"
        " JOIN (SELECT MAX(day) AS newest FROM station_daily_weather WHERE source = ?) AS n"
        " ON d.day > DATE_SUB(n.newest, INTERVAL ? DAY) WHERE d.source = ?"
        " ORDER BY d.dataset_id, d.day");
    Binder(*statement).text(source).int64(span_days).text(source);
    auto row = store::run_query(*statement);
    std::vector<StationDayRow> days;
    while (row->next()) {
      StationDayRow day{.dataset_id = store::text(*row, 1), .day = store::text(*row, 2)};
      std::optional<double>* values[] = {
          &day.temperature_mean, &day.temperature_min, &day.temperature_max, &day.pressure_mean,
          &day.wind_mean,        &day.gust_max,        &day.rain_sum};
      for (unsigned i = 0; i < std::size(values); ++i) {
        *values[i] = store::optional_real(*row, 3 + i);
      }
      day.hours_observed = row->getUInt(10);
      if (!row->isNull(11)) day.heavy_rain = row->getBoolean(11);
      days.push_back(std::move(day));
    }
    return days;
  });
}

}  // namespace meteo
