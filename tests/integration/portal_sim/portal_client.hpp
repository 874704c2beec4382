// A deliberately plain HTTP client for the portal simulator's tests: a loopback socket, one GET
// per connection, chunked bodies decoded. Independent of the tool's own HTTP module, so these
// tests check the simulator, not the client.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace meteo::testing::portal {

using ordered_json = nlohmann::ordered_json;

inline constexpr const char* kCatalog = "/api/explore/v2.1/catalog/datasets";
inline constexpr const char* kMeteopole = "01-station-meteo-toulouse-meteopole";
inline constexpr const char* kStationsDataset = "stations-meteo-en-place";

struct HttpAnswer {
  int status = 0;
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;
  ordered_json json() const { return ordered_json::parse(body); }
};

// GET base_url + path_and_query; throws std::runtime_error when no HTTP answer comes back.
HttpAnswer get(const std::string& base_url, const std::string& path_and_query);

// Percent-encodes a query value ("+" must reach the portal as %2B, not as a space).
std::string encode(std::string_view text);

// kCatalog + "/" + dataset + "/" + resource + "?" + query.
std::string dataset_path(const std::string& dataset, const std::string& resource,
                         const std::string& query = "");

// "2026-11-22T06:15:00+01:00" or "...Z" as Unix seconds, parsed here independently of the
// simulator; throws on anything else.
std::int64_t unix_seconds(const std::string& iso8601);

}  // namespace meteo::testing::portal
