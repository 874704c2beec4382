// The moving-block bootstrap over days: pollution has episodes of several days, so days are
// resampled in runs of consecutive days to keep that dependence in each resample.
#pragma once

#include <random>
#include <utility>
#include <vector>

namespace meteo::analysis {

// One day's contribution to a ratio: sum(numerator) / sum(denominator) over the days kept.
struct DayTotal {
  double numerator = 0;
  double denominator = 0;
};

DayTotal sum_days(const std::vector<DayTotal>& days);

// A resample of as many days as `days` holds, in blocks of `block_days` consecutive ones (fewer
// days than a block: one block of them all), summed.
DayTotal resample_blocks(const std::vector<DayTotal>& days, int block_days,
                         std::mt19937_64& random);

// The two-sided interval of `level` of the samples (linear interpolation between order
// statistics). Throws Error(software) when there are none.
std::pair<double, double> percentile_interval(std::vector<double> samples, double level);

}  // namespace meteo::analysis
