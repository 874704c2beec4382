// Fields attached to a log call: plain data that any module hands to its logger. How they are
// written (JSON members, or nothing beside a text line's message) is the business of the sink
// the command line installs (a FieldSink).
#pragma once

#include <spdlog/spdlog.h>

#include <concepts>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace meteo {

// Fields a log line carries besides its time, level and message: members of a JSON line (numbers
// stay numbers); a text line shows its message alone, which already says it all.
class LogFields {
 public:
  using Value = std::variant<std::string, std::int64_t, std::uint64_t, double, bool>;
  using Field = std::pair<std::string, Value>;

  LogFields& add(std::string key, std::string value);
  LogFields& add(std::string key, const char* value) {
    return add(std::move(key), std::string(value));
  }
  LogFields& add(std::string key, bool value);
  LogFields& add(std::string key, double value);
  template <std::integral Number>
  LogFields& add(std::string key, Number value) {
    if constexpr (std::is_signed_v<Number>) {
      return add_value(std::move(key), static_cast<std::int64_t>(value));
    } else {
      return add_value(std::move(key), static_cast<std::uint64_t>(value));
    }
  }
  // Every field of `more`, after these.
  LogFields& add(const LogFields& more);

  const std::vector<Field>& fields() const { return fields_; }

 private:
  LogFields& add_value(std::string key, Value value);
  std::vector<Field> fields_;  // in the order added: a line reads in a stable order
};

// A sink that writes a line with its fields (the command line's LineSink).
class FieldSink {
 public:
  virtual ~FieldSink() = default;
  virtual void write(spdlog::level::level_enum level, std::string_view message,
                     const LogFields& fields) = 0;
};

// Logs `message` with `fields` at `level`. Through a logger whose only sink is a FieldSink the
// fields become JSON members; any other sink gets the message alone.
void log_fields(spdlog::logger& log, spdlog::level::level_enum level, const LogFields& fields,
                std::string_view message);

// log_fields with a fmt format: log_with(log, info, fields, "source {}: run {} succeeded", ...).
template <class... Args>
void log_with(spdlog::logger& log, spdlog::level::level_enum level, const LogFields& fields,
              fmt::format_string<Args...> format, Args&&... args) {
  if (!log.should_log(level)) return;
  log_fields(log, level, fields, fmt::format(format, std::forward<Args>(args)...));
}

}  // namespace meteo
