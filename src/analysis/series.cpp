#include "meteo/analysis/series.hpp"

#include <algorithm>
#include <cmath>

#include "meteo/analysis/settings.hpp"

namespace meteo::analysis {

std::size_t count_weather_hours(const PollutionSeries& series) {
  return static_cast<std::size_t>(
      std::count_if(series.begin(), series.end(), [](const PollutionHour& hour) {
        return !std::isnan(hour.wind_speed) && !std::isnan(hour.temperature);
      }));
}

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
