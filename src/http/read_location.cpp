// Reference documents (region boundaries) may live on a web server or on disk.
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "meteo/core/errors.hpp"
#include "meteo/http/client.hpp"

namespace meteo {
namespace {

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() &&
         std::equal(prefix.begin(), prefix.end(), text.begin(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) ==
                  std::tolower(static_cast<unsigned char>(b));
         });
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

// file:// URLs escape spaces and non-ASCII bytes as %XX.
std::string percent_decoded(std::string_view text) {
  std::string decoded;
  decoded.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      const int high = hex_value(text[i + 1]);
      const int low = hex_value(text[i + 2]);
      if (high >= 0 && low >= 0) {
        decoded.push_back(static_cast<char>(high * 16 + low));
        i += 2;
        continue;
      }
    }
    decoded.push_back(text[i]);
  }
  return decoded;
}

// file:///srv/regions.json and file://localhost/srv/regions.json name /srv/regions.json.
std::filesystem::path path_of_file_url(const std::string& location) {
  const std::string_view rest = std::string_view(location).substr(std::strlen("file://"));
  const auto slash = rest.find('/');
  const std::string_view host = rest.substr(0, slash);
  if (slash == std::string_view::npos || (!host.empty() && host != "localhost")) {
    throw Error(ExitCode::unavailable, "cannot read " + location + ": not a local file:// URL");
  }
  return percent_decoded(rest.substr(slash));
}

std::string read_file(const std::filesystem::path& path, const std::string& location) {
  const auto cannot_read = [&](const std::string& why) {
    return Error(ExitCode::unavailable, "cannot read " + location + ": " + why);
  };
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) throw cannot_read("is a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw cannot_read(std::strerror(errno));
  std::string content;
  char chunk[1 << 16];
  while (in.read(chunk, sizeof chunk) || in.gcount() > 0) content.append(chunk, in.gcount());
  if (in.bad()) throw cannot_read("read error");
  return content;
}

}  // namespace

std::string read_location(const std::string& location, HttpClient& client) {
  if (starts_with_ignoring_case(location, "http://") ||
      starts_with_ignoring_case(location, "https://")) {
    return client.get(location).body;
  }
  if (starts_with_ignoring_case(location, "file://")) {
    return read_file(path_of_file_url(location), location);
  }
  return read_file(location, location);
}

}  // namespace meteo
