// The log level names: [logging] level and --log-level both accept them, so they live in core,
// below config and cli.
#include <iterator>
#include <utility>

#include "meteo/core/logging_settings.hpp"

namespace meteo {
namespace {

// The word each level prints first, then the other accepted spellings and what they mean.
constexpr std::string_view kLogLevels[] = {"trace", "debug",    "info", "warning",
                                           "error", "critical", "off"};
constexpr std::pair<std::string_view, std::string_view> kLogLevelSpellings[] = {{"warn", "warning"},
                                                                                {"err", "error"}};

}  // namespace

std::optional<std::string> canonical_log_level(std::string_view name) {
  for (const auto level : kLogLevels) {
    if (name == level) return std::string(level);
  }
  for (const auto& [spelling, level] : kLogLevelSpellings) {
    if (name == spelling) return std::string(level);
  }
  return std::nullopt;
}

std::string log_level_choices() {
  std::string text;
  const std::size_t count = std::size(kLogLevels);
  for (std::size_t i = 0; i < count; ++i) {
    text += i == 0 ? "" : (i + 1 == count ? " or " : ", ");
    text += kLogLevels[i];
    std::string others;
    for (const auto& [spelling, level] : kLogLevelSpellings) {
      if (level != kLogLevels[i]) continue;
      others += (others.empty() ? "" : ", ") + std::string(spelling);
    }
    if (!others.empty()) text += " (or " + others + ")";
  }
  return text;
}

std::vector<std::string> log_level_spellings() {
  std::vector<std::string> names(std::begin(kLogLevels), std::end(kLogLevels));
  for (const auto& [spelling, level] : kLogLevelSpellings) names.emplace_back(spelling);
  return names;
}

}  // namespace meteo
