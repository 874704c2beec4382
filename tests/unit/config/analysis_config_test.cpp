// [analysis] and [[interventions]]: the learner's settings, the window, the city's dated actions.
#include <gtest/gtest.h>

#include "config_text.hpp"

namespace meteo {
namespace {

using config_test::expect_config_error;
using config_test::parse;

TEST(AnalysisConfig, DefaultsWithoutTheTables) {
  const Config config = parse("");
  const analysis::AnalysisSettings defaults;
  EXPECT_EQ(config.analysis.model.trees, defaults.model.trees);
  EXPECT_EQ(config.analysis.normalisation.resamples, defaults.normalisation.resamples);
  EXPECT_EQ(config.analysis.min_days_each_side, defaults.min_days_each_side);
  EXPECT_EQ(config.analysis_job.before_days, 365);
  EXPECT_EQ(config.analysis_job.after_days, 365);
  EXPECT_TRUE(config.analysis_job.interventions.empty());
}

TEST(AnalysisConfig, ReadsEveryKey) {
  const Config config = parse(R"(
[analysis]
trees = 50
max_depth = 4
learning_rate = 0.1
resamples = 20
bootstrap_draws = 200
threads = 2
seed = 42
before_days = 90
after_days = 60
min_days_each_side = 14
)");
  EXPECT_EQ(config.analysis.model.trees, 50);
  EXPECT_EQ(config.analysis.model.max_depth, 4);
  EXPECT_DOUBLE_EQ(config.analysis.model.learning_rate, 0.1);
  EXPECT_EQ(config.analysis.normalisation.resamples, 20);
  EXPECT_EQ(config.analysis.interval.draws, 200);
  EXPECT_EQ(config.analysis.model.threads, 2);
  EXPECT_EQ(config.analysis.model.seed, 42u);
  EXPECT_EQ(config.analysis.min_days_each_side, 14);
  EXPECT_EQ(config.analysis_job.before_days, 90);
  EXPECT_EQ(config.analysis_job.after_days, 60);
}

TEST(AnalysisConfig, RefusesUnknownKeysAndBadValues) {
  expect_config_error("[analysis]\ntress = 3\n", "tress");
  expect_config_error("[analysis]\ntrees = 0\n", "analysis.trees");
  expect_config_error("[analysis]\nlearning_rate = 0\n", "analysis.learning_rate");
  expect_config_error("[analysis]\nlearning_rate = \"fast\"\n", "analysis.learning_rate");
  expect_config_error("[analysis]\nseed = -1\n", "analysis.seed");
  expect_config_error("[analysis]\nbefore_days = 10\nmin_days_each_side = 30\n",
                      "min_days_each_side");
}

TEST(AnalysisConfig, ReadsInterventions) {
  const Config config = parse(R"(
[[interventions]]
name = "zfe-m-phase-2"
date = "2024-03-01"
stations = ["FR50044", "FR12021"]
description = "Low-emission zone, Crit'Air 3"

[[interventions]]
name = "electric-buses"
date = 2025-01-15
)");
  const auto& interventions = config.analysis_job.interventions;
  ASSERT_EQ(interventions.size(), 2u);
  EXPECT_EQ(interventions[0].name, "zfe-m-phase-2");
  EXPECT_EQ(to_iso8601(interventions[0].date), "2024-03-01T00:00:00Z");
  EXPECT_THAT(interventions[0].station_codes, ::testing::ElementsAre("FR50044", "FR12021"));
  EXPECT_EQ(interventions[0].description, "Low-emission zone, Crit'Air 3");
  EXPECT_EQ(to_iso8601(interventions[1].date), "2025-01-15T00:00:00Z");
  EXPECT_TRUE(interventions[1].station_codes.empty()) << "no stations: all of them";
}

TEST(AnalysisConfig, RefusesBadInterventions) {
  expect_config_error("[[interventions]]\ndate = \"2024-03-01\"\n", "interventions[0].name");
  expect_config_error("[[interventions]]\nname = \"zfe phase\"\ndate = \"2024-03-01\"\n",
                      "interventions[0].name");
  expect_config_error("[[interventions]]\nname = \"zfe\"\n", "interventions[0].date");
  expect_config_error("[[interventions]]\nname = \"zfe\"\ndate = \"2024-3-1\"\n", "\"YYYY-MM-DD\"");
  expect_config_error("[[interventions]]\nname = \"zfe\"\ndate = \"2024-02-30\"\n",
                      "interventions[0].date");
  expect_config_error("[[interventions]]\nname = \"zfe\"\ndate = \"2024-03-01\"\nwhen = 1\n",
                      "when");
  expect_config_error("[[interventions]]\nname = \"zfe\"\ndate = \"2024-03-01\"\nstations = [1]\n",
                      "interventions[0].stations");
  expect_config_error(
      "[[interventions]]\nname = \"zfe\"\ndate = \"2024-03-01\"\n"
      "[[interventions]]\nname = \"zfe\"\ndate = \"2025-03-01\"\n",
      "duplicate intervention name \"zfe\"");
}

}  // namespace
}  // namespace meteo
