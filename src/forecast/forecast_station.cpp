// One station's forecasts: every candidate at every backtest origin and at the issue, refitted
// once per backtest day on the days before it, scored against persistence; each horizon shows
// the best candidate when it beats persistence by more than min_skill.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

#include "backtest.hpp"
#include "candidates.hpp"
#include "holt_winters.hpp"
#include "linear_model.hpp"
#include "meteo/forecast/forecast.hpp"

namespace meteo::forecast {
namespace {

constexpr HourIndex kDay = 24;
// The first backtest day is fitted on at least this much: a week, after Holt-Winters' two days.
constexpr HourIndex kMinTrainingHours = 9 * kDay;
// Fewer cases than this leave a horizon without a chosen model.
constexpr std::size_t kMinHourlyCases = 24;
constexpr std::size_t kMinDailyCases = 5;
// The daily model learns from a few dozen days: its slopes are pulled towards persistence.
constexpr double kDailyRidge = 1.0;

// Where the backtest stands in the History: its origins, and its refits at each day's first.
struct Plan {
  HourIndex issue = 0;
  HourIndex first_origin = 0;  // the issue when there is no backtest
  HourIndex training_hours = 0;
  int horizons = 0;

  std::size_t origins() const { return static_cast<std::size_t>(issue - first_origin + 1); }
  std::size_t slot(HourIndex origin) const {
    return static_cast<std::size_t>(origin - first_origin);
  }
  // The refit points: each backtest day's first origin, and the issue.
  std::vector<HourIndex> refits() const {
    std::vector<HourIndex> points;
    for (HourIndex refit = first_origin; refit <= issue; refit += kDay) {
      points.push_back(refit);
    }
    return points;
  }
  // The origins a refit's model forecasts from: its day's, the issue's alone for the issue.
  HourIndex block_end(HourIndex refit) const { return std::min(refit + kDay, issue + 1); }
  HourIndex training_start(HourIndex refit) const {
    return std::max<HourIndex>(0, refit - training_hours);
  }
};

Pressure pressure_columns_for(const History& history) {
  const auto observed = std::count_if(history.pressure.begin(), history.pressure.end(),
                                      [](double value) { return !std::isnan(value); });
  return 2 * static_cast<std::size_t>(observed) >= history.pressure.size() ? Pressure::with
                                                                           : Pressure::without;
}

void fill_reference_candidates(const History& history, const Plan& plan,
                               std::vector<HorizonTrack>& hourly) {
  for (HourIndex origin = plan.first_origin; origin <= plan.issue; ++origin) {
    const double latest = persistence(history, origin);
    for (auto& track : hourly) {
      const std::size_t slot = plan.slot(origin);
      track.truth[slot] = history.temperature_at(origin + track.horizon_h);
      track.forecasts[model_index(Model::persistence)][slot] = latest;
      track.forecasts[model_index(Model::diurnal_persistence)][slot] =
          diurnal_persistence(history, origin, track.horizon_h);
    }
  }
}

// Holt-Winters: one filter pass per parameter set over the whole History; at each refit, the set
// with the least squared error over the training stretch's origins whose targets it has seen.
void fill_holt_winters(const History& history, const Plan& plan,
                       std::vector<HorizonTrack>& hourly) {
  const auto grid = holt_winters_grid();
  const auto horizons = static_cast<std::size_t>(plan.horizons);
  const std::size_t hours = history.temperature.size();
  std::vector<std::vector<double>> forecasts;
  std::vector<std::vector<double>> cumulative_error;  // [set][t + 1]: errors of origins < t + 1
  for (const auto& parameters : grid) {
    forecasts.push_back(holt_winters_forecasts(history.temperature, 0, parameters, plan.horizons));
    const auto& path = forecasts.back();
    std::vector<double> cumulative(hours + 1, 0.0);
    for (std::size_t origin = 0; origin < hours; ++origin) {
      double error = 0;
      for (std::size_t h = 1; h <= horizons; ++h) {
        const double truth = history.temperature_at(static_cast<HourIndex>(origin + h));
        const double forecast = path[origin * horizons + h - 1];
        if (!std::isnan(truth) && !std::isnan(forecast)) {
          error += (forecast - truth) * (forecast - truth);
        }
      }
      cumulative[origin + 1] = cumulative[origin] + error;
    }
    cumulative_error.push_back(std::move(cumulative));
  }
  for (const HourIndex refit : plan.refits()) {
    // Origins whose every target is at or before the refit; the filter's first two days excluded.
    const HourIndex first = std::max<HourIndex>(plan.training_start(refit),
                                                static_cast<HourIndex>(kHoltWintersWarmupHours));
    const HourIndex last = refit - plan.horizons;  // inclusive
    if (last < first) {
      continue;
    }
    std::size_t best = 0;
    double best_error = std::numeric_limits<double>::infinity();
    for (std::size_t set = 0; set < grid.size(); ++set) {
      const auto& cumulative = cumulative_error[set];
      const double error = cumulative[static_cast<std::size_t>(last) + 1] -
                           cumulative[static_cast<std::size_t>(first)];
      if (error < best_error) {
        best_error = error;
        best = set;
      }
    }
    for (HourIndex origin = refit; origin < plan.block_end(refit); ++origin) {
      for (auto& track : hourly) {
        track.forecasts[model_index(Model::holt_winters)][plan.slot(origin)] =
            forecasts[best][static_cast<std::size_t>(origin) * horizons +
                            static_cast<std::size_t>(track.horizon_h) - 1];
      }
    }
  }
}

// The linear model, one per horizon, refitted at each refit on the training stretch's origins
// whose targets it has seen.
void fill_linear(const History& history, const Plan& plan, Pressure pressure,
                 std::vector<HorizonTrack>& hourly) {
  const int columns = hourly_columns(pressure);
  const auto width = static_cast<std::size_t>(columns);
  const auto hours = static_cast<std::size_t>(plan.issue + 1);
  std::vector<double> features(hours * width);
  std::vector<char> complete(hours);
  for (auto& track : hourly) {
    Design design{columns, {}, {}, {}};
    design.rows.reserve(hours * width);
    for (std::size_t origin = 0; origin < hours; ++origin) {
      const auto at = static_cast<HourIndex>(origin);
      double* row = &features[origin * width];
      complete[origin] = hourly_features(history, at, track.horizon_h, pressure, row);
      const double target = hourly_target(history, at, track.horizon_h);
      if (complete[origin] && !std::isnan(target)) {
        design.add(row, target);
      } else {
        design.skip();
      }
    }
    for (const HourIndex refit : plan.refits()) {
      const auto fit =
          fit_least_squares(design, static_cast<std::size_t>(plan.training_start(refit)),
                            static_cast<std::size_t>(refit - track.horizon_h + 1));
      if (!fit) {
        continue;
      }
      for (HourIndex origin = refit; origin < plan.block_end(refit); ++origin) {
        const auto index = static_cast<std::size_t>(origin);
        if (complete[index]) {
          track.forecasts[model_index(Model::linear)][plan.slot(origin)] =
              history.temperature_at(origin) + predict(*fit, &features[index * width]);
        }
      }
    }
  }
}

// Tomorrow's maximum, forecast at each refit (the issue's hour of each backtest day): the last
// complete day's maximum, and the daily linear model fitted on the same hour of the days before
// whose tomorrow was complete by the refit.
void fill_day_maximum(const History& history, const Plan& plan, Pressure pressure,
                      HorizonTrack& track) {
  const int columns = daily_columns(pressure);
  std::vector<double> row(static_cast<std::size_t>(columns));
  for (const HourIndex refit : plan.refits()) {
    const std::size_t slot = plan.slot(refit);
    track.truth[slot] = day_maximum(history, tomorrow_start(history, refit), plan.issue);
    track.forecasts[model_index(Model::persistence)][slot] =
        persistence_day_maximum(history, refit);
    Design design{columns, {}, {}, {}};
    for (HourIndex origin = refit - kDay; origin >= plan.training_start(refit); origin -= kDay) {
      const double target = daily_target(history, origin, refit);
      if (!std::isnan(target) && daily_features(history, origin, pressure, row.data())) {
        design.add(row.data(), target);
      }
    }
    const auto fit = fit_least_squares(design, 0, design.size(), kDailyRidge);
    if (fit && daily_features(history, refit, pressure, row.data())) {
      track.forecasts[model_index(Model::linear)][slot] =
          persistence_day_maximum(history, refit) + predict(*fit, row.data());
    }
  }
}

Plan plan_for(const History& history, const ForecastSettings& settings) {
  Plan plan;
  plan.issue = history.issue();
  plan.horizons = std::max(0, settings.max_horizon_h);  // 0: tomorrow's maximum only
  plan.training_hours = std::max<HourIndex>(kDay, settings.training_days * kDay);
  const HourIndex backtest_days = std::clamp<HourIndex>((plan.issue - kMinTrainingHours) / kDay, 0,
                                                        std::max(0, settings.backtest_days));
  plan.first_origin = plan.issue - backtest_days * kDay;
  return plan;
}

void add_forecasts(const HorizonTrack& track, UtcSeconds issued_at, UtcSeconds target_time,
                   std::optional<Model> chosen, double chosen_skill, double min_skill,
                   StationForecast& result) {
  for (const Model model : kModels) {
    const double value = track.issued(model);
    if (std::isnan(value)) {
      continue;
    }
    Forecast forecast;
    forecast.quantity = track.quantity;
    forecast.target_time = target_time;
    forecast.horizon_h = static_cast<int>(
        std::chrono::duration_cast<std::chrono::hours>(target_time - issued_at).count());
    forecast.model = model;
    forecast.value = value;
    forecast.shown = chosen == model && chosen_skill > min_skill;
    result.forecasts.push_back(forecast);
  }
}

void conclude(const HorizonTrack& track, const History& history, std::size_t min_cases,
              UtcSeconds target_time, const ForecastSettings& settings, StationForecast& result) {
  const auto skill = score_track(track, history);
  const auto chosen = choose_model(skill, track, min_cases);
  double chosen_skill = 0;
  for (const Skill& score : skill) {
    if (chosen == score.model) {
      chosen_skill = score.skill_vs_persistence;
    }
  }
  add_forecasts(track, result.issued_at, target_time, chosen, chosen_skill, settings.min_skill,
                result);
  result.skill.insert(result.skill.end(), skill.begin(), skill.end());
}

}  // namespace

// The backtest's first training stretch and Holt-Winters' initialisation.
int history_days(const ForecastSettings& settings) {
  return std::max(settings.min_history_days,
                  std::max(0, settings.backtest_days) + std::max(1, settings.training_days) + 3);
}

std::optional<StationForecast> forecast_station(const HourlySeries& series, UtcSeconds issued_at,
                                                const ForecastSettings& settings) {
  // Everything below reads this copy, which ends at the issue hour and starts where
  // history_days says, whatever the series holds.
  const auto needed_days = static_cast<std::size_t>(history_days(settings));
  const History history = history_up_to(series, issued_at, needed_days * kDay);
  if (history.temperature.empty() ||
      observed_hours(history) <
          static_cast<std::size_t>(std::max(0, settings.min_history_days)) * kDay) {
    return std::nullopt;
  }
  const Plan plan = plan_for(history, settings);
  const Pressure pressure = pressure_columns_for(history);

  std::vector<HorizonTrack> hourly;
  for (int h = 1; h <= plan.horizons; ++h) {
    hourly.emplace_back(Quantity::temperature, h, plan.first_origin, plan.origins());
  }
  fill_reference_candidates(history, plan, hourly);
  if (!hourly.empty()) {
    fill_holt_winters(history, plan, hourly);
  }
  fill_linear(history, plan, pressure, hourly);
  HorizonTrack daily(Quantity::day_maximum, 0, plan.first_origin, plan.origins());
  fill_day_maximum(history, plan, pressure, daily);

  StationForecast result;
  result.issued_at = history.time_of(plan.issue);
  for (const auto& track : hourly) {
    conclude(track, history, kMinHourlyCases,
             result.issued_at + std::chrono::hours(track.horizon_h), settings, result);
  }
  daily.horizon_h = static_cast<int>(tomorrow_start(history, plan.issue) - plan.issue);
  conclude(daily, history, kMinDailyCases, history.time_of(tomorrow_start(history, plan.issue)),
           settings, result);
  return result;
}

}  // namespace meteo::forecast
