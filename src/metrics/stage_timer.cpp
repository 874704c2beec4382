#include "meteo/metrics/registry.hpp"

namespace meteo::metrics {

void describe_stage_duration(Registry& registry) {
  registry.describe(std::string(kStageDuration), MetricType::gauge,
                    "Duration of each stage of the source's last run, in seconds.");
}

void set_stage_duration(Registry& registry, const std::string& source, const std::string& stage,
                        std::chrono::duration<double> elapsed) {
  describe_stage_duration(registry);
  registry.set(kStageDuration, {{"source", source}, {"stage", stage}}, elapsed.count());
}

StageTimer::StageTimer(Registry& registry, std::string source, std::string stage)
    : registry_(registry),
      source_(std::move(source)),
      stage_(std::move(stage)),
      started_(std::chrono::steady_clock::now()) {
  describe_stage_duration(registry_);
}

StageTimer::~StageTimer() {
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - started_;
  try {
    set_stage_duration(registry_, source_, stage_, elapsed);
  } catch (...) {
    // A destructor must not throw; the family is described by the constructor, so this is
    // only reachable on allocation failure, and a missing sample is then the least problem.
  }
}

}  // namespace meteo::metrics
