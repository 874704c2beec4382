#include "station_daily.hpp"

#include <chrono>
#include <vector>

#include "meteo/aggregate/local_days.hpp"
#include "station_support.hpp"

namespace meteo::store {

namespace {

using aggregate::LocalCalendar;
using aggregate::LocalDay;

// Upserts days of station_daily_weather (migration 0009's rows). A row whose values do not
// change keeps its updated_at (ON DUPLICATE KEY UPDATE assigns left to right).
const MultiRowInsert kUpsertDays{
    "INSERT INTO station_daily_weather (source, dataset_id, day, start_utc, end_utc,"
    " time_zone, temperature_mean, temperature_min, temperature_max, pressure_mean,"
    " wind_mean, gust_max, rain_sum, hours_observed, heavy_rain_mm, heavy_rain, updated_at)",
    "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(3))",
    "ON DUPLICATE KEY UPDATE"
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
    " heavy_rain = VALUES(heavy_rain)"};

// Days read and rebuilt at once: a month of SYNOP in one read and one write per station (not a
// statement per day), a year of days after migration 0009 in a few. A pass spans at most this
// many days, so a correction far from the new days is a pass of its own and memory stays bounded.
constexpr auto kPassSpan = std::chrono::days(64);

// The days (in order) cut into passes of at most kPassSpan from their first day's start.
std::vector<std::vector<LocalDay>> passes_of(const std::vector<LocalDay>& days) {
  std::vector<std::vector<LocalDay>> passes;
  for (const auto& day : days) {
    if (passes.empty() || day.end - passes.back().front().start > kPassSpan) passes.emplace_back();
    passes.back().push_back(day);
  }
  return passes;
}

// The stored observations of [from, to) in key order: the order the daily figures add them in.
std::vector<WeatherObservation> stored_observations(sql::Connection& connection,
                                                    const std::string& source,
                                                    const std::string& dataset, UtcSeconds from,
                                                    UtcSeconds to) {
  auto select = prepare(connection,
                        "SELECT CAST(observed_at AS CHAR), temperature_c, pressure_hpa,"
                        " wind_speed_kmh, gust_kmh, rain_mm FROM weather_observations"
                        " WHERE source = ? AND dataset_id = ? AND observed_at >= ?"
                        " AND observed_at < ? ORDER BY observed_at");
  Binder(*select).text(source).text(dataset).datetime(from).datetime(to);
  std::vector<WeatherObservation> observations;
  auto row = run_query(*select);
  while (row->next()) {
    WeatherObservation& observation = observations.emplace_back();
    observation.observed_at = parse_sql_datetime(text(*row, 1));
    observation.temperature_c = optional_real(*row, 2);
    observation.pressure_hpa = optional_real(*row, 3);
    observation.wind_speed_kmh = optional_real(*row, 4);
    observation.gust_kmh = optional_real(*row, 5);
    observation.rain_mm = optional_real(*row, 6);
  }
  return observations;
}

void write_days(sql::Connection& connection, const std::string& source, const std::string& dataset,
                const aggregate::DailySettings& daily,
                const std::vector<aggregate::DayWeather>& days) {
  insert_rows(connection, kUpsertDays, days.size(), [&](Binder& binder, std::size_t i) {
    const auto& day = days[i];
    binder.text(source)
        .text(dataset)
        .text(aggregate::to_date_text(day.day.day))
        .datetime(day.day.start)
        .datetime(day.day.end)
        .text(daily.time_zone);
    for (const auto* value : {&day.temperature_mean, &day.temperature_min, &day.temperature_max,
                              &day.pressure_mean, &day.wind_mean, &day.gust_max, &day.rain_sum}) {
      bind_measurement(binder, *value);
    }
    binder.int64(static_cast<std::int64_t>(day.hours_observed)).real(daily.heavy_rain_mm);
    const auto heavy = aggregate::is_heavy_rain(day.rain_sum, daily.heavy_rain_mm);
    if (heavy) {
      binder.int64(*heavy ? 1 : 0);
    } else {
      binder.null_value();
    }
  });
}

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
  for (const auto& pass : passes_of(days)) {
    step = "rebuilding the station's days " + aggregate::to_date_text(pass.front().day) + " to " +
           aggregate::to_date_text(pass.back().day) + " (" + daily.time_zone + ")";
    write_days(
        connection, source, dataset, daily,
        aggregate::daily_weather(pass, stored_observations(connection, source, dataset,
                                                           pass.front().start, pass.back().end)));
  }
  return days.size();
}

}  // namespace meteo::store
