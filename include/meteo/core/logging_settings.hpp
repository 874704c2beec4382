// The log settings ([logging]) and the log level names that both the file and --log-level accept.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace meteo {

struct LoggingConfig {
  std::string level = "info";   // as canonical_log_level returns it
  std::string format = "text";  // text or json
};

// The log levels, each the word a log line prints: trace, debug, info, warning, error, critical
// and off. "warn" and "err" are accepted spellings of warning and error. nullopt for any other.
std::optional<std::string> canonical_log_level(std::string_view name);

// Every spelling canonical_log_level accepts, for the command line's check.
std::vector<std::string> log_level_spellings();

// "trace, debug, info, warning (or warn), error (or err), critical or off": every level with its
// other spellings, for messages and help, so neither lags behind the parser.
std::string log_level_choices();

}  // namespace meteo
