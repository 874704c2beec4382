// The learner's inputs: the weather of the hour, the time of the hour (hour, weekday, day of year)
// and, when the model has one, the trend term: the day, counted from the epoch.
#pragma once

#include <cstddef>
#include <vector>

#include "meteo/analysis/series.hpp"
#include "xgboost_handles.hpp"

namespace meteo::analysis {

// Columns, in order. The trend comes last so that a model without it uses the same layout, one
// column shorter.
namespace column {
enum : std::size_t {
  hour_of_day,
  weekday,
  day_of_year,
  wind_speed,
  wind_direction,
  temperature,
  humidity,
  pressure,
  rain,
  trend_day,
  count,
};
}  // namespace column

enum class Trend { with, without };

// The day of the year tells the seasons apart only in a record that holds each of them on both
// sides of what the trend must find (two full years for a step at their junction, one for a
// model of one period); in a shorter one it is the trend under another name, and the season is
// left to the weather (its column then all missing).
enum class Season { day_of_year, weather_only };

struct FeatureSet {
  Trend trend = Trend::with;
  Season season = Season::day_of_year;
};

// Days since 1970-01-01 of the hour's UTC day.
long day_number(UtcSeconds hour);

// One row per hour of `series`, at `rows` (indices into series).
FeatureMatrix features_of(const PollutionSeries& series, const std::vector<std::size_t>& rows,
                          FeatureSet features);

std::vector<float> labels_of(const PollutionSeries& series, const std::vector<std::size_t>& rows);

}  // namespace meteo::analysis
