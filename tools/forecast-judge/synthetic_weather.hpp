// Synthetic but realistic hourly weather at one station, to judge the temperature forecast: a
// seasonal cycle, a diurnal cycle as wide as the sky is clear, weather regimes lasting days (a
// Markov chain) whose fronts move the temperature and the pressure together (the pressure first,
// so that its tendency says something about the next hours), AR(1) noise and missing hours.
#pragma once

#include <cstdint>

#include "meteo/forecast/forecast.hpp"

namespace meteo::synthetic {

struct WeatherSpec {
  UtcSeconds start;              // midnight UTC of the first day
  int days = 400;                // length of the series
  double missing_hours = 0.005;  // share of single hours without a value
  int outages = 4;               // runs of 3 to 12 hours without a value, over the series
  bool with_pressure = true;     // false: a station without a barometer (pressure all missing)
  std::uint64_t seed = 1;
};

forecast::HourlySeries generate_weather(const WeatherSpec& spec);

}  // namespace meteo::synthetic
