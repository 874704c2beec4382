// The tree ensemble: pollutant ~ weather + time (+ trend), trained on whole days of a series with
// a share of the days held out to score it.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "features.hpp"
#include "meteo/analysis/impact.hpp"
#include "meteo/analysis/settings.hpp"

namespace meteo::analysis {

struct DaySplit {
  std::vector<std::size_t> training;
  std::vector<std::size_t> holdout;
};

// Whole days held out, drawn with the seed: neighbouring hours of one day are too alike for an
// hour held out to test anything. With a share above zero, at least one day stays on each side
// when there are two.
DaySplit split_by_day(const PollutionSeries& series, const std::vector<std::size_t>& rows,
                      double holdout_fraction, std::uint64_t seed);

class PollutionModel {
 public:
  // Trains on `rows` of the series less the held-out days, then scores on those.
  PollutionModel(const PollutionSeries& series, const std::vector<std::size_t>& rows, Trend trend,
                 const ModelSettings& settings);

  std::vector<double> predict(const FeatureMatrix& features) const;
  std::vector<double> predict(const PollutionSeries& series,
                              const std::vector<std::size_t>& rows) const;
  const ModelScore& score() const { return score_; }
  Trend trend() const { return trend_; }

 private:
  Trend trend_;
  std::unique_ptr<Booster> booster_;
  ModelScore score_;
};

// Each day's normalised value: the mean prediction, the trend set to that day, over `resamples`
// hours drawn (with the seed) from `record`, whose other features they keep. The draws are the same
// for every day, so two days differ only by their trend.
std::vector<double> normalise_days(const PollutionModel& model, const PollutionSeries& series,
                                   const std::vector<std::size_t>& record,
                                   const std::vector<long>& days, int resamples,
                                   std::uint64_t seed);

}  // namespace meteo::analysis
