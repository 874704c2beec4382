// Loggers that write to a stream as text or as JSON lines, UTC timestamps, with the fields of a
// log call (meteo/core/log_fields.hpp); the status line a progress bar redraws under the log lines.
#pragma once

#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

#include <concepts>
#include <cstdint>
#include <memory>
#include <mutex>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "meteo/config/config.hpp"
#include "meteo/core/log_fields.hpp"

namespace meteo {

// Where the log lines go, which decides their shape.
struct LogDestination {
  bool journal = false;   // lines start with their syslog priority ("<4>"), text has no time
  bool terminal = false;  // a person watches: a progress bar may be drawn (text format only)
};

// Writes each log line whole, and keeps a status line (a progress bar) below the log lines: the
// status line is erased before a log line and drawn again after it, so neither is ever glued to
// the other. Thread-safe: workers log and advance the bar at the same time.
class LineSink final : public spdlog::sinks::base_sink<std::mutex>, public FieldSink {
 public:
  LineSink(std::ostream& stream, bool json, LogDestination destination);

  // A line with fields (see log_with).
  void write(spdlog::level::level_enum level, std::string_view message,
             const LogFields& fields) override;
  // Replaces the status line; an empty text erases it.
  void show_status(std::string text);
  // Text lines to a terminal: where a progress bar belongs when the operator did not say.
  bool text_to_terminal() const { return !json_ && destination_.terminal; }

 protected:
  void sink_it_(const spdlog::details::log_msg& message) override;
  void flush_() override { stream_.flush(); }

 private:
  void write_line(spdlog::level::level_enum level, spdlog::log_clock::time_point time,
                  std::string_view message, const LogFields& fields);
  void erase_status();
  void draw_status();

  std::ostream& stream_;
  const bool json_;
  const LogDestination destination_;
  std::string status_;  // shown below the last log line when not empty
};

// format: "text" or "json"; level: a log level name (see canonical_log_level). Throws
// Error(usage) on an unknown format or level. For the journal, text lines carry no timestamp since
// the journal stamps each line. JSON lines are built by nlohmann/json: invalid UTF-8 in a message
// is replaced (U+FFFD), so every line stays valid JSON.
std::shared_ptr<spdlog::logger> make_logger(std::ostream& stream, const std::string& format,
                                            const std::string& level,
                                            LogDestination destination = {});

// The LineSink a logger made by make_logger writes through; null for any other logger.
LineSink* line_sink_of(spdlog::logger& log);

// True when `fd` is the stream systemd connected to the journal: $JOURNAL_STREAM holds its
// "device:inode" (systemd.exec(5)); a child whose stderr was redirected inherits the variable
// but not the stream, hence the comparison.
bool is_journal_stream(const EnvironmentLookup& environment, int fd);

}  // namespace meteo
