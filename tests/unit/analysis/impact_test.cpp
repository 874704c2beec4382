// The analysis on synthetic series whose step is known (tools/impact-judge/synthetic_series).
#include "meteo/analysis/impact.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <set>

#include "meteo/core/errors.hpp"
#include "synthetic_series.hpp"

namespace meteo::analysis {
namespace {

using ::testing::HasSubstr;

// Lighter than the defaults, so that a test takes seconds; still the judged method.
AnalysisSettings quick_settings() {
  AnalysisSettings settings;
  settings.model.trees = 120;
  settings.model.learning_rate = 0.1;
  settings.normalisation.resamples = 100;
  settings.interval.draws = 300;
  return settings;
}

synthetic::SyntheticSeries two_years(std::uint64_t seed, double step) {
  synthetic::SeriesSpec spec;
  spec.start = parse_hour("2023-01-01T00");
  spec.step = step;
  spec.seed = seed;
  return synthetic::generate_series(spec);
}

ExitCode code_of(const std::function<void()>& action, std::string& message) {
  try {
    action();
  } catch (const Error& error) {
    message = error.what();
    return error.code();
  }
  return ExitCode::ok;
}

TEST(Impact, NormalisedEffectFindsTheStepThatTheWindierAfterPeriodExaggerates) {
  const auto generated = two_years(4, -0.25);
  const ImpactEstimate estimate = estimate_impact(
      generated.series, {generated.step_date, ImpactMethod::normalised}, quick_settings());
  EXPECT_NEAR(estimate.effect_percent, -25.0, 5.0);
  EXPECT_LE(estimate.effect_ci_low_percent, estimate.effect_percent);
  EXPECT_GE(estimate.effect_ci_high_percent, estimate.effect_percent);
  EXPECT_LT(estimate.raw_effect_percent, -30.0) << "the generator's windier period";
  EXPECT_GT(std::fabs(estimate.raw_effect_percent + 25.0),
            std::fabs(estimate.effect_percent + 25.0));
  EXPECT_GT(estimate.score.r2, 0.6);
  EXPECT_GT(estimate.score.holdout_hours, 0u);
  EXPECT_EQ(estimate.hours_before + estimate.hours_after, generated.series.size());
}

TEST(Impact, CounterfactualEffectComparesTheObservedWithTheModelOfTheBeforePeriod) {
  const auto generated = two_years(5, -0.20);
  const ImpactEstimate estimate = estimate_impact(
      generated.series, {generated.step_date, ImpactMethod::counterfactual}, quick_settings());
  EXPECT_NEAR(estimate.effect_percent, -20.0, 6.0);
  EXPECT_LT(estimate.effect_ci_low_percent, estimate.effect_ci_high_percent);
  // Counterfactual: "before" is the modelled after period without the change, "after" observed.
  EXPECT_NEAR(estimate.normalised_mean_after, estimate.raw_mean_after, 1e-9);
}

TEST(Impact, TheSameSeedGivesTheSameFigures) {
  const auto generated = two_years(6, -0.15);
  AnalysisSettings settings = quick_settings();
  settings.model.trees = 40;
  const ImpactRequest request{generated.step_date, ImpactMethod::normalised};
  const ImpactEstimate first = estimate_impact(generated.series, request, settings);
  const ImpactEstimate second = estimate_impact(generated.series, request, settings);
  EXPECT_EQ(first.effect_percent, second.effect_percent);
  EXPECT_EQ(first.effect_ci_low_percent, second.effect_ci_low_percent);
  EXPECT_EQ(first.effect_ci_high_percent, second.effect_ci_high_percent);
  EXPECT_EQ(first.score.r2, second.score.r2);
}

TEST(Impact, TooLittleHistoryOnEitherSideIsADataError) {
  const auto generated = two_years(7, -0.2);
  std::string message;
  const UtcSeconds too_early = parse_hour("2023-01-20T00");
  EXPECT_EQ(
      code_of([&] { estimate_impact(generated.series, {too_early}, quick_settings()); }, message),
      ExitCode::data);
  EXPECT_THAT(message, HasSubstr("before 2023-01-20"));
  EXPECT_THAT(message, HasSubstr("19 day(s)"));
  const UtcSeconds too_late = parse_hour("2024-12-25T00");
  EXPECT_EQ(
      code_of([&] { estimate_impact(generated.series, {too_late}, quick_settings()); }, message),
      ExitCode::data);
  EXPECT_THAT(message, HasSubstr("after 2024-12-25"));
}

TEST(Impact, TooFewWeatherHoursIsADataError) {
  auto generated = two_years(8, -0.2);
  for (std::size_t i = 0; i < generated.series.size(); i += 3) {
    generated.series[i].wind_speed = kMissing;
  }
  for (std::size_t i = 1; i < generated.series.size(); i += 3) {
    generated.series[i].temperature = kMissing;
  }
  std::string message;
  EXPECT_EQ(
      code_of([&] { estimate_impact(generated.series, {generated.step_date}, quick_settings()); },
              message),
      ExitCode::data);
  EXPECT_THAT(message, HasSubstr("too few weather hours"));
  EXPECT_THAT(message, HasSubstr("at least 50 %"));
}

TEST(Impact, NormalisedSeriesKeepsEveryHourAndOneValuePerDay) {
  const auto generated = two_years(9, -0.2);
  AnalysisSettings settings = quick_settings();
  settings.model.trees = 60;
  const NormalisedSeries normalised = normalise(generated.series, settings);
  ASSERT_EQ(normalised.hours.size(), generated.series.size());
  double observed = 0, modelled = 0;
  for (std::size_t i = 1; i < normalised.hours.size(); ++i) {
    const NormalisedHour& hour = normalised.hours[i];
    const NormalisedHour& previous = normalised.hours[i - 1];
    EXPECT_EQ(hour.hour, generated.series[i].hour);
    if (std::chrono::floor<std::chrono::days>(hour.hour) ==
        std::chrono::floor<std::chrono::days>(previous.hour)) {
      ASSERT_EQ(hour.normalised, previous.normalised) << to_iso8601(hour.hour);
    }
    observed += hour.observed;
    modelled += hour.normalised;
  }
  EXPECT_NEAR(modelled / observed, 1.0, 0.1) << "the normalised level is the observed level";
  EXPECT_GT(normalised.score.r2, 0.5);
}

TEST(Impact, NormaliseNeedsEnoughDays) {
  auto generated = two_years(10, -0.2);
  generated.series.resize(24 * 10);
  std::string message;
  EXPECT_EQ(code_of([&] { normalise(generated.series, quick_settings()); }, message),
            ExitCode::data);
  EXPECT_THAT(message, HasSubstr("in the series: 11 day(s) with values, at least 30 needed"));
}

}  // namespace
}  // namespace meteo::analysis
