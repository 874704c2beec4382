#include "holt_winters.hpp"

#include <cmath>
#include <limits>

namespace meteo::forecast {
namespace {

constexpr std::size_t kPeriod = 24;

// The mean of the observed values of [first, first + count); NaN when none is.
double observed_mean(const std::vector<double>& values, std::size_t first, std::size_t count) {
  double sum = 0;
  int observed = 0;
  for (std::size_t i = first; i < first + count; ++i) {
    if (!std::isnan(values[i])) {
      sum += values[i];
      ++observed;
    }
  }
  return observed > 0 ? sum / observed : std::numeric_limits<double>::quiet_NaN();
}

}  // namespace

std::vector<HoltWintersParameters> holt_winters_grid() {
  std::vector<HoltWintersParameters> grid;
  for (const double alpha : {0.3, 0.5, 0.7, 0.9}) {
    for (const double beta : {0.01, 0.05}) {
      for (const double gamma : {0.05, 0.15, 0.3}) {
        grid.push_back({alpha, beta, gamma});
      }
    }
  }
  return grid;
}

std::vector<double> holt_winters_forecasts(const std::vector<double>& values, std::size_t from,
                                           const HoltWintersParameters& parameters,
                                           int max_horizon_h) {
  const auto horizons = static_cast<std::size_t>(max_horizon_h);
  const std::size_t hours = values.size() > from ? values.size() - from : 0;
  std::vector<double> forecasts(hours * horizons, std::numeric_limits<double>::quiet_NaN());
  if (hours < kHoltWintersWarmupHours) {
    return forecasts;
  }
  const double first_day = observed_mean(values, from, kPeriod);
  const double second_day = observed_mean(values, from + kPeriod, kPeriod);
  if (std::isnan(first_day) || std::isnan(second_day)) {
    return forecasts;
  }
  const double trend_estimate = (second_day - first_day) / kPeriod;
  // The season: each hour's mean departure from its day's mean over the two days, the trend's
  // part of that departure (its distance from the day's middle hour) taken out.
  std::array<double, kPeriod> season{};
  for (std::size_t slot = 0; slot < kPeriod; ++slot) {
    const std::size_t hour = from + slot;
    const double trend_part = trend_estimate * (static_cast<double>(slot) - 11.5);
    double sum = 0;
    int observed = 0;
    for (const auto& [value, day_mean] :
         {std::pair{values[hour], first_day}, std::pair{values[hour + kPeriod], second_day}}) {
      if (!std::isnan(value)) {
        sum += value - day_mean - trend_part;
        ++observed;
      }
    }
    season[hour % kPeriod] = observed > 0 ? sum / observed : 0;
  }
  double trend = trend_estimate;
  // The second day's mean is the level at its middle hour, 11.5 hours before its last.
  double level = second_day + 11.5 * trend;

  const auto emit = [&](std::size_t hour) {
    double* out = &forecasts[(hour - from) * horizons];
    for (std::size_t h = 1; h <= horizons; ++h) {
      out[h - 1] = level + static_cast<double>(h) * trend + season[(hour + h) % kPeriod];
    }
  };
  emit(from + kHoltWintersWarmupHours - 1);
  for (std::size_t hour = from + kHoltWintersWarmupHours; hour < values.size(); ++hour) {
    double& seasonal = season[hour % kPeriod];
    const double expected = level + trend + seasonal;
    const double observed = std::isnan(values[hour]) ? expected : values[hour];
    const double new_level =
        parameters.alpha * (observed - seasonal) + (1 - parameters.alpha) * (level + trend);
    trend = parameters.beta * (new_level - level) + (1 - parameters.beta) * trend;
    seasonal = parameters.gamma * (observed - new_level) + (1 - parameters.gamma) * seasonal;
    level = new_level;
    emit(hour);
  }
  return forecasts;
}

}  // namespace meteo::forecast
