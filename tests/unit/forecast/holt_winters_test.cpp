// Holt-Winters on a pure 24-hour sine over a linear trend: the filter settles on it exactly, gaps
// or not.
#include "holt_winters.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <vector>

namespace meteo::forecast {
namespace {

double sine_and_trend(std::size_t hour) {
  const double t = static_cast<double>(hour);
  return 8 + 0.02 * t + 4 * std::sin(2 * std::numbers::pi * t / 24);
}

TEST(HoltWinters, ForecastsASineOverATrendOnceSettled) {
  std::vector<double> values;
  for (std::size_t hour = 0; hour < 24 * 20; ++hour) {
    values.push_back(sine_and_trend(hour));
  }
  const int horizons = 6;
  const auto forecasts = holt_winters_forecasts(values, 0, {0.5, 0.05, 0.15}, horizons);
  ASSERT_EQ(forecasts.size(), values.size() * horizons);
  EXPECT_TRUE(std::isnan(forecasts[0]));  // the initialisation's hours have none
  for (std::size_t origin = 24 * 12; origin < values.size(); origin += 7) {
    for (int h = 1; h <= horizons; ++h) {
      EXPECT_NEAR(forecasts[origin * horizons + h - 1], sine_and_trend(origin + h), 0.02)
          << "origin " << origin << ", h " << h;
    }
  }
}

TEST(HoltWinters, FillsMissingHoursWithItsOwnForecast) {
  std::vector<double> values;
  for (std::size_t hour = 0; hour < 24 * 20; ++hour) {
    values.push_back(sine_and_trend(hour));
  }
  for (std::size_t hour = 24 * 10; hour < 24 * 10 + 9; ++hour) {
    values[hour] = std::nan("");
  }
  values[24 * 14 + 3] = std::nan("");
  const auto forecasts = holt_winters_forecasts(values, 0, {0.7, 0.01, 0.3}, 3);
  for (std::size_t origin = 24 * 12; origin < values.size(); ++origin) {
    EXPECT_NEAR(forecasts[origin * 3 + 2], sine_and_trend(origin + 3), 0.05) << origin;
  }
}

TEST(HoltWinters, TheGridIsSmallAndItsSetsValid) {
  const auto grid = holt_winters_grid();
  EXPECT_EQ(grid.size(), 24u);
  for (const auto& parameters : grid) {
    EXPECT_GT(parameters.alpha, 0);
    EXPECT_LT(parameters.alpha, 1);
    EXPECT_GT(parameters.gamma, 0);
    EXPECT_LT(parameters.beta, parameters.alpha);
  }
}

}  // namespace
}  // namespace meteo::forecast
