// Result rows as JSON, shared by `query` and `export` so both speak the same field names.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>

#include "meteo/store/stations.hpp"

namespace meteo {

// A number, or null when the value is missing.
nlohmann::json optional_json(const std::optional<double>& value);

nlohmann::json station_hourly_json(const StationHourlyRow& row);

}  // namespace meteo
