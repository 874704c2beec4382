#include "candidates.hpp"

#include <algorithm>

namespace meteo::forecast {

double persistence(const History& history, HourIndex origin) {
  for (HourIndex hour = origin; hour > origin - 3; --hour) {
    const double value = history.temperature_at(hour);
    if (!std::isnan(value)) {
      return value;
    }
  }
  return kMissing;
}

double diurnal_persistence(const History& history, HourIndex origin, int horizon_h) {
  const int days_back = (horizon_h + 23) / 24;
  return history.temperature_at(origin + horizon_h - 24 * days_back);
}

double day_maximum(const History& history, HourIndex day_start, HourIndex seen) {
  if (day_start + 23 > seen) {
    return kMissing;
  }
  double maximum = kMissing;
  int observed = 0;
  for (HourIndex hour = day_start; hour < day_start + 24; ++hour) {
    const double value = history.temperature_at(hour);
    if (!std::isnan(value)) {
      maximum = observed == 0 ? value : std::max(maximum, value);
      ++observed;
    }
  }
  return observed >= kMinDayHours ? maximum : kMissing;
}

HourIndex tomorrow_start(const History& history, HourIndex origin) {
  return history.day_start(origin) + 24;
}

double persistence_day_maximum(const History& history, HourIndex origin) {
  const HourIndex today = history.day_start(origin);
  const HourIndex last_complete = history.hour_of_day(origin) == 23 ? today : today - 24;
  return day_maximum(history, last_complete, origin);
}

}  // namespace meteo::forecast
