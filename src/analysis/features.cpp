#include "features.hpp"

#include <chrono>

namespace meteo::analysis {
namespace {

void append_row(const PollutionHour& hour, Trend trend, std::vector<float>& out) {
  namespace chrono = std::chrono;
  const auto day = chrono::floor<chrono::days>(hour.hour);
  const chrono::year_month_day date{day};
  const auto first_of_year = chrono::sys_days{date.year() / chrono::January / 1};
  out.push_back(static_cast<float>(chrono::duration_cast<chrono::hours>(hour.hour - day).count()));
  out.push_back(static_cast<float>(chrono::weekday{day}.iso_encoding()));
  out.push_back(static_cast<float>((day - first_of_year).count() + 1));
  out.push_back(static_cast<float>(hour.wind_speed));
  out.push_back(static_cast<float>(hour.wind_direction));
  out.push_back(static_cast<float>(hour.temperature));
  out.push_back(static_cast<float>(hour.humidity));
  out.push_back(static_cast<float>(hour.pressure));
  out.push_back(static_cast<float>(hour.rain));
  if (trend == Trend::with) out.push_back(static_cast<float>(day_number(hour.hour)));
}

}  // namespace

long day_number(UtcSeconds hour) {
  return static_cast<long>(std::chrono::floor<std::chrono::days>(hour).time_since_epoch().count());
}

FeatureMatrix features_of(const PollutionSeries& series, const std::vector<std::size_t>& rows,
                          Trend trend) {
  FeatureMatrix matrix;
  matrix.columns = trend == Trend::with ? column::count : column::count - 1;
  matrix.values.reserve(rows.size() * matrix.columns);
  for (std::size_t row : rows) append_row(series[row], trend, matrix.values);
  return matrix;
}

std::vector<float> labels_of(const PollutionSeries& series, const std::vector<std::size_t>& rows) {
  std::vector<float> labels;
  labels.reserve(rows.size());
  for (std::size_t row : rows) labels.push_back(static_cast<float>(series[row].concentration));
  return labels;
}

}  // namespace meteo::analysis
