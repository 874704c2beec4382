#include "window_command.hpp"

#include <spdlog/spdlog.h>

#include "logging.hpp"
#include "meteo/core/errors.hpp"
#include "meteo/core/time.hpp"
#include "progress.hpp"

namespace meteo {
namespace {

// --from/--to: two UTC hours, the first before the second, else Error(usage).
TimeWindow parse_window(const std::string& from, const std::string& to) {
  const TimeWindow window{parse_hour(from), parse_hour(to)};
  if (!(window.from < window.to)) {
    throw Error(ExitCode::usage, "--from " + from + " must be before --to " + to);
  }
  return window;
}

}  // namespace

TimeWindow WindowOptions::window() const {
  return parse_window(from, to);
}

bool WindowOptions::progress_bar(spdlog::logger& log) const {
  return wants_progress_bar(parse_progress_mode(progress), log);
}

void add_window_options(CLI::App& command, WindowOptions& options) {
  command.add_option("--from", options.from, "first UTC hour, included (2026-11-01T00)")
      ->type_name("HOUR")
      ->required();
  command
      .add_option("--to", options.to,
                  "end UTC hour, exclusive: the window stops before it (2026-11-08T00)")
      ->type_name("HOUR")
      ->required();
}

void add_progress_option(CLI::App& command, WindowOptions& options) {
  command
      .add_option("--progress", options.progress,
                  "a progress bar: auto (text logs on a terminal), always or never")
      ->check(CLI::IsMember(progress_mode_names()))
      ->capture_default_str();
}

int load_each_source(spdlog::logger& log, std::string_view what, const TimeWindow& window,
                     const std::vector<const SourceConfig*>& sources,
                     const std::function<void(const SourceConfig&)>& load) {
  const std::string from = to_iso8601(window.from), to = to_iso8601(window.to);
  const LogFields window_fields = LogFields().add("from", from).add("to", to);
  for (const SourceConfig* source : sources) {
    try {
      load(*source);
    } catch (const Error& error) {
      const int code = static_cast<int>(error.code());
      log_with(log, spdlog::level::err,
               LogFields().add("source", source->name).add(window_fields).add("exit_code", code),
               "{}", error.what());
      return code;
    }
  }
  log_with(log, spdlog::level::info,
           LogFields(window_fields).add("sources", sources.size()).add("exit_code", 0),
           "{} of [{}, {}) finished: {} source(s)", what, from, to, sources.size());
  return 0;
}

}  // namespace meteo
