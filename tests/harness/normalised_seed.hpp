// Rows of migration 0007 (model cards, daily normalised series, intervention effects) put in a
// test database with plain SQL: the analysis's own writer is not what these tests are about.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "meteo/store/database.hpp"

namespace meteo::testing {

struct NormalisedDaySeed {
  std::string day;  // "2026-03-01"
  double observed = 0, predicted = 0, normalised = 0;
  int hours = 24;
};

struct NormalisedModelSeed {
  std::string source = "atmo", station_code, pollutant = "NO2";
  std::string weather_source = "toulouse", weather_dataset = "01-meteopole";
  std::string learner = "xgboost 1.7.4 gbtree", parameters = "trees=300 max_depth=6";
  std::uint64_t seed = 1;
  int threads = 1;
  std::string training_from = "2026-01-01 00:00:00", training_to = "2026-05-01 00:00:00";
  std::int64_t training_hours = 2000, holdout_hours = 500;
  double r2 = 0.7, rmse_ugm3 = 8;
  std::vector<NormalisedDaySeed> days;  // resolution 'day'
  int hourly_rows = 0;                  // 'hour' rows before the first day, to be ignored
};

struct EffectSeed {
  std::string source = "atmo", station_code, pollutant = "NO2", intervention;
  std::string date = "2026-03-01 00:00:00";
  std::string method = "normalised";
  double raw_effect = 0, effect = 0, ci_low = 0, ci_high = 0;
};

// Inserts the card, then its rows; then the effects (each needs its card).
void seed_normalised(Database& db, const std::vector<NormalisedModelSeed>& models,
                     const std::vector<EffectSeed>& effects = {});

}  // namespace meteo::testing
