// Internal to the sources module: one page of the portal's dataset catalogue.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "json_fields.hpp"
#include "meteo/model/records.hpp"
#include "meteo/sources/stations/settings.hpp"

namespace meteo::stations_json {

struct CatalogPage {
  std::size_t total_count = 0;  // datasets in the whole catalogue, every page included
  std::vector<std::string> dataset_ids;
};

// {"total_count": N, "results": [{"dataset_id": ...}]}; throws Error(data) naming `origin`.
CatalogPage read_catalog_page(const Json& body, std::string_view origin);

// The station a record describes (a station list's, or an observation's own attributes in a
// dataset holding many stations), or why it cannot be one: no `fields.dataset`, no valid
// coordinates.
std::variant<WeatherStation, std::string> read_station(const Json& record,
                                                       const StationListFields& fields);

}  // namespace meteo::stations_json
