// Normalisation after rmweather (Grange et al. 2018): one model of the pollutant on weather, time
// and a trend term; the normalised value of a day is the model's mean with that day's trend and
// the weather and time of hours drawn from the whole record. The effect of an intervention is the
// change of the normalised mean across its date (or, counterfactual, observed against a model of
// the period before). Intervals: a moving-block bootstrap over days.
#include "meteo/analysis/impact.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <sstream>

#include "bootstrap.hpp"
#include "features.hpp"
#include "meteo/core/errors.hpp"
#include "model.hpp"
#include "xgboost_handles.hpp"

namespace meteo::analysis {
namespace {

std::string date_text(UtcSeconds moment) {
  return to_iso8601(moment).substr(0, 10);
}

// The hours with a value, in order.
std::vector<std::size_t> usable_rows(const PollutionSeries& series) {
  std::vector<std::size_t> rows;
  for (std::size_t i = 0; i < series.size(); ++i) {
    if (std::isfinite(series[i].concentration)) rows.push_back(i);
  }
  return rows;
}

std::size_t count_days(const PollutionSeries& series, const std::vector<std::size_t>& rows) {
  std::size_t days = 0;
  long last = 0;
  for (std::size_t row : rows) {
    const long day = day_number(series[row].hour);
    if (days == 0 || day != last) ++days;
    last = day;
  }
  return days;
}

void require_days(std::size_t days, int needed, const std::string& where) {
  if (days < static_cast<std::size_t>(needed)) {
    throw Error(ExitCode::data, "too little history " + where + ": " + std::to_string(days) +
                                    " day(s) with values, at least " + std::to_string(needed) +
                                    " needed");
  }
}

void require_weather(const PollutionSeries& series, const std::vector<std::size_t>& rows,
                     double needed_fraction) {
  std::size_t with_weather = 0;
  for (std::size_t row : rows) {
    with_weather += !std::isnan(series[row].wind_speed) && !std::isnan(series[row].temperature);
  }
  if (rows.empty() || static_cast<double>(with_weather) < needed_fraction * rows.size()) {
    std::ostringstream message;
    message << "too few weather hours: " << with_weather << " of " << rows.size()
            << " hour(s) have the paired station's wind speed and temperature, at least "
            << static_cast<int>(std::lround(needed_fraction * 100)) << " % needed";
    throw Error(ExitCode::data, message.str());
  }
}

double mean_of(const std::vector<double>& values) {
  double sum = 0;
  for (double value : values) sum += value;
  return values.empty() ? 0 : sum / static_cast<double>(values.size());
}

double percent_change(double after, double before) {
  return 100.0 * (after / before - 1.0);
}

// The hours of `rows`, their days in order, and for each hour the index of its day.
struct DayIndex {
  std::vector<long> days;
  std::vector<std::size_t> day_of_row;
};

DayIndex index_days(const PollutionSeries& series, const std::vector<std::size_t>& rows) {
  DayIndex index;
  for (std::size_t row : rows) {
    const long day = day_number(series[row].hour);
    if (index.days.empty() || index.days.back() != day) index.days.push_back(day);
    index.day_of_row.push_back(index.days.size() - 1);
  }
  return index;
}

// Days from the first day of `rows` to the last, both counted.
long span_days(const PollutionSeries& series, const std::vector<std::size_t>& rows) {
  if (rows.empty()) return 0;
  return day_number(series[rows.back()].hour) - day_number(series[rows.front()].hour) + 1;
}

// See Season: a year's worth of days on each side where the trend is to find a change.
Season season_for(long days_each_side) {
  return days_each_side >= 365 ? Season::day_of_year : Season::weather_only;
}

// The whole record through one model with a trend, normalised day by day.
struct NormalisedRecord {
  Season season = Season::day_of_year;
  std::vector<std::size_t> rows;
  DayIndex index;
  std::vector<double> predicted;         // per row
  std::vector<double> normalised_daily;  // per day of index
  ModelScore score;
};

NormalisedRecord normalise_record(const PollutionSeries& series, std::vector<std::size_t> rows,
                                  Season season, const AnalysisSettings& settings) {
  NormalisedRecord record;
  record.season = season;
  record.rows = std::move(rows);
  record.index = index_days(series, record.rows);
  const PollutionModel model(series, record.rows, {Trend::with, season}, settings.model);
  record.score = model.score();
  record.predicted = model.predict(series, record.rows);
  record.normalised_daily = normalise_days(model, series, record.rows, record.index.days,
                                           settings.normalisation.resamples, settings.model.seed);
  return record;
}

// Cross-fitting: days go to folds in runs of block_days, so that a day's neighbours in the same
// episode are left out with it; each fold is predicted by a model trained on the others.
int fold_count(const IntervalSettings& interval) {
  return std::max(interval.folds, 2);
}

int fold_of(std::size_t day_index, const IntervalSettings& interval) {
  const auto block = static_cast<std::size_t>(std::max(interval.block_days, 1));
  return static_cast<int>((day_index / block) % static_cast<std::size_t>(fold_count(interval)));
}

// A fold's model learns from every day it may: its score is not wanted.
ModelSettings settings_without_holdout(ModelSettings settings) {
  settings.holdout_fraction = 0;
  return settings;
}

// Each row predicted (without a trend) by the model of the other folds.
std::vector<double> cross_fitted_predictions(const PollutionSeries& series,
                                             const std::vector<std::size_t>& rows, Season season,
                                             const AnalysisSettings& settings) {
  const DayIndex index = index_days(series, rows);
  std::vector<double> predicted(rows.size());
  for (int fold = 0; fold < fold_count(settings.interval); ++fold) {
    std::vector<std::size_t> training, held, held_rows;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      if (fold_of(index.day_of_row[i], settings.interval) == fold) {
        held.push_back(i);
        held_rows.push_back(rows[i]);
      } else {
        training.push_back(rows[i]);
      }
    }
    if (held.empty() || training.empty()) continue;
    const PollutionModel model(series, training, {Trend::without, season},
                               settings_without_holdout(settings.model));
    const std::vector<double> fold_predicted = model.predict(series, held_rows);
    for (std::size_t j = 0; j < held.size(); ++j) predicted[held[j]] = fold_predicted[j];
  }
  return predicted;
}

// Each hour deweathered by a model that never saw its day: observed - (predicted - normalised),
// both from the model of the other folds.
std::vector<double> cross_fitted_deweathered(const PollutionSeries& series,
                                             const NormalisedRecord& record,
                                             const AnalysisSettings& settings) {
  const ModelSettings fold_settings = settings_without_holdout(settings.model);
  std::vector<double> deweathered(record.rows.size());
  for (int fold = 0; fold < fold_count(settings.interval); ++fold) {
    std::vector<std::size_t> training, held;  // rows of the series; positions in record.rows
    std::vector<long> held_days;
    for (std::size_t i = 0; i < record.rows.size(); ++i) {
      const std::size_t day = record.index.day_of_row[i];
      if (fold_of(day, settings.interval) != fold) {
        training.push_back(record.rows[i]);
        continue;
      }
      held.push_back(i);
      if (held_days.empty() || held_days.back() != record.index.days[day]) {
        held_days.push_back(record.index.days[day]);
      }
    }
    if (held.empty() || training.empty()) continue;
    const PollutionModel model(series, training, {Trend::with, record.season}, fold_settings);
    std::vector<std::size_t> held_rows;
    for (std::size_t i : held) held_rows.push_back(record.rows[i]);
    const std::vector<double> predicted = model.predict(series, held_rows);
    const std::vector<double> normalised =
        normalise_days(model, series, record.rows, held_days, settings.normalisation.resamples,
                       settings.model.seed);
    std::size_t day_position = 0;
    for (std::size_t j = 0; j < held.size(); ++j) {
      const long day = record.index.days[record.index.day_of_row[held[j]]];
      while (held_days[day_position] != day) ++day_position;
      deweathered[held[j]] =
          series[held_rows[j]].concentration - predicted[j] + normalised[day_position];
    }
  }
  return deweathered;
}

// Bootstrap deviations of a statistic from its value on the data, turned into an interval
// around the point estimate (the basic bootstrap's shift, so the interval follows the point).
std::pair<double, double> interval_around(double point, double on_data,
                                          std::vector<double> resampled, double level) {
  for (double& value : resampled) value -= on_data;
  const auto [low, high] = percentile_interval(std::move(resampled), level);
  return {point + low, point + high};
}

std::vector<DayTotal> totals_of(const std::map<long, DayTotal>& days) {
  std::vector<DayTotal> totals;
  for (const auto& [day, total] : days) totals.push_back(total);
  return totals;
}

// The interval of an effect (sum(a.numerator) / sum(a.denominator)) against the same ratio of
// `before`, in percent: both sides' days resampled in blocks, the spread shifted to `point`.
std::pair<double, double> ratio_interval(const std::vector<DayTotal>& after,
                                         const std::vector<DayTotal>& before, double point,
                                         std::uint64_t seed, const IntervalSettings& interval) {
  const auto effect = [](DayTotal a, DayTotal b) {
    return percent_change(a.numerator / a.denominator, b.numerator / b.denominator);
  };
  std::mt19937_64 random(seed);
  std::vector<double> resampled;
  for (int draw = 0; draw < interval.draws; ++draw) {
    const DayTotal a = resample_blocks(after, interval.block_days, random);
    const DayTotal b = resample_blocks(before, interval.block_days, random);
    resampled.push_back(effect(a, b));
  }
  return interval_around(point, effect(sum_days(after), sum_days(before)), std::move(resampled),
                         interval.level);
}

ImpactEstimate normalised_effect(const PollutionSeries& series,
                                 const std::vector<std::size_t>& rows,
                                 const std::vector<std::size_t>& before_rows,
                                 const std::vector<std::size_t>& after_rows,
                                 UtcSeconds intervention, const AnalysisSettings& settings) {
  const Season season =
      season_for(std::min(span_days(series, before_rows), span_days(series, after_rows)));
  const NormalisedRecord record = normalise_record(series, rows, season, settings);
  ImpactEstimate estimate;
  estimate.score = record.score;
  // Per side: the normalised values of its hours, and per day the sum of its cross-fitted
  // deweathered hours, whose day-to-day spread is the interval's.
  const std::vector<double> deweathered = cross_fitted_deweathered(series, record, settings);
  std::vector<double> normalised_before, normalised_after;
  std::map<long, DayTotal> before_days, after_days;
  for (std::size_t i = 0; i < record.rows.size(); ++i) {
    const PollutionHour& hour = series[record.rows[i]];
    const std::size_t day = record.index.day_of_row[i];
    const double normalised = record.normalised_daily[day];
    const bool after = hour.hour >= intervention;
    (after ? normalised_after : normalised_before).push_back(normalised);
    DayTotal& total = (after ? after_days : before_days)[record.index.days[day]];
    total.numerator += deweathered[i];
    total.denominator += 1;
  }
  estimate.normalised_mean_before = mean_of(normalised_before);
  estimate.normalised_mean_after = mean_of(normalised_after);
  estimate.effect_percent =
      percent_change(estimate.normalised_mean_after, estimate.normalised_mean_before);

  std::tie(estimate.effect_ci_low_percent, estimate.effect_ci_high_percent) =
      ratio_interval(totals_of(after_days), totals_of(before_days), estimate.effect_percent,
                     settings.model.seed ^ 0xb007'57a9ULL, settings.interval);
  return estimate;
}

// Trained before D without a trend (a tree cannot extrapolate one), predicting after D with the
// observed weather: what the hours after D would have been without the change.
ImpactEstimate counterfactual_effect(const PollutionSeries& series,
                                     const std::vector<std::size_t>& before_rows,
                                     const std::vector<std::size_t>& after_rows,
                                     const AnalysisSettings& settings) {
  const Season season = season_for(span_days(series, before_rows));
  const PollutionModel model(series, before_rows, {Trend::without, season}, settings.model);
  const std::vector<double> predicted = model.predict(series, after_rows);
  ImpactEstimate estimate;
  estimate.score = model.score();
  std::map<long, DayTotal> days;
  std::vector<double> observed;
  for (std::size_t i = 0; i < after_rows.size(); ++i) {
    const PollutionHour& hour = series[after_rows[i]];
    DayTotal& total = days[day_number(hour.hour)];
    total.numerator += hour.concentration;
    total.denominator += predicted[i];
    observed.push_back(hour.concentration);
  }
  estimate.normalised_mean_before = mean_of(predicted);
  estimate.normalised_mean_after = mean_of(observed);
  estimate.effect_percent =
      percent_change(estimate.normalised_mean_after, estimate.normalised_mean_before);

  // The interval resamples the days after D and, for how well such a model predicts days it did
  // not see, the days before D against cross-fitted predictions: their ratio calibrates each draw.
  const std::vector<double> before_predicted =
      cross_fitted_predictions(series, before_rows, season, settings);
  std::map<long, DayTotal> calibration_days;
  for (std::size_t i = 0; i < before_rows.size(); ++i) {
    DayTotal& total = calibration_days[day_number(series[before_rows[i]].hour)];
    total.numerator += series[before_rows[i]].concentration;
    total.denominator += before_predicted[i];
  }
  std::tie(estimate.effect_ci_low_percent, estimate.effect_ci_high_percent) =
      ratio_interval(totals_of(days), totals_of(calibration_days), estimate.effect_percent,
                     settings.model.seed ^ 0xc0f7'57a9ULL, settings.interval);
  return estimate;
}

}  // namespace

ImpactEstimate estimate_impact(const PollutionSeries& series, const ImpactRequest& request,
                               const AnalysisSettings& settings) {
  const std::vector<std::size_t> rows = usable_rows(series);
  std::vector<std::size_t> before_rows, after_rows;
  for (std::size_t row : rows) {
    (series[row].hour < request.intervention ? before_rows : after_rows).push_back(row);
  }
  const std::string date = date_text(request.intervention);
  require_days(count_days(series, before_rows), settings.min_days_each_side, "before " + date);
  require_days(count_days(series, after_rows), settings.min_days_each_side, "after " + date);
  require_weather(series, rows, settings.min_weather_fraction);

  ImpactEstimate estimate =
      request.method == ImpactMethod::normalised
          ? normalised_effect(series, rows, before_rows, after_rows, request.intervention, settings)
          : counterfactual_effect(series, before_rows, after_rows, settings);
  std::vector<double> before, after;
  for (std::size_t row : before_rows) before.push_back(series[row].concentration);
  for (std::size_t row : after_rows) after.push_back(series[row].concentration);
  estimate.hours_before = before_rows.size();
  estimate.hours_after = after_rows.size();
  estimate.raw_mean_before = mean_of(before);
  estimate.raw_mean_after = mean_of(after);
  estimate.raw_effect_percent = percent_change(estimate.raw_mean_after, estimate.raw_mean_before);
  return estimate;
}

NormalisedSeries normalise(const PollutionSeries& series, const AnalysisSettings& settings) {
  std::vector<std::size_t> rows = usable_rows(series);
  require_days(count_days(series, rows), settings.min_days_each_side, "in the series");
  require_weather(series, rows, settings.min_weather_fraction);
  // Without a date, each season must come twice for the trend to be told from it.
  const Season season = season_for(span_days(series, rows) / 2);
  const NormalisedRecord record = normalise_record(series, std::move(rows), season, settings);
  NormalisedSeries result;
  result.score = record.score;
  result.hours.reserve(record.rows.size());
  for (std::size_t i = 0; i < record.rows.size(); ++i) {
    const PollutionHour& hour = series[record.rows[i]];
    result.hours.push_back({hour.hour, hour.concentration, record.predicted[i],
                            record.normalised_daily[record.index.day_of_row[i]]});
  }
  return result;
}

std::string xgboost_library_version() {
  return xgboost_version().substr(sizeof("xgboost"));
}

std::string learner_text(const ModelSettings& settings) {
  return xgboost_version() + " gbtree " + settings.objective;
}

std::string settings_text(const AnalysisSettings& settings) {
  std::ostringstream text;
  const ModelSettings& model = settings.model;
  text << "trees=" << model.trees << " max_depth=" << model.max_depth
       << " learning_rate=" << model.learning_rate << " subsample=" << model.subsample
       << " columns_per_split=" << model.columns_per_split
       << " separate_trend=" << (model.separate_trend ? "true" : "false")
       << " holdout_fraction=" << model.holdout_fraction << " objective=" << model.objective
       << " threads=" << model.threads << " seed=" << model.seed
       << " resamples=" << settings.normalisation.resamples
       << " bootstrap_draws=" << settings.interval.draws << " level=" << settings.interval.level
       << " block_days=" << settings.interval.block_days << " folds=" << settings.interval.folds
       << " min_days_each_side=" << settings.min_days_each_side
       << " min_weather_fraction=" << settings.min_weather_fraction;
  return text.str();
}

}  // namespace meteo::analysis
