// How a long job (the windows of a backfill, the payloads of a replay) reports its steps. The
// pipeline counts the steps; the command line decides how they are shown (its progress bar).
#pragma once

#include <spdlog/common.h>

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace meteo::pipeline {

// The steps of one job. Steps may come from several threads.
class StepProgress {
 public:
  virtual ~StepProgress() = default;
  // One more step done; `label` says which.
  virtual void step(std::string_view label) = 0;
  // The level of the log line each step gets: info unless something else shows the steps.
  virtual spdlog::level::level_enum step_level() const = 0;
};

// Starts the report of a job of `total` steps counted in `unit` ("windows", "payloads"). It ends
// when the returned object is destroyed.
using ProgressFactory =
    std::function<std::unique_ptr<StepProgress>(std::size_t total, std::string unit)>;

// `factory`'s report, or none when it is empty: a log line per step at info.
std::unique_ptr<StepProgress> start_progress(const ProgressFactory& factory, std::size_t total,
                                             std::string unit);

}  // namespace meteo::pipeline
