#include "meteo/analysis/settings.hpp"

namespace meteo::analysis {

const char* impact_method_text(ImpactMethod method) {
  switch (method) {
    case ImpactMethod::normalised:
      return "normalised";
    case ImpactMethod::counterfactual:
      return "counterfactual";
  }
  return "normalised";
}

}  // namespace meteo::analysis
