#include "meteo/pipeline/progress.hpp"

namespace meteo::pipeline {
namespace {

class LinePerStep final : public StepProgress {
 public:
  void step(std::string_view) override {}
  spdlog::level::level_enum step_level() const override { return spdlog::level::info; }
};

}  // namespace

std::unique_ptr<StepProgress> start_progress(const ProgressFactory& factory, std::size_t total,
                                             std::string unit) {
  if (!factory) return std::make_unique<LinePerStep>();
  return factory(total, std::move(unit));
}

}  // namespace meteo::pipeline
