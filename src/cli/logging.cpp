#include "logging.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/ostream_sink.h>
#include <sys/stat.h>

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

// sd-daemon(3) priorities: journald strips the "<N>" prefix and keeps N as the entry's PRIORITY.
int syslog_priority(spdlog::level::level_enum level) {
  switch (level) {
    case spdlog::level::critical:
      return 2;
    case spdlog::level::err:
      return 3;
    case spdlog::level::warn:
      return 4;
    case spdlog::level::info:
      return 6;
    default:
      return 7;  // debug and trace
  }
}

// %Q in a pattern: the message's syslog priority as "<N>".
class SyslogPriorityFlag : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    const char prefix[] = {'<', static_cast<char>('0' + syslog_priority(msg.level)), '>'};
    dest.append(prefix, prefix + sizeof prefix);
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<SyslogPriorityFlag>();
  }
};

std::unique_ptr<spdlog::formatter> make_formatter(const std::string& format, bool for_journal) {
  auto formatter = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
  formatter->add_flag<SyslogPriorityFlag>('Q');
  const std::string priority = for_journal ? "%Q" : "";
  if (format == "json") {
    // The JSON keeps its time: a log shipper reading the journal's messages still wants it.
    formatter->add_flag<JsonMessageFlag>('*').set_pattern(
        priority + R"({"time":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l","message":"%*"})");
  } else if (format == "text") {
    formatter->set_pattern(for_journal ? "%Q%l %v" : "%Y-%m-%dT%H:%M:%S.%eZ %l %v");
  } else {
    throw Error(ExitCode::usage, "--log-format must be text or json (got \"" + format + "\")");
  }
  return formatter;
}

}  // namespace

std::shared_ptr<spdlog::logger> make_logger(std::ostream& stream, const std::string& format,
                                            const std::string& level, bool for_journal) {
  const auto parsed = spdlog::level::from_str(level);
  if (parsed == spdlog::level::off && level != "off") {
    throw Error(ExitCode::usage, "unknown log level \"" + level + "\"");
  }
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(stream, /*force_flush=*/true);
  sink->set_formatter(make_formatter(format, for_journal));
  auto logger = std::make_shared<spdlog::logger>("meteo-etl", std::move(sink));
  logger->set_level(parsed);
  return logger;
}

bool is_journal_stream(const EnvironmentLookup& environment, int fd) {
  const auto stream = environment("JOURNAL_STREAM");
  struct stat info {};
  if (!stream || ::fstat(fd, &info) != 0) return false;
  return *stream == std::to_string(info.st_dev) + ":" + std::to_string(info.st_ino);
}

}  // namespace meteo
