#include "logging.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/ostream_sink.h>

#include "meteo/errors.hpp"

namespace meteo {
namespace {

void append_json_escaped(std::string_view text, spdlog::memory_buf_t& out) {
  for (unsigned char c : text) {
    switch (c) {
      case '"':
        out.append(std::string_view("\\\""));
        break;
      case '\\':
        out.append(std::string_view("\\\\"));
        break;
      case '\n':
        out.append(std::string_view("\\n"));
        break;
      case '\r':
        out.append(std::string_view("\\r"));
        break;
      case '\t':
        out.append(std::string_view("\\t"));
        break;
      default:
        if (c < 0x20) {
          char escaped[8];
          std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
          out.append(std::string_view(escaped));
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
}

// %* in a pattern: the message, escaped to sit inside a JSON string.
class JsonMessageFlag : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    append_json_escaped(std::string_view(msg.payload.data(), msg.payload.size()), dest);
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<JsonMessageFlag>();
  }
};

std::unique_ptr<spdlog::formatter> make_formatter(const std::string& format) {
  auto formatter = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
  if (format == "json") {
    formatter->add_flag<JsonMessageFlag>('*').set_pattern(
        R"({"time":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l","message":"%*"})");
  } else if (format == "text") {
    formatter->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %l %v");
  } else {
    throw Error(ExitCode::usage, "--log-format must be text or json (got \"" + format + "\")");
  }
  return formatter;
}

}  // namespace

std::shared_ptr<spdlog::logger> make_logger(std::ostream& stream, const std::string& format,
                                            const std::string& level) {
  const auto parsed = spdlog::level::from_str(level);
  if (parsed == spdlog::level::off && level != "off") {
    throw Error(ExitCode::usage, "unknown log level \"" + level + "\"");
  }
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(stream, /*force_flush=*/true);
  sink->set_formatter(make_formatter(format));
  auto logger = std::make_shared<spdlog::logger>("meteo-etl", std::move(sink));
  logger->set_level(parsed);
  return logger;
}

}  // namespace meteo
