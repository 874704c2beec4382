// Short-term temperature forecasts for one station: candidates from persistence to a linear
// model, each horizon's model chosen by a rolling-origin backtest on the station's own history.
// Pure computation on a series the caller read; nothing after the issue time is ever used.
#pragma once

#include <cstddef>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "meteo/core/time.hpp"
#include "meteo/forecast/settings.hpp"

namespace meteo::forecast {

inline constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();

// A station's hourly record: one slot per UTC hour from first_hour, NaN where nothing was stored.
struct HourlySeries {
  UtcSeconds first_hour;
  std::vector<double> temperature;  // °C, the hour's mean
  std::vector<double> pressure;     // hPa, the hour's mean; same length as temperature
};

enum class Model {
  persistence,          // the last observed hour
  diurnal_persistence,  // the same hour yesterday
  holt_winters,         // additive level, trend and a 24-hour season
  linear,               // least squares on recent values, hour harmonics, pressure tendency
};
const char* model_text(Model model);
std::optional<Model> parse_model(const std::string& text);

// What a forecast is of: the temperature at target_time, or the maximum of the UTC day that
// starts at target_time (tomorrow's maximum).
enum class Quantity { temperature, day_maximum };
const char* quantity_text(Quantity quantity);

struct Forecast {
  Quantity quantity = Quantity::temperature;
  UtcSeconds target_time;
  int horizon_h = 0;  // hours from the issue time to target_time (to the day's start for a maximum)
  Model model = Model::persistence;
  double value = 0;
  bool shown = false;  // the backtest's choice for this horizon, with skill above min_skill
};

// One candidate's backtest score at one horizon.
struct Skill {
  Quantity quantity = Quantity::temperature;
  int horizon_h = 0;
  Model model = Model::persistence;
  double mae = 0, rmse = 0;
  double skill_vs_persistence = 0;  // 1 - MAE / persistence's MAE over the same cases
  std::size_t cases = 0;
  UtcSeconds window_start, window_end;  // the origins scored
};

struct StationForecast {
  UtcSeconds issued_at;
  std::vector<Forecast> forecasts;  // every candidate's, per horizon (persistence's too: the
                                    // live skill is measured against it)
  std::vector<Skill> skill;         // the backtest's table
};

// How many days up to the issue a forecast reads: the caller reads at least these.
int history_days(const ForecastSettings& settings);

// Forecasts issued at the hour issued_at: the newest input is the hourly mean labelled issued_at
// (the last complete hour of the run) and horizon h targets the hour issued_at + h. Returns
// nothing when the series holds fewer than settings.min_history_days of hours up to issued_at.
// Hours after issued_at are ignored: the result is the same whether they are there or not.
std::optional<StationForecast> forecast_station(const HourlySeries& series, UtcSeconds issued_at,
                                                const ForecastSettings& settings);

}  // namespace meteo::forecast
