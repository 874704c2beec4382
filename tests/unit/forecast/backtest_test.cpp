// The backtest's scores and choice on hand-made tracks: skill over the cases persistence shares,
// the issue's slot never scored, the choice needing cases and a forecast at the issue.
#include "backtest.hpp"

#include <gtest/gtest.h>

#include "series_builder.hpp"

namespace meteo::forecast {
namespace {

using testing::history_of;
using testing::series_of;

// Five origins (the last is the issue); truth 10 everywhere it is known.
HorizonTrack track_of(const std::vector<double>& persistence_values,
                      const std::vector<double>& linear_values) {
  HorizonTrack track(Quantity::temperature, 3, 40, persistence_values.size());
  for (std::size_t slot = 0; slot + 1 < persistence_values.size(); ++slot) {
    track.truth[slot] = 10;
  }
  track.forecasts[model_index(Model::persistence)] = persistence_values;
  track.forecasts[model_index(Model::linear)] = linear_values;
  return track;
}

const Skill* find(const std::vector<Skill>& skill, Model model) {
  for (const Skill& score : skill) {
    if (score.model == model) {
      return &score;
    }
  }
  return nullptr;
}

TEST(Backtest, SkillIsOverTheCasesPersistenceShares) {
  const History history = history_of(series_of(72, [](std::size_t) { return 0.0; }));
  // Slot 2: linear has no forecast, so persistence's big error there is not held against it.
  const auto track = track_of({12, 8, 30, 11, 9}, {11, 9, kMissing, 10.5, 1e9});
  const auto skill = score_track(track, history);
  const Skill* linear = find(skill, Model::linear);
  const Skill* persistence = find(skill, Model::persistence);
  ASSERT_TRUE(linear && persistence);
  EXPECT_EQ(linear->cases, 3u);  // the issue's slot (1e9) is never a case
  EXPECT_DOUBLE_EQ(linear->mae, 2.5 / 3);
  EXPECT_DOUBLE_EQ(linear->skill_vs_persistence, 1 - 2.5 / 5.0);
  EXPECT_EQ(persistence->cases, 4u);
  EXPECT_DOUBLE_EQ(persistence->skill_vs_persistence, 0);
  EXPECT_EQ(linear->window_start, history.time_of(40));
  EXPECT_EQ(linear->window_end, history.time_of(43));
  EXPECT_EQ(find(skill, Model::holt_winters), nullptr);  // no case, no row
  EXPECT_EQ(choose_model(skill, track, 3), Model::linear);
  EXPECT_EQ(choose_model(skill, track, 4), Model::persistence);  // linear has too few cases
}

TEST(Backtest, NoForecastAtTheIssueMeansNotChosen) {
  const History history = history_of(series_of(72, [](std::size_t) { return 0.0; }));
  const auto track = track_of({12, 8, 30, 11, 9}, {11, 9, 10, 10.5, kMissing});
  EXPECT_EQ(choose_model(score_track(track, history), track, 1), Model::persistence);
  const auto silent = track_of({12, 8, 30, 11, kMissing}, {11, 9, 10, 10.5, 10});
  EXPECT_EQ(choose_model(score_track(silent, history), silent, 1), std::nullopt);
}

}  // namespace
}  // namespace meteo::forecast
