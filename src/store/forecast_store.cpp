// Station forecasts: the series read for them, issues written once, scores as observations
// arrive, and the skill tables.
#include <cmath>
#include <string>
#include <vector>

#include "meteo/core/errors.hpp"
#include "meteo/store/forecasts.hpp"
#include "sql_support.hpp"
#include "station_support.hpp"
#include "transaction.hpp"

namespace meteo {

using store::Binder;

namespace {

std::string station_of(const std::string& source, const std::string& dataset_id) {
  return "dataset " + dataset_id + " of " + source;
}

double finite(double value, const char* what, const std::string& of) {
  if (!std::isfinite(value)) {
    throw Error(ExitCode::software, of + ": the forecast gave a non-finite " + std::string(what));
  }
  return value;
}

void insert_forecasts(sql::Connection& connection, const std::string& source,
                      const std::string& dataset_id, const forecast::StationForecast& issue,
                      std::int64_t run_id, const std::string& of) {
  // An issue is what was said then: a re-run or a backfill keeps the first one written.
  const store::MultiRowInsert insert{
      "INSERT INTO station_forecasts (source, dataset_id, quantity, issued_at, horizon_h, model,"
      " target_time, value, shown, run_id)",
      "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", "ON DUPLICATE KEY UPDATE run_id = run_id", 500};
  store::insert_rows(
      connection, insert, issue.forecasts.size(), [&](Binder& binder, std::size_t i) {
        const forecast::Forecast& f = issue.forecasts[i];
        binder.text(source).text(dataset_id).text(forecast::quantity_text(f.quantity));
        binder.datetime(issue.issued_at).count(static_cast<std::size_t>(f.horizon_h));
        binder.text(forecast::model_text(f.model)).datetime(f.target_time);
        binder.real(finite(f.value, "value", of)).count(f.shown ? 1 : 0).int64(run_id);
      });
}

void replace_backtest_skill(sql::Connection& connection, const std::string& source,
                            const std::string& dataset_id, const forecast::StationForecast& issue,
                            const std::string& of) {
  auto remove = store::prepare(connection,
                               "DELETE FROM forecast_skill WHERE source = ? AND dataset_id = ?"
                               " AND skill_window = 'backtest'");
  Binder(*remove).text(source).text(dataset_id);
  remove->executeUpdate();
  const store::MultiRowInsert insert{
      "INSERT INTO forecast_skill (source, dataset_id, quantity, horizon_h, model, skill_window,"
      " mae, rmse, skill_vs_persistence, cases, window_start, window_end, updated_at)",
      "(?, ?, ?, ?, ?, 'backtest', ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(3))", "", 500};
  store::insert_rows(connection, insert, issue.skill.size(), [&](Binder& binder, std::size_t i) {
    const forecast::Skill& skill = issue.skill[i];
    binder.text(source).text(dataset_id).text(forecast::quantity_text(skill.quantity));
    binder.count(static_cast<std::size_t>(skill.horizon_h)).text(forecast::model_text(skill.model));
    binder.real(finite(skill.mae, "MAE", of)).real(finite(skill.rmse, "RMSE", of));
    if (std::isfinite(skill.skill_vs_persistence)) {
      binder.real(skill.skill_vs_persistence);
    } else {
      binder.null_value();
    }
    binder.count(skill.cases).datetime(skill.window_start).datetime(skill.window_end);
  });
}

// The hourly mean at the target hour.
constexpr const char* kScoreTemperature =
    "UPDATE station_forecasts f JOIN station_hourly_weather h ON h.source = f.source"
    " AND h.dataset_id = f.dataset_id AND h.hour = f.target_time"
    " SET f.observed = h.temperature_mean, f.abs_error = ABS(f.value - h.temperature_mean)"
    " WHERE f.source = ? AND f.dataset_id = ? AND f.quantity = 'temperature'"
    " AND f.target_time >= ? AND h.temperature_mean IS NOT NULL"
    " AND NOT (f.observed <=> h.temperature_mean)";

// The day's highest hourly maximum, once the day holds at least 20 hours.
constexpr const char* kScoreDayMaximum =
    "UPDATE station_forecasts f JOIN (SELECT source, dataset_id, DATE(hour) AS day,"
    " MAX(temperature_max) AS day_max, COUNT(temperature_max) AS hours"
    " FROM station_hourly_weather WHERE source = ? AND dataset_id = ? AND hour >= ?"
    " GROUP BY source, dataset_id, DATE(hour)) d ON d.source = f.source"
    " AND d.dataset_id = f.dataset_id AND d.day = DATE(f.target_time)"
    " SET f.observed = d.day_max, f.abs_error = ABS(f.value - d.day_max)"
    " WHERE f.quantity = 'day_maximum' AND f.target_time >= ? AND d.hours >= 20"
    " AND NOT (f.observed <=> d.day_max)";

// Each model's error against persistence's on the same issues and horizons.
constexpr const char* kLiveSkill =
    "INSERT INTO forecast_skill (source, dataset_id, quantity, horizon_h, model, skill_window,"
    " mae, rmse, skill_vs_persistence, cases, window_start, window_end, updated_at)"
    " SELECT f.source, f.dataset_id, f.quantity, f.horizon_h, f.model, 'live', AVG(f.abs_error),"
    " SQRT(AVG(f.abs_error * f.abs_error)),"
    " IF(AVG(p.abs_error) > 0, 1 - AVG(f.abs_error) / AVG(p.abs_error), NULL), COUNT(*),"
    " MIN(f.issued_at), MAX(f.issued_at), UTC_TIMESTAMP(3)"
    " FROM station_forecasts f JOIN station_forecasts p ON p.source = f.source"
    " AND p.dataset_id = f.dataset_id AND p.quantity = f.quantity AND p.issued_at = f.issued_at"
    " AND p.horizon_h = f.horizon_h AND p.model = 'persistence' AND p.abs_error IS NOT NULL"
    " WHERE f.source = ? AND f.dataset_id = ? AND f.abs_error IS NOT NULL AND f.target_time >= ?"
    " GROUP BY f.source, f.dataset_id, f.quantity, f.horizon_h, f.model"
    " ON DUPLICATE KEY UPDATE mae = VALUES(mae), rmse = VALUES(rmse),"
    " skill_vs_persistence = VALUES(skill_vs_persistence), cases = VALUES(cases),"
    " window_start = VALUES(window_start), window_end = VALUES(window_end),"
    " updated_at = VALUES(updated_at)";

}  // namespace

forecast::HourlySeries read_forecast_series(Database& db, const std::string& source,
                                            const std::string& dataset_id, UtcSeconds from,
                                            UtcSeconds through) {
  return store::guarded("reading the hours of " + station_of(source, dataset_id), [&] {
    auto statement =
        store::prepare(db.connection(),
                       "SELECT CAST(hour AS CHAR), temperature_mean, pressure_mean"
                       " FROM station_hourly_weather WHERE source = ?"
                       " AND dataset_id = ? AND hour >= ? AND hour <= ? ORDER BY hour");
    Binder(*statement).text(source).text(dataset_id).datetime(from).datetime(through);
    auto row = store::run_query(*statement);
    forecast::HourlySeries series;
    series.first_hour = from;
    const auto slots = static_cast<std::size_t>((through - from) / std::chrono::hours(1)) + 1;
    series.temperature.assign(slots, forecast::kMissing);
    series.pressure.assign(slots, forecast::kMissing);
    while (row->next()) {
      const auto slot = static_cast<std::size_t>((parse_sql_datetime(store::text(*row, 1)) - from) /
                                                 std::chrono::hours(1));
      if (slot >= slots) continue;
      series.temperature[slot] = store::optional_real(*row, 2).value_or(forecast::kMissing);
      series.pressure[slot] = store::optional_real(*row, 3).value_or(forecast::kMissing);
    }
    return series;
  });
}

std::vector<UtcSeconds> unissued_hours(Database& db, const std::string& source,
                                       const std::string& dataset_id, UtcSeconds from,
                                       UtcSeconds through) {
  return store::guarded("listing the unissued hours of " + station_of(source, dataset_id), [&] {
    auto statement = store::prepare(
        db.connection(),
        "SELECT CAST(h.hour AS CHAR) FROM station_hourly_weather h WHERE h.source = ?"
        " AND h.dataset_id = ? AND h.hour >= ? AND h.hour <= ? AND h.temperature_mean IS NOT NULL"
        " AND NOT EXISTS (SELECT 1 FROM station_forecasts f WHERE f.source = h.source"
        " AND f.dataset_id = h.dataset_id AND f.quantity = 'temperature'"
        " AND f.issued_at = h.hour) ORDER BY h.hour");
    Binder(*statement).text(source).text(dataset_id).datetime(from).datetime(through);
    auto row = store::run_query(*statement);
    std::vector<UtcSeconds> hours;
    while (row->next()) hours.push_back(parse_sql_datetime(store::text(*row, 1)));
    return hours;
  });
}

std::vector<std::string> datasets_with_hours(Database& db, const std::string& source,
                                             UtcSeconds from, UtcSeconds through) {
  return store::guarded("listing the stations of " + source + " with hours", [&] {
    auto statement = store::prepare(db.connection(),
                                    "SELECT DISTINCT dataset_id FROM station_hourly_weather"
                                    " WHERE source = ? AND hour >= ? AND hour <= ?"
                                    " AND temperature_mean IS NOT NULL ORDER BY dataset_id");
    Binder(*statement).text(source).datetime(from).datetime(through);
    auto row = store::run_query(*statement);
    std::vector<std::string> datasets;
    while (row->next()) datasets.push_back(store::text(*row, 1));
    return datasets;
  });
}

void write_station_forecast(Database& db, const std::string& source, const std::string& dataset_id,
                            const forecast::StationForecast& issue, std::int64_t run_id) {
  const std::string of = "the forecast issued at " + to_iso8601(issue.issued_at) + " for " +
                         station_of(source, dataset_id);
  store::guarded("writing " + of, [&] {
    store::Transaction transaction(db.connection());
    insert_forecasts(db.connection(), source, dataset_id, issue, run_id, of);
    replace_backtest_skill(db.connection(), source, dataset_id, issue, of);
    transaction.commit();
  });
}

std::size_t score_station_forecasts(Database& db, const std::string& source,
                                    const std::string& dataset_id, UtcSeconds targets_from,
                                    UtcSeconds now, int live_days) {
  return store::guarded("scoring the forecasts of " + station_of(source, dataset_id), [&] {
    store::Transaction transaction(db.connection());
    auto hourly = store::prepare(db.connection(), kScoreTemperature);
    Binder(*hourly).text(source).text(dataset_id).datetime(targets_from);
    std::size_t scored = static_cast<std::size_t>(hourly->executeUpdate());
    const UtcSeconds day = std::chrono::floor<std::chrono::days>(targets_from);
    auto daily = store::prepare(db.connection(), kScoreDayMaximum);
    Binder(*daily).text(source).text(dataset_id).datetime(day).datetime(day);
    scored += static_cast<std::size_t>(daily->executeUpdate());
    auto live = store::prepare(db.connection(), kLiveSkill);
    Binder(*live).text(source).text(dataset_id).datetime(now - std::chrono::days(live_days));
    live->executeUpdate();
    transaction.commit();
    return scored;
  });
}

std::vector<ForecastSkillRow> query_forecast_skill(Database& db, const std::string& source,
                                                   const std::string& dataset_id) {
  return store::guarded("reading the forecast skill", [&] {
    auto statement = store::prepare(
        db.connection(),
        "SELECT source, dataset_id, quantity, model, skill_window, horizon_h, mae, rmse,"
        " skill_vs_persistence, cases, CAST(window_start AS CHAR), CAST(window_end AS CHAR)"
        " FROM forecast_skill WHERE (? = '' OR source = ?) AND (? = '' OR dataset_id = ?)"
        " ORDER BY source, dataset_id, quantity, horizon_h, skill_window, model");
    Binder(*statement).text(source).text(source).text(dataset_id).text(dataset_id);
    auto row = store::run_query(*statement);
    std::vector<ForecastSkillRow> rows;
    while (row->next()) {
      ForecastSkillRow skill;
      skill.source = store::text(*row, 1);
      skill.dataset_id = store::text(*row, 2);
      skill.quantity = store::text(*row, 3);
      skill.model = store::text(*row, 4);
      skill.skill_window = store::text(*row, 5);
      skill.horizon_h = row->getInt(6);
      skill.mae = static_cast<double>(row->getDouble(7));
      skill.rmse = static_cast<double>(row->getDouble(8));
      skill.skill_vs_persistence = store::optional_real(*row, 9);
      skill.cases = static_cast<std::size_t>(row->getUInt64(10));
      skill.window_start = parse_sql_datetime(store::text(*row, 11));
      skill.window_end = parse_sql_datetime(store::text(*row, 12));
      rows.push_back(std::move(skill));
    }
    return rows;
  });
}

std::vector<ShownForecastRow> query_latest_forecasts(Database& db) {
  return store::guarded("reading the latest forecasts", [&] {
    auto statement = store::prepare(
        db.connection(),
        "SELECT f.source, f.dataset_id, f.quantity, f.model, CAST(f.issued_at AS CHAR),"
        " CAST(f.target_time AS CHAR), f.horizon_h, f.value, s.mae"
        " FROM station_forecasts f JOIN (SELECT source, dataset_id, MAX(issued_at) AS issued"
        " FROM station_forecasts GROUP BY source, dataset_id) latest"
        " ON latest.source = f.source AND latest.dataset_id = f.dataset_id"
        " AND latest.issued = f.issued_at"
        " LEFT JOIN forecast_skill s ON s.source = f.source AND s.dataset_id = f.dataset_id"
        " AND s.quantity = f.quantity AND s.horizon_h = f.horizon_h AND s.model = f.model"
        " AND s.skill_window = 'backtest'"
        " WHERE f.shown = 1 ORDER BY f.source, f.dataset_id, f.quantity, f.horizon_h");
    auto row = store::run_query(*statement);
    std::vector<ShownForecastRow> rows;
    while (row->next()) {
      ShownForecastRow shown;
      shown.source = store::text(*row, 1);
      shown.dataset_id = store::text(*row, 2);
      shown.quantity = store::text(*row, 3);
      shown.model = store::text(*row, 4);
      shown.issued_at = parse_sql_datetime(store::text(*row, 5));
      shown.target_time = parse_sql_datetime(store::text(*row, 6));
      shown.horizon_h = row->getInt(7);
      shown.value = static_cast<double>(row->getDouble(8));
      shown.backtest_mae = store::optional_real(*row, 9);
      rows.push_back(std::move(shown));
    }
    return rows;
  });
}

}  // namespace meteo
