// What a stage reading the store needs to know of a configured source: built by the pipeline from
// the configuration, so that the stage never sees it.
#pragma once

#include <string>
#include <vector>

#include "meteo/model/source_kind.hpp"

namespace meteo {

struct SourceScope {
  std::string name;
  SourceKind kind = SourceKind::sensor_feed;
  std::vector<std::string> region_sets;  // the names of the sets it is matched against, in order
  std::string display_name;              // how pages name it; empty: the name
};

}  // namespace meteo
