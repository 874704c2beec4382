// meteo-impact-judge: the impact analysis judged on synthetic series with a known step. For each
// seed: the truth, the raw before/after difference, the estimate and its interval, the time
// taken; then the verdict of issue #18 (mean absolute error within 5 points, the interval covering
// the truth in at least 80 % of seeds, the raw difference further off than the estimate in every
// seed). Exits 0 when all three hold, 1 otherwise.
#include <CLI/CLI.hpp>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <string>

#include "meteo/analysis/impact.hpp"
#include "synthetic_series.hpp"

namespace {

using meteo::analysis::AnalysisSettings;
using meteo::analysis::ImpactMethod;

struct Options {
  int seeds = 20;
  int first_seed = 1;
  int days_before = 365;
  int days_after = 365;
  double windier_after = 1.35;
  std::string method = "normalised";
  AnalysisSettings settings;
};

// The step of a seed: -10 % to -30 %, so that no single size is tuned for.
double step_of(int seed) {
  return -0.10 - 0.01 * ((seed * 13) % 21);
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  CLI::App app{"Judges meteo-etl's impact analysis on synthetic series with a known step"};
  app.add_option("--seeds", options.seeds, "how many series")->check(CLI::PositiveNumber);
  app.add_option("--first-seed", options.first_seed, "the first series' seed");
  app.add_option("--days-before", options.days_before, "days before the step");
  app.add_option("--days-after", options.days_after, "days from the step on");
  app.add_option("--windier-after", options.windier_after, "wind speed after the step, times");
  app.add_option("--method", options.method, "normalised or counterfactual")
      ->check(CLI::IsMember({"normalised", "counterfactual"}));
  app.add_option("--trees", options.settings.model.trees, "trees of the ensemble");
  app.add_option("--resamples", options.settings.normalisation.resamples, "weather draws");
  app.add_option("--draws", options.settings.interval.draws, "bootstrap draws");
  app.add_option("--objective", options.settings.model.objective, "XGBoost's objective");
  app.add_option("--eta", options.settings.model.learning_rate, "learning rate");
  app.add_option("--depth", options.settings.model.max_depth, "tree depth");
  app.add_option("--columns", options.settings.model.columns_per_split, "colsample_bynode");
  app.add_option("--separate-trend", options.settings.model.separate_trend, "constraint");
  app.add_option("--threads", options.settings.model.threads, "learner threads");
  CLI11_PARSE(app, argc, argv);

  const meteo::analysis::ImpactRequest base{
      {}, options.method == "normalised" ? ImpactMethod::normalised : ImpactMethod::counterfactual};
  std::printf(
      "| seed | truth %% | raw %% | estimate %% | 95 %% interval | covered | R² | seconds |\n");
  std::printf("|---:|---:|---:|---:|---|---|---:|---:|\n");
  double total_error = 0, total_raw_error = 0;
  int covered = 0, raw_worse = 0;
  double total_seconds = 0;
  for (int i = 0; i < options.seeds; ++i) {
    const int seed = options.first_seed + i;
    meteo::synthetic::SeriesSpec spec;
    spec.start = meteo::parse_hour("2023-01-01T00");
    spec.days_before = options.days_before;
    spec.days_after = options.days_after;
    spec.windier_after = options.windier_after;
    spec.step = step_of(seed);
    spec.seed = static_cast<std::uint64_t>(seed);
    const auto generated = meteo::synthetic::generate_series(spec);
    AnalysisSettings settings = options.settings;
    settings.model.seed = static_cast<std::uint64_t>(seed);
    auto request = base;
    request.intervention = generated.step_date;

    const auto started = std::chrono::steady_clock::now();
    const auto estimate = meteo::analysis::estimate_impact(generated.series, request, settings);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

    const double truth = generated.true_effect_percent;
    const double error = std::fabs(estimate.effect_percent - truth);
    const double raw_error = std::fabs(estimate.raw_effect_percent - truth);
    const bool inside =
        estimate.effect_ci_low_percent <= truth && truth <= estimate.effect_ci_high_percent;
    total_error += error;
    total_raw_error += raw_error;
    covered += inside;
    raw_worse += raw_error > error;
    total_seconds += seconds;
    std::printf("| %d | %.1f | %.1f | %.1f | [%.1f, %.1f] | %s | %.2f | %.1f |\n", seed, truth,
                estimate.raw_effect_percent, estimate.effect_percent,
                estimate.effect_ci_low_percent, estimate.effect_ci_high_percent,
                inside ? "yes" : "no", estimate.score.r2, seconds);
    std::fflush(stdout);
  }
  const double mean_error = total_error / options.seeds;
  const double coverage = 100.0 * covered / options.seeds;
  std::printf("\n%s method, %d seed(s), %d days before and %d after, wind x%.2f after:\n",
              options.method.c_str(), options.seeds, options.days_before, options.days_after,
              options.windier_after);
  std::printf("- mean absolute error %.2f points (raw difference: %.2f)\n", mean_error,
              total_raw_error / options.seeds);
  std::printf("- interval covers the truth in %d of %d seeds (%.0f %%)\n", covered, options.seeds,
              coverage);
  std::printf("- raw difference further off than the estimate in %d of %d seeds\n", raw_worse,
              options.seeds);
  std::printf("- %.1f s per series on average\n", total_seconds / options.seeds);
  const bool judged = mean_error <= 5.0 && coverage >= 80.0 && raw_worse == options.seeds;
  std::printf("verdict: %s\n", judged ? "holds" : "FAILS");
  return judged ? 0 : 1;
}
