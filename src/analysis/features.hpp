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

// Days since 1970-01-01 of the hour's UTC day.
long day_number(UtcSeconds hour);

// One row per hour of `series`, at `rows` (indices into series).
FeatureMatrix features_of(const PollutionSeries& series, const std::vector<std::size_t>& rows,
                          Trend trend);

std::vector<float> labels_of(const PollutionSeries& series, const std::vector<std::size_t>& rows);

}  // namespace meteo::analysis
