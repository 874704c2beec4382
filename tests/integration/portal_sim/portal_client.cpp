#include "portal_client.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>
#include <stdexcept>

#include "loopback_server.hpp"

namespace meteo::testing::portal {
namespace {

int port_of(const std::string& base_url) {
  const auto colon = base_url.rfind(':');
  if (colon == std::string::npos) throw std::runtime_error("no port in " + base_url);
  return std::stoi(base_url.substr(colon + 1));
}

std::string lower_case(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::string dechunked(const std::string& body) {
  std::string decoded;
  std::size_t pos = 0;
  for (;;) {
    const auto line_end = body.find("\r\n", pos);
    if (line_end == std::string::npos) throw std::runtime_error("truncated chunked body");
    const std::size_t size = std::stoul(body.substr(pos, line_end - pos), nullptr, 16);
    if (size == 0) return decoded;
    decoded.append(body, line_end + 2, size);
    pos = line_end + 2 + size + 2;
  }
}

HttpAnswer parse_response(const std::string& response) {
  const auto head_end = response.find("\r\n\r\n");
  if (response.rfind("HTTP/1.", 0) != 0 || head_end == std::string::npos) {
    throw std::runtime_error("not an HTTP response: " + response.substr(0, 80));
  }
  HttpAnswer answer;
  answer.status = std::stoi(response.substr(9, 3));
  std::size_t line_start = response.find("\r\n") + 2;
  while (line_start < head_end) {
    const auto line_end = response.find("\r\n", line_start);
    const std::string line = response.substr(line_start, line_end - line_start);
    const auto colon = line.find(':');
    if (colon != std::string::npos) {
      const auto value_start = line.find_first_not_of(' ', colon + 1);
      answer.headers[lower_case(line.substr(0, colon))] =
          value_start == std::string::npos ? "" : line.substr(value_start);
    }
    line_start = line_end + 2;
  }
  answer.body = response.substr(head_end + 4);
  if (lower_case(answer.headers["transfer-encoding"]) == "chunked") {
    answer.body = dechunked(answer.body);
  }
  return answer;
}

}  // namespace

HttpAnswer get(const std::string& base_url, const std::string& path_and_query) {
  return parse_response(loopback_get(port_of(base_url), path_and_query, std::chrono::seconds(30)));
}

std::string encode(std::string_view text) {
  std::string encoded;
  char escape[4];
  for (const unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      encoded += static_cast<char>(c);
    } else {
      std::snprintf(escape, sizeof escape, "%%%02X", c);
      encoded += escape;
    }
  }
  return encoded;
}

std::string dataset_path(const std::string& dataset, const std::string& resource,
                         const std::string& query) {
  std::string path = std::string(kCatalog) + "/" + dataset;
  if (!resource.empty()) path += "/" + resource;
  if (!query.empty()) path += "?" + query;
  return path;
}

std::int64_t unix_seconds(const std::string& iso8601) {
  std::tm civil{};
  char zone[8] = {};
  if (std::sscanf(iso8601.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%6s", &civil.tm_year, &civil.tm_mon,
                  &civil.tm_mday, &civil.tm_hour, &civil.tm_min, &civil.tm_sec, zone) != 7) {
    throw std::runtime_error("not an ISO 8601 timestamp with a zone: " + iso8601);
  }
  civil.tm_year -= 1900;
  civil.tm_mon -= 1;
  const std::string offset(zone);
  int offset_seconds = 0;
  if (offset != "Z") {
    int hours = 0;
    int minutes = 0;
    if (offset.size() != 6 || (offset[0] != '+' && offset[0] != '-') ||
        std::sscanf(offset.c_str() + 1, "%2d:%2d", &hours, &minutes) != 2) {
      throw std::runtime_error("bad offset in " + iso8601);
    }
    offset_seconds = (offset[0] == '-' ? -1 : 1) * (hours * 3600 + minutes * 60);
  }
  return static_cast<std::int64_t>(::timegm(&civil)) - offset_seconds;
}

}  // namespace meteo::testing::portal
