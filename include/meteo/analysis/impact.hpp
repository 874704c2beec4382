// The effect of an intervention on a pollutant at a station, with the weather taken out
// (Grange et al. 2018; Grange & Carslaw 2019): see docs/impact.md for the method and its limits.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "meteo/analysis/series.hpp"
#include "meteo/analysis/settings.hpp"
#include "meteo/core/time.hpp"

namespace meteo::analysis {

// How well the learner reproduces hours it was not trained on.
struct ModelScore {
  double r2 = 0;
  double rmse = 0;  // µg/m³
  std::size_t training_hours = 0;
  std::size_t holdout_hours = 0;
};

struct ImpactRequest {
  UtcSeconds intervention;  // the first hour after the change
  ImpactMethod method = ImpactMethod::normalised;
};

struct ImpactEstimate {
  std::size_t hours_before = 0;
  std::size_t hours_after = 0;
  double raw_mean_before = 0;
  double raw_mean_after = 0;
  double raw_effect_percent = 0;
  // normalised: the normalised means; counterfactual: the observed and predicted means after D
  // (before: the model's mean on its own training period).
  double normalised_mean_before = 0;
  double normalised_mean_after = 0;
  double effect_percent = 0;
  double effect_ci_low_percent = 0;
  double effect_ci_high_percent = 0;
  ModelScore score;
};

// The series must cover both sides of the intervention; throws Error(data) naming what is short
// (hours before or after, hours with weather) against settings.min_days_each_side and
// min_weather_fraction.
ImpactEstimate estimate_impact(const PollutionSeries& series, const ImpactRequest& request,
                               const AnalysisSettings& settings);

// One hour of the normalised series.
struct NormalisedHour {
  UtcSeconds hour;
  double observed = 0;
  double predicted = 0;   // the model's value with the hour's own weather
  double normalised = 0;  // the weather of the whole record averaged in
};

struct NormalisedSeries {
  std::vector<NormalisedHour> hours;  // in hour order
  ModelScore score;
};

// Trains on the whole series (less the held-out days) and normalises every hour.
NormalisedSeries normalise(const PollutionSeries& series, const AnalysisSettings& settings);

// "1.7.4": the XGBoost library this process runs with (`--version`).
std::string xgboost_library_version();

// For a model card: "xgboost 1.7.4 gbtree count:poisson", the library as this process runs it.
std::string learner_text(const ModelSettings& settings);

// Every setting that changes a figure, as "key=value" pairs separated by spaces, so that a
// stored figure can be reproduced.
std::string settings_text(const AnalysisSettings& settings);

}  // namespace meteo::analysis
