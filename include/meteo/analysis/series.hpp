// The input of every analysis: a station's hourly pollutant series with the paired weather
// station's same hours.
#pragma once

#include <limits>
#include <vector>

#include "meteo/core/time.hpp"

namespace meteo::analysis {

inline constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();

// One hour of a pollutant at a station. A weather value the paired station did not report is
// NaN (kMissing): the learner treats it as missing rather than as a number.
struct PollutionHour {
  UtcSeconds hour;
  double concentration = 0;          // µg/m³, the hour's value as stored
  double wind_speed = kMissing;      // km/h, as station_hourly_weather stores it
  double wind_direction = kMissing;  // degrees from north, where the wind comes from
  double temperature = kMissing;     // °C
  double humidity = kMissing;        // %
  double pressure = kMissing;        // hPa
  double rain = kMissing;            // mm in the hour
};

// In hour order, one entry per hour at most.
using PollutionSeries = std::vector<PollutionHour>;

}  // namespace meteo::analysis
