// Internal to the sources module: the paths and query strings of the Explore API v2.1.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "meteo/sources/stations/portal.hpp"

namespace meteo::portal_query {

using Parameters = std::vector<std::pair<std::string, std::string>>;

// Percent-encodes all but RFC 3986's unreserved characters: a '+' in a UTC offset must reach the
// portal as %2B, not be read back as a space.
std::string percent_encode(std::string_view text);

// "?name=value&..." with every name and value encoded; empty when there are no parameters.
std::string query_string(const Parameters& parameters);

// ODSQL: `time >= date'<from>' AND time < date'<to>'`, both instants in UTC.
std::string time_window_where(const std::string& time_field, TimeWindow window);

// "/api/explore/v2.1/catalog/datasets", then "/<id>" and "/<id>/<resource>".
std::string catalog_path();
std::string dataset_path(std::string_view dataset_id);
std::string dataset_path(std::string_view dataset_id, std::string_view resource);

}  // namespace meteo::portal_query
