// The daily station aggregates' settings ([sources.daily] of an opendatasoft-stations source):
// plain structs.
#pragma once

#include <string>

namespace meteo::aggregate {

// A station's day is a day of its own clock: midnight to midnight in `time_zone` (an IANA name,
// read from the system's tzdata), 23 or 25 hours long on the days the clocks change.
struct DailySettings {
  std::string time_zone = "Europe/Paris";
  // A day whose rain total reaches this many millimetres is a heavy-rain day (Météo-France's
  // climatological count of days with at least 10 mm).
  double heavy_rain_mm = 10.0;
};

}  // namespace meteo::aggregate
