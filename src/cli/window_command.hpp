// What `backfill` and `replay` share: the window of UTC hours they load, the progress bar, and
// the loop over the sources that stops at the first failure.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "meteo/config/config.hpp"
#include "meteo/sources/stations/portal.hpp"

namespace spdlog {
class logger;
}

namespace meteo {

struct WindowOptions {
  std::string from, to;
  std::string progress = "auto";

  // Error(usage) unless both are UTC hours, the first before the second.
  TimeWindow window() const;
  // Whether --progress asks for a bar on `log`.
  bool progress_bar(spdlog::logger& log) const;
};

// --from and --to, both required: the window [from, to).
void add_window_options(CLI::App& command, WindowOptions& options);
// --progress auto|always|never.
void add_progress_option(CLI::App& command, WindowOptions& options);

// Runs `load` on each source in turn for `what` ("backfill", "replay") over `window`. Stops at
// the first failure, whose error line is the last: it names the source and the window and
// carries the exit code, which is returned. Otherwise a closing info line with exit code 0.
int load_each_source(spdlog::logger& log, std::string_view what, const TimeWindow& window,
                     const std::vector<const SourceConfig*>& sources,
                     const std::function<void(const SourceConfig&)>& load);

}  // namespace meteo
