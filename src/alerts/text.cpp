#include <array>
#include <utility>

#include "meteo/alerts/alerts.hpp"

namespace meteo::alerts {
namespace {

// The names stored and sent: the same words as the enumerators, so a kind reads the same
// everywhere.
constexpr std::array<std::pair<Kind, const char*>, 5> kKindNames{{
    {Kind::strong_wind, "strong_wind"},
    {Kind::severe_cold, "severe_cold"},
    {Kind::heat_wave, "heat_wave"},
    {Kind::heavy_rain, "heavy_rain"},
    {Kind::pollution, "pollution"},
}};

}  // namespace

const char* kind_text(Kind kind) {
  for (const auto& [known, name] : kKindNames) {
    if (known == kind) return name;
  }
  return "strong_wind";
}

std::optional<Kind> parse_kind(std::string_view text) {
  for (const auto& [kind, name] : kKindNames) {
    if (text == name) return kind;
  }
  return std::nullopt;
}

const char* change_text(Change change) {
  switch (change) {
    case Change::opened:
      return "opened";
    case Change::escalated:
      return "escalated";
    case Change::closed:
      return "closed";
    case Change::withdrawn:
      return "withdrawn";
  }
  return "opened";
}

}  // namespace meteo::alerts
