// [logging]: the level and the format of the log lines, and the level names the tool accepts.
#include <iterator>
#include <utility>

#include "sections.hpp"

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

namespace config_detail {

LoggingConfig read_logging(const ConfigReader& reader, const toml::table* t) {
  LoggingConfig logging;
  if (!t) return logging;
  reader.expect_only(*t, "logging", {"level", "format"});
  reader.read_string(*t, "logging", "level", logging.level);
  reader.read_string(*t, "logging", "format", logging.format);
  const auto level = canonical_log_level(logging.level);
  if (!level) {
    reader.fail("logging.level", "must be one of " + log_level_choices());
  }
  logging.level = *level;
  if (logging.format != "text" && logging.format != "json") {
    reader.fail("logging.format", "must be text or json");
  }
  return logging;
}

}  // namespace config_detail
}  // namespace meteo
