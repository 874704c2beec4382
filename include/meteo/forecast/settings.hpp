// The short-term forecast's settings ([forecast]): horizons, how much history a station needs,
// and the rolling-origin backtest that chooses a model per horizon.
#pragma once

namespace meteo::forecast {

struct ForecastSettings {
  bool enabled = true;
  int max_horizon_h = 6;  // hourly temperature forecasts for 1..max_horizon_h hours ahead
  // A station is forecast once it holds this many days of hourly temperatures before the issue
  // time (the backtest needs a training stretch and a scoring stretch).
  int min_history_days = 21;
  // The backtest scores every candidate at each hourly origin of the last backtest_days days
  // before the issue time, each origin seeing only the hours before it.
  int backtest_days = 14;
  // The linear model is fitted on the training_days days before each backtest day (and before
  // the issue time for the forecast it issues).
  int training_days = 28;
  // A model is shown for a horizon only when its skill against persistence is above this.
  double min_skill = 0.0;
};

}  // namespace meteo::forecast
