// Internal to the sources module: one page of the portal's dataset catalogue.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "json_fields.hpp"

namespace meteo::stations_json {

struct CatalogPage {
  std::size_t total_count = 0;  // datasets in the whole catalogue, every page included
  std::vector<std::string> dataset_ids;
};

// {"total_count": N, "results": [{"dataset_id": ...}]}; throws Error(data) naming `origin`.
CatalogPage read_catalog_page(const Json& body, std::string_view origin);

}  // namespace meteo::stations_json
