// Additive Holt-Winters: a level, a trend and a 24-hour season, each updated by exponential
// smoothing. One filter pass gives, from the state after each hour, the forecasts of the next
// hours. A missing hour is filled with the filter's own forecast, so a gap moves nothing.
#pragma once

#include <array>
#include <cstddef>
#include <vector>

namespace meteo::forecast {

struct HoltWintersParameters {
  double alpha = 0.5;   // level
  double beta = 0.02;   // trend
  double gamma = 0.15;  // season
};

// The small grid the parameters are chosen from, on each training stretch (4 x 2 x 3 sets).
std::vector<HoltWintersParameters> holt_winters_grid();

// The season and level are initialised on the first two days from `from`; the state is first
// complete after hour from + 47.
inline constexpr std::size_t kHoltWintersWarmupHours = 48;

// forecasts[(t - from) * max_horizon_h + h - 1] is the forecast of hour t + h from the state
// after hour t, for every t in [from, values.size()); NaN for the hours of the initialisation.
std::vector<double> holt_winters_forecasts(const std::vector<double>& values, std::size_t from,
                                           const HoltWintersParameters& parameters,
                                           int max_horizon_h);

}  // namespace meteo::forecast
