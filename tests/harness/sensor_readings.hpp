// A sensor reading in one line, for the tests of the stages a reading passes through.
#pragma once

#include <optional>
#include <string>
#include <utility>

#include "meteo/model/records.hpp"

namespace meteo::testing {

inline SensorReading reading(std::string id, double lon, double lat, double temperature,
                             std::optional<std::string> country = std::nullopt) {
  SensorReading r;
  r.id = std::move(id);
  r.longitude = lon;
  r.latitude = lat;
  r.temperature = temperature;
  r.country = std::move(country);
  return r;
}

}  // namespace meteo::testing
