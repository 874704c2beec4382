// The hours a forecast may see: a copy of the station's series from the start of the work window
// to the issue hour, and nothing after it. Every model reads only this copy, so no later hour can
// leak into a forecast or a backtest, whatever the caller's series holds.
#pragma once

#include <cmath>
#include <cstddef>
#include <vector>

#include "meteo/forecast/forecast.hpp"

namespace meteo::forecast {

// Signed hour indices into a History: lags before its first hour read as missing.
using HourIndex = long;

struct History {
  UtcSeconds first_hour;            // the hour of index 0
  std::vector<double> temperature;  // the last slot is the issue hour
  std::vector<double> pressure;

  HourIndex issue() const { return static_cast<HourIndex>(temperature.size()) - 1; }
  // NaN outside [0, issue()] as well as where nothing was stored.
  double temperature_at(HourIndex hour) const { return at(temperature, hour); }
  double pressure_at(HourIndex hour) const { return at(pressure, hour); }
  int hour_of_day(HourIndex hour) const;
  // The index of the first hour of `hour`'s UTC day (may be negative).
  HourIndex day_start(HourIndex hour) const { return hour - hour_of_day(hour); }
  UtcSeconds time_of(HourIndex hour) const;

 private:
  static double at(const std::vector<double>& values, HourIndex hour) {
    return hour < 0 || hour >= static_cast<HourIndex>(values.size())
               ? kMissing
               : values[static_cast<std::size_t>(hour)];
  }
};

// The `hours` hours that end with issued_at (fewer when the series starts later), missing slots
// where the series has no value or ends before issued_at.
History history_up_to(const HourlySeries& series, UtcSeconds issued_at, std::size_t hours);

std::size_t observed_hours(const History& history);

}  // namespace meteo::forecast
