// How a region set is specified ([[region_sets]]): geo reads it to build the set, the store saves
// it beside the set, the dashboard names it. Plain structs, so each of them can hold one.
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
