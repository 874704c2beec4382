#include "meteo/dashboard/station_names.hpp"

#include <cctype>
#include <string_view>

namespace meteo::dashboard {
namespace {

// ASCII lower case with spaces and apostrophes as dashes: how the ids spell a commune
// ("L'Union" -> "l-union"); accented letters are left as they are (and then do not match).
std::string slug(const std::string& text) {
  std::string out;
  for (const char c : text) {
    out += (c == ' ' || c == '\'') ? '-'
                                   : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

bool starts_with_nocase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) !=
        std::tolower(static_cast<unsigned char>(prefix[i]))) {
      return false;
    }
  }
  return true;
}

// Removes `prefix` and the dash after it when `rest` starts with both.
void drop_prefix(std::string_view& rest, std::string_view prefix) {
  if (!prefix.empty() && starts_with_nocase(rest, prefix) && rest.size() > prefix.size() &&
      rest[prefix.size()] == '-') {
    rest.remove_prefix(prefix.size() + 1);
  }
}

}  // namespace

std::string station_display_name(const std::string& dataset_id, const std::string& commune,
                                 const std::string& stored_name) {
  if (!stored_name.empty()) return stored_name;
  std::string_view rest = dataset_id;
  std::size_t digits = 0;
  while (digits < rest.size() && std::isdigit(static_cast<unsigned char>(rest[digits]))) ++digits;
  if (digits > 0 && digits < rest.size() && rest[digits] == '-') rest.remove_prefix(digits + 1);
  drop_prefix(rest, "station-meteo");
  drop_prefix(rest, slug(commune));
  if (rest.empty()) return commune.empty() ? dataset_id : commune;
  std::string name(rest);
  for (char& c : name) {
    if (c == '-' || c == '_') c = ' ';
  }
  name[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(name[0])));
  return name;
}

std::string station_label(const std::string& dataset_id, const std::string& commune,
                          const std::string& stored_name) {
  const std::string name = station_display_name(dataset_id, commune, stored_name);
  return name == commune || commune.empty() ? name : name + " (" + commune + ")";
}

}  // namespace meteo::dashboard
