#include <cmath>

#include "rules.hpp"

namespace meteo::alerts {

double wind_chill_c(double temperature_c, double wind_kmh) {
  if (std::isnan(temperature_c) || std::isnan(wind_kmh)) return kMissing;
  // Outside its domain the formula would warm a mild or calm air: there the air is what it is.
  if (temperature_c > 10 || wind_kmh < 4.8) return temperature_c;
  const double wind_term = std::pow(wind_kmh, 0.16);
  return 13.12 + 0.6215 * temperature_c - 11.37 * wind_term + 0.3965 * temperature_c * wind_term;
}

}  // namespace meteo::alerts
