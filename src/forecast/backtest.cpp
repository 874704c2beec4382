#include "backtest.hpp"

#include <cmath>

namespace meteo::forecast {

std::size_t model_index(Model model) {
  return static_cast<std::size_t>(model);
}

HorizonTrack::HorizonTrack(Quantity quantity, int horizon_h, HourIndex first_origin,
                           std::size_t origins)
    : quantity(quantity),
      horizon_h(horizon_h),
      first_origin(first_origin),
      truth(origins, kMissing) {
  for (auto& values : forecasts) {
    values.assign(origins, kMissing);
  }
}

std::vector<Skill> score_track(const HorizonTrack& track, const History& history) {
  std::vector<Skill> scores;
  const auto& reference = track.forecasts[model_index(Model::persistence)];
  const std::size_t scored = track.truth.empty() ? 0 : track.truth.size() - 1;
  for (const Model model : kModels) {
    const auto& forecasts = track.forecasts[model_index(model)];
    double absolute = 0, squared = 0, reference_absolute = 0;
    std::size_t cases = 0, first = 0, last = 0;
    for (std::size_t slot = 0; slot < scored; ++slot) {
      const double truth = track.truth[slot];
      if (std::isnan(truth) || std::isnan(forecasts[slot]) || std::isnan(reference[slot])) {
        continue;
      }
      const double error = forecasts[slot] - truth;
      absolute += std::fabs(error);
      squared += error * error;
      reference_absolute += std::fabs(reference[slot] - truth);
      if (cases == 0) {
        first = slot;
      }
      last = slot;
      ++cases;
    }
    if (cases == 0) {
      continue;
    }
    Skill skill;
    skill.quantity = track.quantity;
    skill.horizon_h = track.horizon_h;
    skill.model = model;
    skill.mae = absolute / static_cast<double>(cases);
    skill.rmse = std::sqrt(squared / static_cast<double>(cases));
    skill.skill_vs_persistence = reference_absolute > 0 ? 1 - absolute / reference_absolute : 0;
    skill.cases = cases;
    skill.window_start = history.time_of(track.first_origin + static_cast<HourIndex>(first));
    skill.window_end = history.time_of(track.first_origin + static_cast<HourIndex>(last));
    scores.push_back(skill);
  }
  return scores;
}

std::optional<Model> choose_model(const std::vector<Skill>& skill, const HorizonTrack& track,
                                  std::size_t min_cases) {
  std::optional<Model> best;
  if (std::isnan(track.issued(Model::persistence))) {
    return best;  // the station has been silent for hours: any other forecast would be stale
  }
  double best_skill = 0;
  for (const Skill& score : skill) {
    if (score.cases < min_cases || std::isnan(track.issued(score.model))) {
      continue;
    }
    if (!best || score.skill_vs_persistence > best_skill) {
      best = score.model;
      best_skill = score.skill_vs_persistence;
    }
  }
  return best;
}

}  // namespace meteo::forecast
