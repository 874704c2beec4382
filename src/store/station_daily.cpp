#include "station_daily.hpp"

#include <chrono>
#include <vector>

#include "meteo/aggregate/local_days.hpp"
#include "station_support.hpp"

namespace meteo::store {

namespace {

using aggregate::LocalCalendar;
using aggregate::LocalDay;

// One local day of one station over [start_utc, end_utc), as migration 0009 describes it. No row
// when the day holds no observation (GROUP BY over no row). A row whose values do not change
// keeps its updated_at (ON DUPLICATE KEY UPDATE assigns left to right).
const std::string kRebuildDay =
    std::string(
        "INSERT INTO station_daily_weather (source, dataset_id, day, start_utc, end_utc,"
        " time_zone, temperature_mean, temperature_min, temperature_max, pressure_mean,"
        " wind_mean, gust_max, rain_sum, hours_observed, heavy_rain_mm, heavy_rain, updated_at)"
        " SELECT source, dataset_id, ?, ?, ?, ?, AVG(temperature_c), MIN(temperature_c),"
        " MAX(temperature_c), AVG(pressure_hpa), AVG(wind_speed_kmh), MAX(gust_kmh),"
        " SUM(rain_mm), COUNT(DISTINCT ") +
    kObservationHour +
    "), ?, SUM(rain_mm) >= ?, UTC_TIMESTAMP(3)"
    " FROM weather_observations"
    " WHERE source = ? AND dataset_id = ? AND observed_at >= ? AND observed_at < ?"
    " GROUP BY source, dataset_id"
    " ON DUPLICATE KEY UPDATE"
    " updated_at = IF(start_utc = VALUES(start_utc) AND end_utc = VALUES(end_utc)"
    " AND time_zone = VALUES(time_zone)"
    " AND temperature_mean <=> VALUES(temperature_mean)"
    " AND temperature_min <=> VALUES(temperature_min)"
    " AND temperature_max <=> VALUES(temperature_max)"
    " AND pressure_mean <=> VALUES(pressure_mean) AND wind_mean <=> VALUES(wind_mean)"
    " AND gust_max <=> VALUES(gust_max) AND rain_sum <=> VALUES(rain_sum)"
    " AND hours_observed = VALUES(hours_observed) AND heavy_rain_mm = VALUES(heavy_rain_mm)"
    " AND heavy_rain <=> VALUES(heavy_rain), updated_at, VALUES(updated_at)),"
    " start_utc = VALUES(start_utc), end_utc = VALUES(end_utc), time_zone = VALUES(time_zone),"
    " temperature_mean = VALUES(temperature_mean), temperature_min = VALUES(temperature_min),"
    " temperature_max = VALUES(temperature_max), pressure_mean = VALUES(pressure_mean),"
    " wind_mean = VALUES(wind_mean), gust_max = VALUES(gust_max), rain_sum = VALUES(rain_sum),"
    " hours_observed = VALUES(hours_observed), heavy_rain_mm = VALUES(heavy_rain_mm),"
    " heavy_rain = VALUES(heavy_rain)";

// Whether the dataset's days must all be built again: observations without any daily row, or
// rows of other settings (deleted here, in the load's transaction).
bool needs_every_day(sql::Connection& connection, const std::string& source,
                     const std::string& dataset, const aggregate::DailySettings& daily) {
  auto rows = prepare(connection,
                      "SELECT COUNT(*), COALESCE(SUM(time_zone <> ? OR heavy_rain_mm <> ?), 0)"
                      " FROM station_daily_weather WHERE source = ? AND dataset_id = ?");
  Binder(*rows).text(daily.time_zone).real(daily.heavy_rain_mm).text(source).text(dataset);
  auto row = run_query(*rows);
  row->next();
  if (row->getUInt64(1) == 0) return true;  // observations without days: the caller's range says
  if (row->getUInt64(2) == 0) return false;
  auto stale =
      prepare(connection, "DELETE FROM station_daily_weather WHERE source = ? AND dataset_id = ?");
  Binder(*stale).text(source).text(dataset);
  stale->executeUpdate();
  return true;
}

// Every local day from the dataset's first observation to its last.
std::vector<LocalDay> every_day(sql::Connection& connection, const LocalCalendar& calendar,
                                const std::string& source, const std::string& dataset) {
  auto range = prepare(connection,
                       "SELECT CAST(MIN(observed_at) AS CHAR), CAST(MAX(observed_at) AS CHAR)"
                       " FROM weather_observations WHERE source = ? AND dataset_id = ?");
  Binder(*range).text(source).text(dataset);
  auto row = run_query(*range);
  row->next();
  const auto first = optional_datetime(*row, 1);
  const auto last = optional_datetime(*row, 2);
  std::vector<LocalDay> days;
  if (!first || !last) return days;
  const std::chrono::sys_days end{calendar.day_of(*last)};
  for (std::chrono::sys_days day{calendar.day_of(*first)}; day <= end;
       day += std::chrono::days(1)) {
    days.push_back(calendar.bounds(std::chrono::year_month_day{day}));
  }
  return days;
}

}  // namespace

std::size_t rebuild_station_days(sql::Connection& connection, const std::string& source,
                                 const std::string& dataset, const aggregate::DailySettings& daily,
                                 const std::set<UtcSeconds>& changed, std::string& step) {
  step = "reading the station's daily rows";
  const LocalCalendar calendar(daily.time_zone);
  const auto days = needs_every_day(connection, source, dataset, daily)
                        ? every_day(connection, calendar, source, dataset)
                        : calendar.days_of(changed);
  auto statement = prepare(connection, kRebuildDay);
  for (const auto& day : days) {
    const std::string text = aggregate::to_date_text(day.day);
    step = "rebuilding the station's day " + text + " (" + daily.time_zone + ")";
    Binder(*statement)
        .text(text)
        .datetime(day.start)
        .datetime(day.end)
        .text(daily.time_zone)
        .real(daily.heavy_rain_mm)
        .real(daily.heavy_rain_mm)
        .text(source)
        .text(dataset)
        .datetime(day.start)
        .datetime(day.end);
    statement->executeUpdate();
  }
  return days.size();
}

}  // namespace meteo::store
