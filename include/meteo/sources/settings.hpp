// A source's settings ([[sources]]): the keys every source has, its HTTP settings and, for a
// station network or an air-quality layer, that type's own table. Plain structs.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "meteo/core/secret.hpp"
#include "meteo/http/settings.hpp"
#include "meteo/sources/air_quality/settings.hpp"
#include "meteo/sources/stations/settings.hpp"

namespace meteo {

struct SourceConfig {
  std::string name;
  // How pages name the source ("Toulouse Métropole"); the name when not configured.
  std::string display_name;
  std::string type;  // "sensor-api", "opendatasoft-stations" or "arcgis-air-quality"
  std::string url;   // sensor-api only
  Secret api_key;    // sent as X-API-Key
  std::vector<std::string> region_sets;
  // Country labels that mean "France" when counting label/geometry disagreements.
  std::vector<std::string> home_country_labels{"France", "FR", "FRA"};
  HttpSettings http;
  // `poll_seconds`: how often `watch` runs the source. Default by type (sensor-api 60 s,
  // opendatasoft-stations 300 s, arcgis-air-quality 3600 s); fractions allowed, for tests.
  std::chrono::milliseconds poll_interval{60'000};
  std::optional<StationNetworkConfig> stations;  // opendatasoft-stations only
  std::optional<AirQualityConfig> air_quality;   // arcgis-air-quality only
};

}  // namespace meteo
