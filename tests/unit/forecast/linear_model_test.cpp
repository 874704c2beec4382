// The linear model's least squares recover known coefficients, and its features read what they
// say they read.
#include "linear_model.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "series_builder.hpp"

namespace meteo::forecast {
namespace {

using testing::history_of;
using testing::series_of;

TEST(LinearModel, LeastSquaresRecoverKnownCoefficients) {
  const std::vector<double> truth = {1.5, -0.7, 0.25, 3.0};
  Design design{4, {}, {}, {}};
  std::mt19937_64 random(7);
  std::uniform_real_distribution<double> uniform(-5, 5);
  for (int i = 0; i < 200; ++i) {
    if (i % 17 == 0) {
      design.skip();  // a row with missing inputs weighs nothing
      continue;
    }
    const double row[4] = {1, uniform(random), uniform(random), uniform(random)};
    design.add(row, predict(truth, row));
  }
  const auto fit = fit_least_squares(design, 0, design.size());
  ASSERT_TRUE(fit);
  for (std::size_t i = 0; i < truth.size(); ++i) {
    EXPECT_NEAR((*fit)[i], truth[i], 1e-7);
  }
  // Only rows [50, 120): the same answer, the system being exact.
  const auto part = fit_least_squares(design, 50, 120);
  ASSERT_TRUE(part);
  EXPECT_NEAR((*part)[3], 3.0, 1e-7);
}

TEST(LinearModel, RidgeShrinksTheSlopesButNotTheIntercept) {
  Design design{2, {}, {}, {}};
  for (int i = 0; i < 100; ++i) {
    const double row[2] = {1, i % 2 == 0 ? 1.0 : -1.0};
    design.add(row, 5 + 2 * row[1]);
  }
  const auto plain = fit_least_squares(design, 0, design.size());
  const auto shrunk = fit_least_squares(design, 0, design.size(), 1.0);
  ASSERT_TRUE(plain && shrunk);
  EXPECT_NEAR((*plain)[1], 2.0, 1e-9);
  EXPECT_NEAR((*shrunk)[1], 1.0, 1e-9);  // x'x = n, + n: half
  EXPECT_NEAR((*shrunk)[0], 5.0, 1e-9);
}

TEST(LinearModel, TooFewRowsGiveNoFit) {
  Design design{4, {}, {}, {}};
  for (int i = 0; i < 11; ++i) {
    const double row[4] = {1, double(i), double(i * i), double(i % 3)};
    design.add(row, 1);
  }
  EXPECT_FALSE(fit_least_squares(design, 0, design.size()));
  EXPECT_FALSE(fit_least_squares(design, 5, 5));
}

TEST(LinearModel, HourlyFeaturesReadTheOriginsPastAndTheTargetsHour) {
  const auto series = series_of(
      72, [](std::size_t hour) { return static_cast<double>(hour); },
      [](std::size_t hour) { return 1000.0 - static_cast<double>(hour); });
  const History history = history_of(series);
  std::vector<double> row(static_cast<std::size_t>(hourly_columns(Pressure::with)));
  ASSERT_TRUE(hourly_features(history, 40, 3, Pressure::with, row.data()));
  EXPECT_EQ(row[0], 1);
  EXPECT_EQ(row[1], 40);
  EXPECT_EQ(row[2], 1);  // now - an hour ago
  EXPECT_EQ(row[3], 3);  // now - 3 hours ago
  EXPECT_EQ(row[4], 3);  // yesterday's change over the same hours
  // The target, hour 43, is 19 h UTC.
  EXPECT_NEAR(row[5], std::sin(2 * std::numbers::pi * 19 / 24), 1e-12);
  EXPECT_EQ(row[9], -3);  // the pressure's 3-hour tendency
  EXPECT_EQ(row[10], -12);
  EXPECT_EQ(hourly_target(history, 40, 3), 3);
  // Before a day of history there is no "yesterday": no row.
  EXPECT_FALSE(hourly_features(history, 20, 3, Pressure::with, row.data()));
  EXPECT_EQ(hourly_columns(Pressure::without), 9);
}

TEST(LinearModel, AStationWithoutPressureHasRowsWithoutItsColumns) {
  auto series = series_of(72, [](std::size_t hour) { return static_cast<double>(hour % 24); });
  for (auto& value : series.pressure) {
    value = kMissing;
  }
  const History history = history_of(series);
  std::vector<double> row(11);
  EXPECT_FALSE(hourly_features(history, 40, 1, Pressure::with, row.data()));
  EXPECT_TRUE(hourly_features(history, 40, 1, Pressure::without, row.data()));
  EXPECT_TRUE(daily_features(history, 60, Pressure::without, row.data()));
  EXPECT_FALSE(daily_features(history, 60, Pressure::with, row.data()));
}

}  // namespace
}  // namespace meteo::forecast
