#include "meteo/core/names.hpp"

#include <algorithm>

#include "meteo/core/errors.hpp"

namespace meteo {

bool is_plain_name(std::string_view name, std::size_t max_length) {
  if (name.empty() || name.size() > max_length || name.front() == '.') return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.';
  });
}

std::filesystem::path file_inside(const std::filesystem::path& directory, std::string_view prefix,
                                  std::string_view name, std::string_view suffix) {
  if (!is_plain_name(name)) {
    throw Error(ExitCode::software, "refusing the name \"" + std::string(name) +
                                        "\" as part of a file name in " + directory.string() +
                                        ": " + std::string(kPlainNameRule));
  }
  return directory / (std::string(prefix) + std::string(name) + std::string(suffix));
}

}  // namespace meteo
