// Private to the dashboard: data/air-quality.json and data/air-quality/<station>.json
// (docs/dashboard-data.md), built from the store's air-quality readers.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "meteo/store/air_quality_read.hpp"

namespace spdlog {
class logger;
}

namespace meteo::dashboard {

// What meta.json says of the panel, and the page shows beside every index.
inline constexpr const char* kAirQualityLabel =
    "Indice indicatif, calculé à partir des mesures des stations";

struct AirQualityFiles {
  std::string source;
  nlohmann::json list;  // data/air-quality.json
  // (station code, data/air-quality/<code>.json); codes that cannot be file names are left out.
  std::vector<std::pair<std::string, nlohmann::json>> stations;
};

// The source shown: the first configured source with air-quality stations, else the first in the
// database by name; nothing when there is no air-quality data.
std::optional<AirQualityFiles> air_quality_files(Database& db,
                                                 const std::vector<std::string>& configured,
                                                 spdlog::logger& log);

// The pollution rose of one station's view rows: 16 sectors of 22.5° (the first centred on
// north), per sector the hours of wind from there and the mean NO2, PM10, PM2.5 and O3 at those
// hours; calm hours (wind below 2 km/h) counted apart.
nlohmann::json pollution_rose(const std::vector<AirQualityWeatherRow>& rows);

}  // namespace meteo::dashboard
