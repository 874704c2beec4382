// [logging]: the level and the format of the log lines.
#include "sections.hpp"

namespace meteo {
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
