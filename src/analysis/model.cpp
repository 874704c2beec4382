#include "model.hpp"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <numeric>
#include <random>
#include <set>
#include <sstream>

namespace meteo::analysis {
namespace {

std::string number_text(double value) {
  std::ostringstream text;
  text << std::setprecision(6) << value;
  return text.str();
}

std::vector<std::pair<std::string, std::string>> booster_params(const ModelSettings& settings,
                                                                double mean_label) {
  return {{"booster", "gbtree"},
          {"objective", settings.objective},
          // Boosting starts from the mean, not XGBoost's 0.5: a log link would spend its first
          // trees climbing to the level.
          {"base_score", number_text(std::max(mean_label, 1e-3))},
          {"tree_method", "hist"},
          {"max_depth", std::to_string(settings.max_depth)},
          {"eta", number_text(settings.learning_rate)},
          {"subsample", number_text(settings.subsample)},
          {"colsample_bynode", number_text(settings.columns_per_split)},
          {"seed", std::to_string(settings.seed)},
          {"nthread", std::to_string(settings.threads)},
          {"verbosity", "0"}};
}

ModelScore score_of(const std::vector<float>& observed, const std::vector<double>& predicted,
                    std::size_t training_hours) {
  ModelScore score;
  score.training_hours = training_hours;
  score.holdout_hours = observed.size();
  if (observed.empty()) return score;
  const double mean =
      std::accumulate(observed.begin(), observed.end(), 0.0) / static_cast<double>(observed.size());
  double residual = 0, total = 0;
  for (std::size_t i = 0; i < observed.size(); ++i) {
    residual += (observed[i] - predicted[i]) * (observed[i] - predicted[i]);
    total += (observed[i] - mean) * (observed[i] - mean);
  }
  score.rmse = std::sqrt(residual / static_cast<double>(observed.size()));
  score.r2 = total > 0 ? 1.0 - residual / total : 0.0;
  return score;
}

}  // namespace

DaySplit split_by_day(const PollutionSeries& series, const std::vector<std::size_t>& rows,
                      double holdout_fraction, std::uint64_t seed) {
  std::vector<long> days;
  for (std::size_t row : rows) days.push_back(day_number(series[row].hour));
  days.erase(std::unique(days.begin(), days.end()), days.end());
  std::mt19937_64 random(seed ^ 0x5eed'da75ULL);
  std::shuffle(days.begin(), days.end(), random);
  std::size_t held = static_cast<std::size_t>(std::llround(holdout_fraction * days.size()));
  if (holdout_fraction > 0 && days.size() >= 2) {
    held = std::clamp<std::size_t>(held, 1, days.size() - 1);
  }
  const std::set<long> holdout_days(days.begin(), days.begin() + static_cast<long>(held));
  DaySplit split;
  for (std::size_t row : rows) {
    (holdout_days.count(day_number(series[row].hour)) ? split.holdout : split.training)
        .push_back(row);
  }
  return split;
}

PollutionModel::PollutionModel(const PollutionSeries& series, const std::vector<std::size_t>& rows,
                               Trend trend, const ModelSettings& settings)
    : trend_(trend) {
  const DaySplit split = split_by_day(series, rows, settings.holdout_fraction, settings.seed);
  std::vector<float> labels = labels_of(series, split.training);
  // A log link needs labels of at least zero: a value measured below zero (the noise of a
  // clean hour) counts as zero.
  if (settings.objective != "reg:squarederror") {
    for (float& label : labels) label = std::max(label, 0.0f);
  }
  const double mean_label =
      labels.empty() ? 0 : std::accumulate(labels.begin(), labels.end(), 0.0) / labels.size();
  const DataMatrix training(features_of(series, split.training, trend), labels);
  auto params = booster_params(settings, mean_label);
  if (trend == Trend::with && settings.separate_trend) {
    params.emplace_back("interaction_constraints", "[[9], [0, 1, 2, 3, 4, 5, 6, 7, 8]]");
  }
  booster_ = std::make_unique<Booster>(training, params, settings.trees);
  score_ = score_of(labels_of(series, split.holdout), predict(series, split.holdout),
                    split.training.size());
}

std::vector<double> PollutionModel::predict(const FeatureMatrix& features) const {
  if (features.rows() == 0) return {};
  const std::vector<float> predicted = booster_->predict(DataMatrix(features, {}));
  return std::vector<double>(predicted.begin(), predicted.end());
}

std::vector<double> PollutionModel::predict(const PollutionSeries& series,
                                            const std::vector<std::size_t>& rows) const {
  return predict(features_of(series, rows, trend_));
}

std::vector<double> normalise_days(const PollutionModel& model, const PollutionSeries& series,
                                   const std::vector<std::size_t>& record,
                                   const std::vector<long>& days, int resamples,
                                   std::uint64_t seed) {
  std::mt19937_64 random(seed ^ 0x0a0b'5eedULL);
  std::uniform_int_distribution<std::size_t> pick(0, record.size() - 1);
  std::vector<std::size_t> drawn(static_cast<std::size_t>(resamples));
  for (std::size_t& row : drawn) row = record[pick(random)];
  const FeatureMatrix weather = features_of(series, drawn, Trend::with);

  // All days in one matrix: the drawn rows repeated, the trend column set to each day in turn.
  FeatureMatrix all;
  all.columns = weather.columns;
  all.values.reserve(days.size() * weather.values.size());
  for (long day : days) {
    const std::size_t start = all.values.size();
    all.values.insert(all.values.end(), weather.values.begin(), weather.values.end());
    for (std::size_t row = 0; row < drawn.size(); ++row) {
      all.values[start + row * all.columns + column::trend_day] = static_cast<float>(day);
    }
  }
  const std::vector<double> predicted = model.predict(all);
  std::vector<double> normalised(days.size());
  for (std::size_t d = 0; d < days.size(); ++d) {
    const auto first = predicted.begin() + static_cast<long>(d * drawn.size());
    normalised[d] =
        std::accumulate(first, first + static_cast<long>(drawn.size()), 0.0) / drawn.size();
  }
  return normalised;
}

}  // namespace meteo::analysis
