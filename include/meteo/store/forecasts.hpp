// Station forecasts in the database (migration 0008): the hourly series they are made from, the
// issues written once, their scoring against the observations as these arrive, and the skill
// tables (the backtest's, and the live one of the scored forecasts).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "meteo/core/time.hpp"
#include "meteo/forecast/forecast.hpp"
#include "meteo/store/database.hpp"

namespace meteo {

// Hourly temperature and pressure means of a station over [from, through], one slot per hour.
forecast::HourlySeries read_forecast_series(Database& db, const std::string& source,
                                            const std::string& dataset_id, UtcSeconds from,
                                            UtcSeconds through);

// The station's hours in [from, through] that have a temperature and no issue yet: when the
// run may issue forecasts. Ascending.
std::vector<UtcSeconds> unissued_hours(Database& db, const std::string& source,
                                       const std::string& dataset_id, UtcSeconds from,
                                       UtcSeconds through);

// The datasets of a source with an hourly temperature in [from, through].
std::vector<std::string> datasets_with_hours(Database& db, const std::string& source,
                                             UtcSeconds from, UtcSeconds through);

// One transaction: the issue's forecasts (kept as first written when already there) and the
// backtest's skill rows (replacing the station's previous backtest).
void write_station_forecast(Database& db, const std::string& source, const std::string& dataset_id,
                            const forecast::StationForecast& issue, std::int64_t run_id);

// Scores the station's forecasts whose target is at or after `targets_from` against the stored
// observation (the hourly mean; for a day's maximum, the day's highest hourly maximum once the
// day has at least 20 hours), then rebuilds the live skill over the `live_days` days before
// `now`. Returns the number of forecasts scored or rescored.
std::size_t score_station_forecasts(Database& db, const std::string& source,
                                    const std::string& dataset_id, UtcSeconds targets_from,
                                    UtcSeconds now, int live_days);

struct ForecastSkillRow {
  std::string source, dataset_id, quantity, model, skill_window;
  int horizon_h = 0;
  double mae = 0, rmse = 0;
  std::optional<double> skill_vs_persistence;
  std::size_t cases = 0;
  UtcSeconds window_start, window_end;
};

// By source, dataset, quantity, horizon, window and model; empty strings match everything.
std::vector<ForecastSkillRow> query_forecast_skill(Database& db, const std::string& source,
                                                   const std::string& dataset_id);

struct ShownForecastRow {
  std::string source, dataset_id, quantity, model;
  UtcSeconds issued_at, target_time;
  int horizon_h = 0;
  double value = 0;
  std::optional<double> backtest_mae;  // the model's MAE at this horizon in the backtest
};

// The shown forecasts of each station's latest issue (the dashboard's dashed continuation).
std::vector<ShownForecastRow> query_latest_forecasts(Database& db);

}  // namespace meteo
