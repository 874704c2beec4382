// Hand-made hourly series for the forecast's tests: a function of the hour index, from midnight.
#pragma once

#include <cstddef>
#include <functional>

#include "history.hpp"
#include "meteo/forecast/forecast.hpp"

namespace meteo::forecast::testing {

inline HourlySeries series_of(std::size_t hours, const std::function<double(std::size_t)>& at,
                              const std::function<double(std::size_t)>& pressure_at = nullptr) {
  HourlySeries series;
  series.first_hour = parse_hour("2026-03-01T00");
  for (std::size_t hour = 0; hour < hours; ++hour) {
    series.temperature.push_back(at(hour));
    series.pressure.push_back(pressure_at ? pressure_at(hour) : 1013.0);
  }
  return series;
}

// The whole series as a History ending at its last hour.
inline History history_of(const HourlySeries& series) {
  return history_up_to(series,
                       series.first_hour + std::chrono::hours(series.temperature.size() - 1),
                       series.temperature.size());
}

}  // namespace meteo::forecast::testing
