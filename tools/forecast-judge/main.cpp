// meteo-forecast-judge: the temperature forecast judged out of sample on synthetic station weather.
// For each seed, a series of --days days; forecasts are issued every --issue-every hours over its
// last --judged-days days, each seeing only the hours before it, and compared with what followed.
// Prints per horizon the shown model's MAE (persistence's where none is shown: what a reader would
// fall back on), persistence's MAE, the skill averaged over seeds, and the share of issues per
// shown model; then the cost: forecast_station over --stations stations' 60-day series, timed
// --timings times. Exits 1 when the skill at 3 h or 6 h is 0.1 or less, 0 otherwise.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "meteo/forecast/forecast.hpp"
#include "synthetic_weather.hpp"

namespace {

using meteo::forecast::ForecastSettings;
using meteo::forecast::Model;
using meteo::forecast::Quantity;

constexpr std::array<Model, 4> kModels = {Model::persistence, Model::diurnal_persistence,
                                          Model::holt_winters, Model::linear};

struct Options {
  int seeds = 10;
  int first_seed = 1;
  int days = 400;
  int judged_days = 182;
  int issue_every = 5;
  int stations = 50;
  int cost_days = 60;
  int timings = 5;
  bool without_pressure = false;  // stations without a barometer
  ForecastSettings settings;
};

// The errors of one horizon over one seed's issues.
struct Tally {
  double shown_error = 0;
  double persistence_error = 0;
  std::size_t cases = 0;
  std::array<std::size_t, 4> shown_by_model{};  // persistence's slot: nothing shown
  // Each candidate's errors over the cases where every candidate had a forecast.
  std::array<double, 4> candidate_error{};
  std::size_t common_cases = 0;
};

double day_maximum(const meteo::forecast::HourlySeries& series, std::size_t first) {
  double maximum = -1e9;
  int observed = 0;
  for (std::size_t hour = first; hour < first + 24 && hour < series.temperature.size(); ++hour) {
    if (!std::isnan(series.temperature[hour])) {
      maximum = std::max(maximum, series.temperature[hour]);
      ++observed;
    }
  }
  return observed >= 20 ? maximum : meteo::forecast::kMissing;
}

// Index 0..max_horizon_h - 1: the hourly horizons; the last: tomorrow's maximum.
std::vector<Tally> judge_seed(const Options& options, int seed) {
  meteo::synthetic::WeatherSpec spec;
  spec.start = meteo::parse_hour("2024-01-01T00");
  spec.days = options.days;
  spec.seed = static_cast<std::uint64_t>(seed);
  spec.with_pressure = !options.without_pressure;
  const auto series = meteo::synthetic::generate_weather(spec);
  const int horizons = options.settings.max_horizon_h;
  std::vector<Tally> tallies(static_cast<std::size_t>(horizons) + 1);
  const std::size_t hours = series.temperature.size();
  const std::size_t first_issue = hours - static_cast<std::size_t>(options.judged_days) * 24;
  for (std::size_t issue = first_issue; issue + 48 < hours;
       issue += static_cast<std::size_t>(options.issue_every)) {
    const auto issued_at = series.first_hour + std::chrono::hours(issue);
    const auto result = meteo::forecast::forecast_station(series, issued_at, options.settings);
    if (!result) {
      continue;
    }
    for (std::size_t slot = 0; slot < tallies.size(); ++slot) {
      const bool daily = slot == static_cast<std::size_t>(horizons);
      const Quantity quantity = daily ? Quantity::day_maximum : Quantity::temperature;
      double truth = 0;
      if (daily) {
        truth = day_maximum(series, issue - issue % 24 + 24);
      } else {
        truth = series.temperature[issue + slot + 1];
      }
      double shown = meteo::forecast::kMissing, reference = meteo::forecast::kMissing;
      std::array<double, 4> by_model;
      by_model.fill(meteo::forecast::kMissing);
      Model shown_model = Model::persistence;
      for (const auto& forecast : result->forecasts) {
        if (forecast.quantity != quantity ||
            (!daily && forecast.horizon_h != static_cast<int>(slot) + 1)) {
          continue;
        }
        if (forecast.model == Model::persistence) {
          reference = forecast.value;
        }
        if (forecast.shown) {
          shown = forecast.value;
          shown_model = forecast.model;
        }
        by_model[static_cast<std::size_t>(forecast.model)] = forecast.value;
      }
      if (std::isnan(shown)) {
        shown = reference;
      }
      if (std::isnan(truth) || std::isnan(reference)) {
        continue;
      }
      Tally& tally = tallies[slot];
      tally.shown_error += std::fabs(shown - truth);
      tally.persistence_error += std::fabs(reference - truth);
      ++tally.cases;
      ++tally.shown_by_model[static_cast<std::size_t>(shown_model)];
      // Tomorrow's maximum has two candidates only: persistence and linear.
      const bool every_candidate = std::all_of(kModels.begin(), kModels.end(), [&](Model model) {
        const bool offered = !daily || model == Model::persistence || model == Model::linear;
        return !offered || !std::isnan(by_model[static_cast<std::size_t>(model)]);
      });
      if (every_candidate) {
        for (std::size_t m = 0; m < kModels.size(); ++m) {
          if (!std::isnan(by_model[m])) {
            tally.candidate_error[m] += std::fabs(by_model[m] - truth);
          }
        }
        ++tally.common_cases;
      }
    }
  }
  return tallies;
}

double skill_of(const Tally& tally) {
  return tally.persistence_error > 0 ? 1 - tally.shown_error / tally.persistence_error : 0;
}

// Each candidate alone, over the cases where all had a forecast: what the choice adds.
void print_candidates(const std::vector<Tally>& total, int horizons) {
  std::printf("\nEach candidate alone, over the cases where all had a forecast (MAE °C):\n\n");
  std::printf("| horizon | cases | persistence | diurnal | holt_winters | linear |\n");
  std::printf("|---|---:|---:|---:|---:|---:|\n");
  for (std::size_t slot = 0; slot < total.size(); ++slot) {
    const Tally& tally = total[slot];
    const double cases = static_cast<double>(std::max<std::size_t>(1, tally.common_cases));
    const bool daily = slot == static_cast<std::size_t>(horizons);
    char diurnal[32] = "-", holt_winters[32] = "-";
    if (!daily) {
      std::snprintf(diurnal, sizeof diurnal, "%.2f", tally.candidate_error[1] / cases);
      std::snprintf(holt_winters, sizeof holt_winters, "%.2f", tally.candidate_error[2] / cases);
    }
    const std::string label = daily ? "tomorrow's max" : std::to_string(slot + 1) + " h";
    std::printf("| %s | %zu | %.2f | %s | %s | %.2f |\n", label.c_str(), tally.common_cases,
                tally.candidate_error[0] / cases, diurnal, holt_winters,
                tally.candidate_error[3] / cases);
  }
}

// Seconds for forecasting every station once, timed `timings` times.
std::vector<double> time_stations(const Options& options) {
  std::vector<meteo::forecast::HourlySeries> stations;
  for (int station = 0; station < options.stations; ++station) {
    meteo::synthetic::WeatherSpec spec;
    spec.start = meteo::parse_hour("2024-03-01T00");
    spec.days = options.cost_days;
    spec.seed = static_cast<std::uint64_t>(100000 + station);
    stations.push_back(meteo::synthetic::generate_weather(spec));
  }
  std::vector<double> seconds;
  std::size_t forecasts = 0;
  for (int round = 0; round < options.timings; ++round) {
    const auto started = std::chrono::steady_clock::now();
    for (const auto& series : stations) {
      const auto issued_at = series.first_hour + std::chrono::hours(series.temperature.size() - 1);
      const auto result = meteo::forecast::forecast_station(series, issued_at, options.settings);
      forecasts += result ? result->forecasts.size() : 0;
    }
    seconds.push_back(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  }
  if (forecasts == 0) {
    std::fprintf(stderr, "no station was forecast: the cost is not the forecast's\n");
  }
  return seconds;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  CLI::App app{"Judges meteo-etl's temperature forecast on synthetic station weather"};
  app.add_option("--seeds", options.seeds, "how many series")->check(CLI::PositiveNumber);
  app.add_option("--first-seed", options.first_seed, "the first series' seed");
  app.add_option("--days", options.days, "days of each series")->check(CLI::Range(60, 5000));
  app.add_option("--judged-days", options.judged_days, "the last days, where forecasts are issued")
      ->check(CLI::Range(2, 5000));
  app.add_option("--issue-every", options.issue_every, "hours between two issues")
      ->check(CLI::PositiveNumber);
  app.add_option("--stations", options.stations, "stations timed for the cost")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--cost-days", options.cost_days, "days of each timed station's series")
      ->check(CLI::Range(1, 5000));
  app.add_flag("--without-pressure", options.without_pressure,
               "judged stations have no barometer (pressure all missing)");
  app.add_option("--timings", options.timings, "times the stations are timed")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--backtest-days", options.settings.backtest_days, "[forecast] backtest_days");
  app.add_option("--training-days", options.settings.training_days, "[forecast] training_days");
  app.add_option("--min-skill", options.settings.min_skill, "[forecast] min_skill");
  CLI11_PARSE(app, argc, argv);
  if (options.judged_days + 30 > options.days) {
    std::fprintf(stderr, "--judged-days must leave at least 30 days of history before it\n");
    return 64;
  }

  const int horizons = options.settings.max_horizon_h;
  std::vector<Tally> total(static_cast<std::size_t>(horizons) + 1);
  std::vector<double> skill_sum(total.size(), 0.0);
  std::printf(
      "| seed | skill 1 h | skill 3 h | skill 6 h | skill max |\n|---:|---:|---:|---:|---:|\n");
  for (int i = 0; i < options.seeds; ++i) {
    const int seed = options.first_seed + i;
    const auto tallies = judge_seed(options, seed);
    for (std::size_t slot = 0; slot < tallies.size(); ++slot) {
      total[slot].shown_error += tallies[slot].shown_error;
      total[slot].persistence_error += tallies[slot].persistence_error;
      total[slot].cases += tallies[slot].cases;
      for (std::size_t m = 0; m < kModels.size(); ++m) {
        total[slot].shown_by_model[m] += tallies[slot].shown_by_model[m];
        total[slot].candidate_error[m] += tallies[slot].candidate_error[m];
      }
      total[slot].common_cases += tallies[slot].common_cases;
      skill_sum[slot] += skill_of(tallies[slot]);
    }
    std::printf("| %d | %.3f | %.3f | %.3f | %.3f |\n", seed, skill_of(tallies[0]),
                skill_of(tallies[std::min(2, horizons - 1)]),
                skill_of(tallies[std::min(5, horizons - 1)]), skill_of(tallies.back()));
    std::fflush(stdout);
  }

  std::printf(
      "\n| horizon | cases | shown MAE °C | persistence MAE °C | skill | none shown %% |"
      " diurnal %% | holt_winters %% | linear %% |\n");
  std::printf("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  for (std::size_t slot = 0; slot < total.size(); ++slot) {
    const Tally& tally = total[slot];
    const double cases = static_cast<double>(std::max<std::size_t>(1, tally.cases));
    const std::string label = slot == static_cast<std::size_t>(horizons)
                                  ? "tomorrow's max"
                                  : std::to_string(slot + 1) + " h";
    std::printf("| %s | %zu | %.2f | %.2f | %.3f | %.0f | %.0f | %.0f | %.0f |\n", label.c_str(),
                tally.cases, tally.shown_error / cases, tally.persistence_error / cases,
                skill_sum[slot] / options.seeds, 100.0 * tally.shown_by_model[0] / cases,
                100.0 * tally.shown_by_model[1] / cases, 100.0 * tally.shown_by_model[2] / cases,
                100.0 * tally.shown_by_model[3] / cases);
  }
  print_candidates(total, horizons);
  std::printf(
      "\n%d seed(s) of %d days, issued every %d h over the last %d days; skill: 1 - MAE / "
      "persistence's MAE, averaged over seeds\n",
      options.seeds, options.days, options.issue_every, options.judged_days);

  if (options.timings > 0 && options.stations > 0) {
    auto seconds = time_stations(options);
    std::sort(seconds.begin(), seconds.end());
    const double median = seconds[seconds.size() / 2];
    std::printf(
        "cost: forecast_station for %d stations of %d days: median %.3f s (%.3f to %.3f s, "
        "%d timings), %.1f ms per station\n",
        options.stations, options.cost_days, median, seconds.front(), seconds.back(),
        options.timings, 1000 * median / options.stations);
  }
  const double skill_3h =
      skill_sum[static_cast<std::size_t>(std::min(2, horizons - 1))] / options.seeds;
  const double skill_6h =
      skill_sum[static_cast<std::size_t>(std::min(5, horizons - 1))] / options.seeds;
  const bool judged = skill_3h > 0.1 && skill_6h > 0.1;
  std::printf("verdict: %s (skill %.3f at 3 h, %.3f at 6 h; the goal: above 0.1 at both)\n",
              judged ? "holds" : "FAILS", skill_3h, skill_6h);
  return judged ? 0 : 1;
}
