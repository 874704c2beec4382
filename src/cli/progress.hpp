// The progress bar of long commands (backfill, replay): one line under the log lines, redrawn.
#pragma once

#include <spdlog/common.h>

#include <chrono>
#include <cstddef>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "meteo/pipeline/progress.hpp"

namespace spdlog {
class logger;
}  // namespace spdlog

namespace meteo {

class LineSink;

// --progress: auto draws a bar only for text logs on a terminal, so a JSON stream or a log file
// never receives one.
enum class ProgressMode { automatic, always, never };

// "auto", "always" or "never"; the command line checks the word against progress_mode_names().
ProgressMode parse_progress_mode(const std::string& word);
const std::vector<std::string>& progress_mode_names();

// Whether `log` should get a bar in `mode`. Never for a logger that make_logger did not make.
bool wants_progress_bar(ProgressMode mode, spdlog::logger& log);

// "[###       ] 12/40 windows  3.2/s  elapsed 0:04  ETA 0:10  <label>", narrower than an
// 80-column terminal.
std::string progress_text(std::size_t done, std::size_t total, std::string_view unit,
                          std::chrono::steady_clock::duration elapsed, std::string_view label);

// Counts the steps of a command and, with a bar, redraws it on the logger's status line after
// each. The bar is erased before every log line and when the Progress ends, so log lines always
// start a line of their own. Steps may come from several threads.
// What the pipeline's jobs report their steps through: a Progress on `log`, with a bar or not.
pipeline::ProgressFactory progress_reporter(spdlog::logger& log, bool bar);

class Progress final : public pipeline::StepProgress {
 public:
  using Clock = std::chrono::steady_clock;
  Progress(spdlog::logger& log, bool bar, std::size_t total, std::string unit,
           std::function<Clock::time_point()> now = Clock::now);
  ~Progress() override;
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // One more step done; `label` says which (shown at the bar's end).
  void step(std::string_view label) override;
  // The level of a line per step: info without a bar, debug with one (the bar says it).
  spdlog::level::level_enum step_level() const override;
  bool drawing() const { return sink_ != nullptr; }

 private:
  LineSink* sink_;  // null: no bar
  const std::size_t total_;
  const std::string unit_;
  const std::function<Clock::time_point()> now_;
  const Clock::time_point started_;
  std::mutex mutex_;
  std::size_t done_ = 0;
};

}  // namespace meteo
