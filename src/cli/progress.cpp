#include "progress.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "logging.hpp"
#include "meteo/core/errors.hpp"

namespace meteo {
namespace {

// Narrower than an 80-column terminal: a wrapped line could not be erased with '\r'.
constexpr std::size_t kWidth = 79;
constexpr std::size_t kBarCells = 10;  // leaves room for the label

// 0:07, 12:34, 1:02:03
std::string clock_text(std::chrono::steady_clock::duration duration) {
  const auto seconds =
      std::max<long long>(0, std::chrono::duration_cast<std::chrono::seconds>(duration).count());
  if (seconds >= 3600) {
    return fmt::format("{}:{:02}:{:02}", seconds / 3600, seconds / 60 % 60, seconds % 60);
  }
  return fmt::format("{}:{:02}", seconds / 60, seconds % 60);
}

std::string bar_cells(std::size_t done, std::size_t total) {
  const std::size_t filled = total == 0 ? kBarCells : std::min(kBarCells, kBarCells * done / total);
  return "[" + std::string(filled, '#') + std::string(kBarCells - filled, ' ') + "]";
}

std::string rate_text(std::size_t done, std::chrono::steady_clock::duration elapsed) {
  const double seconds = std::chrono::duration<double>(elapsed).count();
  if (done == 0 || seconds <= 0) return "-/s";
  return fmt::format("{:.1f}/s", static_cast<double>(done) / seconds);
}

std::string eta_text(std::size_t done, std::size_t total,
                     std::chrono::steady_clock::duration elapsed) {
  if (done == 0) return "-:--";
  if (done >= total) return clock_text({});
  return clock_text(elapsed * static_cast<long long>(total - done) / static_cast<long long>(done));
}

}  // namespace

ProgressMode parse_progress_mode(const std::string& word) {
  if (word == "auto") return ProgressMode::automatic;
  if (word == "always") return ProgressMode::always;
  if (word == "never") return ProgressMode::never;
  throw Error(ExitCode::usage, "--progress must be auto, always or never (got \"" + word + "\")");
}

const std::vector<std::string>& progress_mode_names() {
  static const std::vector<std::string> names{"auto", "always", "never"};
  return names;
}

bool wants_progress_bar(ProgressMode mode, spdlog::logger& log) {
  const LineSink* sink = line_sink_of(log);
  if (sink == nullptr || mode == ProgressMode::never) return false;
  return mode == ProgressMode::always || sink->text_to_terminal();
}

std::string progress_text(std::size_t done, std::size_t total, std::string_view unit,
                          std::chrono::steady_clock::duration elapsed, std::string_view label) {
  std::string text =
      fmt::format("{} {}/{} {}  {}  elapsed {}  ETA {}", bar_cells(done, total), done, total, unit,
                  rate_text(done, elapsed), clock_text(elapsed), eta_text(done, total, elapsed));
  if (!label.empty() && text.size() + 2 < kWidth) {
    text += "  ";
    text += label.substr(0, kWidth - text.size());
  }
  return text;
}

Progress::Progress(spdlog::logger& log, bool bar, std::size_t total, std::string unit,
                   std::function<Clock::time_point()> now)
    : sink_(bar ? line_sink_of(log) : nullptr),
      total_(total),
      unit_(std::move(unit)),
      now_(std::move(now)),
      started_(now_()) {
  if (sink_ != nullptr) sink_->show_status(progress_text(0, total_, unit_, {}, ""));
}

Progress::~Progress() {
  if (sink_ != nullptr) sink_->show_status("");
}

void Progress::step(std::string_view label) {
  const std::lock_guard lock(mutex_);
  ++done_;
  if (sink_ != nullptr) {
    sink_->show_status(progress_text(done_, total_, unit_, now_() - started_, label));
  }
}

spdlog::level::level_enum Progress::step_level() const {
  return sink_ != nullptr ? spdlog::level::debug : spdlog::level::info;
}

pipeline::ProgressFactory progress_reporter(spdlog::logger& log, bool bar) {
  return
      [&log, bar](std::size_t total, std::string unit) -> std::unique_ptr<pipeline::StepProgress> {
        return std::make_unique<Progress>(log, bar, total, std::move(unit));
      };
}

}  // namespace meteo
