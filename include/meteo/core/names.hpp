// One rule for every name that becomes a file name, a directory or an identifier (sources, region
// sets, datasets, stations): a name that passes it can never leave the directory it is put in.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace meteo {

// 1 to `max_length` ASCII letters, digits, '-', '_' or '.', not starting with '.' (so neither "."
// nor "..", nor a hidden file, nor any '/'). 64 fits the database's name columns; a portal's
// dataset ids have 255.
inline constexpr std::size_t kMaxNameLength = 64;
inline constexpr std::size_t kMaxDatasetIdLength = 255;
bool is_plain_name(std::string_view name, std::size_t max_length = kMaxNameLength);

// The rule in words, for error messages.
inline constexpr std::string_view kPlainNameRule =
    "use 1 to 64 letters, digits, '-', '_' or '.' (not first)";
inline constexpr std::string_view kPlainDatasetIdRule =
    "use 1 to 255 letters, digits, '-', '_' or '.' (not first)";

// `prefix + name + suffix` as a file directly inside `directory`. Throws Error(software) when
// `name` breaks the rule: callers validate names where they enter (the config), so reaching this
// with one is a bug, and no file is written outside `directory` either way.
std::filesystem::path file_inside(const std::filesystem::path& directory, std::string_view prefix,
                                  std::string_view name, std::string_view suffix);

}  // namespace meteo
