// The judge's synthetic weather has what the judgement relies on: a year and more of hours, a
// daily cycle, a few gaps, and a pressure tendency that announces the temperature to come.
#include "synthetic_weather.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace meteo::forecast {
namespace {

HourlySeries year(std::uint64_t seed) {
  synthetic::WeatherSpec spec;
  spec.start = parse_hour("2024-01-01T00");
  spec.days = 400;
  spec.seed = seed;
  return synthetic::generate_weather(spec);
}

double correlation(const std::vector<double>& x, const std::vector<double>& y) {
  double mx = 0, my = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    mx += x[i];
    my += y[i];
  }
  mx /= static_cast<double>(x.size());
  my /= static_cast<double>(y.size());
  double sxy = 0, sxx = 0, syy = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  return sxy / std::sqrt(sxx * syy);
}

TEST(SyntheticWeather, HasTheHoursTheGapsAndTheDailyCycle) {
  const HourlySeries series = year(1);
  ASSERT_EQ(series.temperature.size(), 400u * 24);
  ASSERT_EQ(series.pressure.size(), series.temperature.size());
  std::size_t missing = 0;
  double afternoon = 0, dawn = 0;
  int afternoons = 0, dawns = 0;
  for (std::size_t hour = 0; hour < series.temperature.size(); ++hour) {
    const double value = series.temperature[hour];
    if (std::isnan(value)) {
      ++missing;
      continue;
    }
    if (hour % 24 == 14) {
      afternoon += value;
      ++afternoons;
    } else if (hour % 24 == 4) {
      dawn += value;
      ++dawns;
    }
  }
  EXPECT_GT(missing, 20u);
  EXPECT_LT(missing, 200u);
  EXPECT_GT(afternoon / afternoons - dawn / dawns, 4.0);
  // Same seed, same series; another seed, another.
  EXPECT_EQ(year(1).temperature[5000], series.temperature[5000]);
  EXPECT_NE(year(2).temperature[5000], series.temperature[5000]);
}

TEST(SyntheticWeather, FallingPressureAnnouncesAWarmerDay) {
  const HourlySeries series = year(3);
  // The last 12 hours' pressure change against the next 12 hours' change of the daily mean
  // temperature (24-hour means, so that the daily cycle does not count).
  std::vector<double> pressure_change, temperature_change;
  const auto mean24 = [&](std::size_t last) {
    double sum = 0;
    for (std::size_t hour = last - 23; hour <= last; ++hour) {
      sum += series.temperature[hour];
    }
    return sum / 24;
  };
  for (std::size_t hour = 48; hour + 12 < series.temperature.size(); hour += 7) {
    const double change = series.pressure[hour] - series.pressure[hour - 12];
    const double later = mean24(hour + 12) - mean24(hour);
    if (!std::isnan(change) && !std::isnan(later)) {
      pressure_change.push_back(change);
      temperature_change.push_back(later);
    }
  }
  EXPECT_LT(correlation(pressure_change, temperature_change), -0.3);
}

TEST(SyntheticWeather, AStationWithoutPressureHasNone) {
  synthetic::WeatherSpec spec;
  spec.start = parse_hour("2024-01-01T00");
  spec.days = 10;
  spec.with_pressure = false;
  const HourlySeries series = synthetic::generate_weather(spec);
  for (const double value : series.pressure) {
    EXPECT_TRUE(std::isnan(value));
  }
}

}  // namespace
}  // namespace meteo::forecast
