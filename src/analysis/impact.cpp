#include "meteo/analysis/impact.hpp"

#include "meteo/core/errors.hpp"

namespace meteo::analysis {

ImpactEstimate estimate_impact(const PollutionSeries&, const ImpactRequest&,
                               const AnalysisSettings&) {
  throw Error(ExitCode::software, "estimate_impact: being written");
}

NormalisedSeries normalise(const PollutionSeries&, const AnalysisSettings&) {
  throw Error(ExitCode::software, "normalise: being written");
}

}  // namespace meteo::analysis
