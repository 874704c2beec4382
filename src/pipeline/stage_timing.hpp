// Stage timings are optional (only the hourly run exports metrics): one timer that is a no-op
// without a registry, instead of an optional at every stage.
#pragma once

#include <optional>
#include <string>

#include "meteo/metrics/registry.hpp"

namespace meteo::pipeline {

// Times one stage, from construction to destruction, when metrics are wanted.
class OptionalStageTimer {
 public:
  OptionalStageTimer(metrics::Registry* registry, const std::string& source, const char* stage) {
    if (registry != nullptr) timer_.emplace(*registry, source, stage);
  }

 private:
  std::optional<metrics::StageTimer> timer_;
};

}  // namespace meteo::pipeline
