// Synthetic but realistic hourly series with a known truth, to judge the impact analysis: weather
// from a seasonal model with day-to-day persistence, and NO2 driven by traffic, wind speed and
// direction, temperature and rain, with a step of known size at a known date. The period after
// the step can be made windier, so that a raw before/after comparison overstates the step.
#pragma once

#include <cstdint>

#include "meteo/analysis/series.hpp"

namespace meteo::synthetic {

struct SeriesSpec {
  UtcSeconds start;             // midnight UTC of the first day
  int days_before = 365;        // days before the step
  int days_after = 365;         // days from the step on
  double step = -0.20;          // concentrations times (1 + step) from the step on
  double windier_after = 1.35;  // mean wind speed after the step, times this
  double missing_hours = 0.02;  // share of hours without a value
  std::uint64_t seed = 1;
};

struct SyntheticSeries {
  analysis::PollutionSeries series;
  UtcSeconds step_date;        // the first hour with the step
  double true_effect_percent;  // 100 * step: the ratio of means under any common weather
};

SyntheticSeries generate_series(const SeriesSpec& spec);

}  // namespace meteo::synthetic
