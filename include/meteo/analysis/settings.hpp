// The analysis module's settings: the learner, the normalisation and the interval, and the
// interventions the city configured ([[interventions]]).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "meteo/core/time.hpp"

namespace meteo::analysis {

// The tree ensemble (XGBoost's boosted trees). Deterministic for a given seed and thread count.
struct ModelSettings {
  int trees = 300;
  int max_depth = 6;
  double learning_rate = 0.05;
  double subsample = 0.8;  // of the rows, per tree
  bool separate_trend = true;
  double columns_per_split = 1.0;  // share of the features each split may choose from
  double holdout_fraction = 0.2;   // of the days, kept out of training to score the model
  // XGBoost's objective. A log link ("count:poisson", "reg:tweedie") makes weather and a step
  // act as factors, as dispersion does; "reg:squarederror" adds them.
  std::string objective = "count:poisson";
  int threads = 1;
  std::uint64_t seed = 1;
};

// Meteorological normalisation: each time predicted with the weather and seasonal variables of
// `resamples` hours drawn from the whole record, the trend term kept, then averaged.
struct NormalisationSettings {
  int resamples = 300;
};

// The effect's interval: a block bootstrap over days.
struct IntervalSettings {
  int draws = 1000;
  double level = 0.95;
  int block_days = 7;  // consecutive days resampled together: pollution episodes last days
  // The days are deweathered by models that did not see them (cross-fitting, in this many
  // folds of block_days runs): a model's own days carry less noise than it would show elsewhere.
  int folds = 5;
};

enum class ImpactMethod {
  normalised,      // normalised mean after D against normalised mean before D, one model
  counterfactual,  // model trained before D, predicts after D with the observed weather
};

const char* impact_method_text(ImpactMethod method);

// A dated action of the city ([[interventions]]): a low-emission zone phase, electric buses.
struct Intervention {
  std::string name;
  UtcSeconds date;                         // midnight UTC of the day it took effect
  std::vector<std::string> station_codes;  // the air-quality stations it concerns; empty: all
  std::string description;
};

struct AnalysisSettings {
  ModelSettings model;
  NormalisationSettings normalisation;
  IntervalSettings interval;
  int min_days_each_side = 30;        // less history than this before or after D: exit 65
  double min_weather_fraction = 0.5;  // of the hours with weather; fewer: exit 65
};

}  // namespace meteo::analysis
