#include "features.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "meteo/core/time.hpp"

namespace meteo::analysis {
namespace {

TEST(Features, TimeColumnsComeFromTheUtcHourAndTheTrendIsTheDayNumber) {
  PollutionHour hour;
  hour.hour = parse_hour("2024-03-01T17");  // a Friday, day 61 of a leap year
  hour.wind_speed = 12.5;
  hour.temperature = 8;
  const FeatureMatrix matrix = features_of({hour}, {0}, Trend::with);
  ASSERT_EQ(matrix.columns, column::count);
  ASSERT_EQ(matrix.rows(), 1u);
  EXPECT_EQ(matrix.values[column::hour_of_day], 17.0f);
  EXPECT_EQ(matrix.values[column::weekday], 5.0f);
  EXPECT_EQ(matrix.values[column::day_of_year], 61.0f);
  EXPECT_EQ(matrix.values[column::wind_speed], 12.5f);
  EXPECT_EQ(matrix.values[column::temperature], 8.0f);
  EXPECT_EQ(matrix.values[column::trend_day], 19783.0f);  // days from 1970-01-01
}

TEST(Features, MissingWeatherStaysMissingAndNoTrendDropsTheLastColumn) {
  PollutionHour hour;
  hour.hour = parse_hour("2024-03-01T00");
  const FeatureMatrix matrix = features_of({hour, hour}, {0, 1}, Trend::without);
  EXPECT_EQ(matrix.columns, column::count - 1);
  EXPECT_EQ(matrix.rows(), 2u);
  EXPECT_TRUE(std::isnan(matrix.values[column::pressure]));
  EXPECT_TRUE(std::isnan(matrix.values[column::rain]));
}

TEST(Features, LabelsAreTheConcentrationsOfTheRowsAsked) {
  PollutionSeries series(3);
  for (std::size_t i = 0; i < series.size(); ++i) series[i].concentration = 10.0 * (i + 1);
  EXPECT_EQ(labels_of(series, {2, 0}), (std::vector<float>{30.0f, 10.0f}));
}

}  // namespace
}  // namespace meteo::analysis
