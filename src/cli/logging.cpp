#include "logging.hpp"

#include <sys/stat.h>

#include <ctime>
#include <nlohmann/json.hpp>

#include "meteo/core/errors.hpp"

namespace meteo {
namespace {

// The words of canonical_log_level, which --log-level and [logging] level accept.
std::string_view level_name(spdlog::level::level_enum level) {
  switch (level) {
    case spdlog::level::trace:
      return "trace";
    case spdlog::level::debug:
      return "debug";
    case spdlog::level::info:
      return "info";
    case spdlog::level::warn:
      return "warning";
    case spdlog::level::err:
      return "error";
    case spdlog::level::critical:
      return "critical";
    default:
      return "off";
  }
}

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

// 2026-11-22T06:05:00.123Z
std::string utc_timestamp(spdlog::log_clock::time_point time) {
  const auto since_epoch = time.time_since_epoch();
  const std::time_t seconds = std::chrono::duration_cast<std::chrono::seconds>(since_epoch).count();
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch).count() % 1000;
  std::tm utc{};
  ::gmtime_r(&seconds, &utc);
  char text[32];
  const std::size_t length = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
  return fmt::format("{}.{:03}Z", std::string_view(text, length), millis);
}

nlohmann::ordered_json json_value(const LogFields::Value& value) {
  return std::visit([](const auto& held) { return nlohmann::ordered_json(held); }, value);
}

// The core members first; a field never replaces one of them.
std::string json_line(spdlog::level::level_enum level, spdlog::log_clock::time_point time,
                      std::string_view message, const LogFields& fields) {
  nlohmann::ordered_json line;
  line["time"] = utc_timestamp(time);
  line["level"] = level_name(level);
  line["message"] = message;
  for (const auto& [key, value] : fields.fields()) {
    if (!line.contains(key)) line[key] = json_value(value);
  }
  // Invalid UTF-8 (a partner's bytes quoted in a message) becomes U+FFFD instead of a throw.
  return line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

spdlog::level::level_enum parse_level(const std::string& name) {
  const auto level = canonical_log_level(name);
  if (!level) throw Error(ExitCode::usage, "unknown log level \"" + name + "\"");
  return spdlog::level::from_str(*level);
}

}  // namespace

LineSink::LineSink(std::ostream& stream, bool json, LogDestination destination)
    : stream_(stream), json_(json), destination_(destination) {}

void LineSink::write(spdlog::level::level_enum level, std::string_view message,
                     const LogFields& fields) {
  if (!should_log(level)) return;
  const std::lock_guard lock(mutex_);
  write_line(level, spdlog::log_clock::now(), message, fields);
}

void LineSink::show_status(std::string text) {
  const std::lock_guard lock(mutex_);
  erase_status();
  status_ = std::move(text);
  draw_status();
  stream_.flush();
}

void LineSink::sink_it_(const spdlog::details::log_msg& message) {
  write_line(message.level, message.time,
             std::string_view(message.payload.data(), message.payload.size()), LogFields{});
}

void LineSink::write_line(spdlog::level::level_enum level, spdlog::log_clock::time_point time,
                          std::string_view message, const LogFields& fields) {
  erase_status();
  if (destination_.journal) stream_ << '<' << syslog_priority(level) << '>';
  if (json_) {
    stream_ << json_line(level, time, message, fields);
  } else {
    if (!destination_.journal) stream_ << utc_timestamp(time) << ' ';
    stream_ << level_name(level) << ' ' << message;
  }
  stream_ << '\n';
  draw_status();
  stream_.flush();  // a line at a time: cron's log file and a tail -f see each as it happens
}

// Spaces over the status line rather than a terminal's escape sequence: the same bytes work in a
// pipe (--progress always) and on any terminal.
void LineSink::erase_status() {
  if (status_.empty()) return;
  stream_ << '\r' << std::string(status_.size(), ' ') << '\r';
}

void LineSink::draw_status() {
  if (!status_.empty()) stream_ << '\r' << status_;
}

std::shared_ptr<spdlog::logger> make_logger(std::ostream& stream, const std::string& format,
                                            const std::string& level, LogDestination destination) {
  if (format != "json" && format != "text") {
    throw Error(ExitCode::usage, "--log-format must be text or json (got \"" + format + "\")");
  }
  const auto parsed = parse_level(level);
  auto sink = std::make_shared<LineSink>(stream, format == "json", destination);
  auto logger = std::make_shared<spdlog::logger>("meteo-etl", std::move(sink));
  logger->set_level(parsed);
  return logger;
}

LineSink* line_sink_of(spdlog::logger& log) {
  if (log.sinks().size() != 1) return nullptr;
  return dynamic_cast<LineSink*>(log.sinks().front().get());
}

bool is_journal_stream(const EnvironmentLookup& environment, int fd) {
  const auto stream = environment("JOURNAL_STREAM");
  struct stat info {};
  if (!stream || ::fstat(fd, &info) != 0) return false;
  return *stream == std::to_string(info.st_dev) + ":" + std::to_string(info.st_ino);
}

}  // namespace meteo
