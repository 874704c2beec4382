// The rolling-origin backtest's bookkeeping: every candidate's forecast of one quantity and
// horizon at each origin (the issue last), the scores against persistence over the same cases,
// and the choice of the model to show.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <vector>

#include "history.hpp"

namespace meteo::forecast {

inline constexpr std::size_t kModelCount = 4;
inline constexpr std::array<Model, kModelCount> kModels = {
    Model::persistence, Model::diurnal_persistence, Model::holt_winters, Model::linear};

std::size_t model_index(Model model);

struct HorizonTrack {
  Quantity quantity = Quantity::temperature;
  int horizon_h = 0;
  HourIndex first_origin = 0;  // origin of slot 0; the last slot is the issue
  // Per origin: the target's value when it was observed by the issue time, else NaN.
  std::vector<double> truth;
  // Per model, per origin: NaN where the model had no forecast.
  std::array<std::vector<double>, kModelCount> forecasts;

  HorizonTrack(Quantity quantity, int horizon_h, HourIndex first_origin, std::size_t origins);
  double issued(Model model) const { return forecasts[model_index(model)].back(); }
};

// Each candidate's errors over the cases where it, persistence and the truth all have a value
// (the slot is never a case). Candidates without a case are left out.
std::vector<Skill> score_track(const HorizonTrack& track, const History& history);

// The candidate with the best skill among those with at least min_cases cases and a forecast at
// the issue; nothing when none qualifies, or when persistence itself has no forecast at the issue
// (nothing observed lately: the others would be stale, and their live skill unmeasurable). Ties go
// to the simpler model (kModels' order).
std::optional<Model> choose_model(const std::vector<Skill>& skill, const HorizonTrack& track,
                                  std::size_t min_cases);

}  // namespace meteo::forecast
