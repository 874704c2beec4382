// The geo module's settings ([[region_sets]]): plain structs.
#pragma once

#include <string>

namespace meteo {

enum class MatchingMode { polygon, bbox };
enum class RegionFormat { geojson, opendatasoft };

struct RegionSetConfig {
  std::string name;
  std::string location;  // http(s) URL, file:// URL or plain path
  RegionFormat format = RegionFormat::geojson;
  std::string code_field = "code";
  std::string name_field = "nom";
  MatchingMode matching = MatchingMode::polygon;
};

}  // namespace meteo
