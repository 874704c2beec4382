#include "pollutants.hpp"

#include <array>

namespace meteo::air_quality {
namespace {

struct Alias {
  std::string_view source_name;
  Pollutant pollutant;
};

// Codes seen in ATMO Occitanie's data: NO2 8, PM10 5, NO 38, O3 7, NOX 9, PM2.5 6001, SO2 1,
// H2S 11. CO 10 and C6H6 20 are from the EU code list, unconfirmed by any data read here.
constexpr std::array<Alias, 11> kAliases{{
    {"NO2", {"NO2", 8}},
    {"NO", {"NO", 38}},
    {"NOX as NO2", {"NOX", 9}},
    {"NOX", {"NOX", 9}},
    {"O3", {"O3", 7}},
    {"PM10", {"PM10", 5}},
    {"PM2.5", {"PM2.5", 6001}},
    {"SO2", {"SO2", 1}},
    {"H2S", {"H2S", 11}},
    {"CO", {"CO", 10}},
    {"C6H6", {"C6H6", 20}},
}};

char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool same_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

}  // namespace

std::optional<Pollutant> find_pollutant(std::string_view source_name) {
  for (const Alias& alias : kAliases) {
    if (same_ignoring_case(alias.source_name, source_name)) return alias.pollutant;
  }
  return std::nullopt;
}

}  // namespace meteo::air_quality
