// The paths and query strings of the Explore API v2.1.
#include "query.hpp"

namespace meteo::portal_query {
namespace {

bool is_unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.' || c == '~';
}

}  // namespace

std::string percent_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string encoded;
  encoded.reserve(text.size() * 3);
  for (const unsigned char c : text) {
    if (is_unreserved(c)) {
      encoded += static_cast<char>(c);
    } else {
      encoded += '%';
      encoded += kHex[c >> 4];
      encoded += kHex[c & 0x0F];
    }
  }
  return encoded;
}

std::string query_string(const Parameters& parameters) {
  std::string query;
  for (const auto& [name, value] : parameters) {
    query += query.empty() ? "?" : "&";
    query += percent_encode(name) + "=" + percent_encode(value);
  }
  return query;
}

std::string time_window_where(const std::string& time_field, TimeWindow window) {
  return time_field + " >= date'" + to_iso8601(window.from) + "' AND " + time_field + " < date'" +
         to_iso8601(window.to) + "'";
}

std::string catalog_path() {
  return "/api/explore/v2.1/catalog/datasets";
}

std::string dataset_path(std::string_view dataset_id) {
  return catalog_path() + "/" + percent_encode(dataset_id);
}

std::string dataset_path(std::string_view dataset_id, std::string_view resource) {
  return dataset_path(dataset_id) + "/" + std::string(resource);
}

}  // namespace meteo::portal_query
