// Internal to the sources module: the pollutants an air-quality source may report.
#pragma once

#include <optional>
#include <string_view>

namespace meteo::air_quality {

struct Pollutant {
  std::string_view name;  // normalised: what is stored
  long eu_code;           // id_poll_ue, the EU air-quality reporting code
};

// The pollutant a source's name stands for ("NOX as NO2" -> NOX), case-insensitive, or nothing.
std::optional<Pollutant> find_pollutant(std::string_view source_name);

}  // namespace meteo::air_quality
