#include "bootstrap.hpp"

#include <gtest/gtest.h>

#include "meteo/core/errors.hpp"

namespace meteo::analysis {
namespace {

TEST(Bootstrap, AResampleHasAsManyDaysAsTheSample) {
  std::vector<DayTotal> days(10, DayTotal{2.0, 1.0});
  std::mt19937_64 random(3);
  for (int block : {1, 3, 7, 10, 30}) {
    const DayTotal total = resample_blocks(days, block, random);
    EXPECT_DOUBLE_EQ(total.denominator, 10.0) << "block " << block;
    EXPECT_DOUBLE_EQ(total.numerator, 20.0) << "block " << block;
  }
}

TEST(Bootstrap, BlocksKeepConsecutiveDaysTogether) {
  // Days alternate 0 and 1: blocks of two always hold one of each, so every resample of an even
  // count of days sums to half of it.
  std::vector<DayTotal> days;
  for (int i = 0; i < 20; ++i) days.push_back({static_cast<double>(i % 2), 1.0});
  std::mt19937_64 random(5);
  for (int draw = 0; draw < 50; ++draw) {
    EXPECT_DOUBLE_EQ(resample_blocks(days, 2, random).numerator, 10.0);
  }
}

TEST(Bootstrap, PercentileIntervalInterpolatesBetweenOrderStatistics) {
  std::vector<double> samples;
  for (int i = 100; i >= 0; --i) samples.push_back(i);  // 0..100, unsorted
  const auto [low, high] = percentile_interval(samples, 0.95);
  EXPECT_NEAR(low, 2.5, 1e-9);
  EXPECT_NEAR(high, 97.5, 1e-9);
}

TEST(Bootstrap, NoSamplesIsABug) {
  try {
    percentile_interval({}, 0.95);
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ExitCode::software);
  }
}

TEST(Bootstrap, SumOfDaysAddsBothParts) {
  const DayTotal total = sum_days({{1, 2}, {3, 4}});
  EXPECT_DOUBLE_EQ(total.numerator, 4);
  EXPECT_DOUBLE_EQ(total.denominator, 6);
}

}  // namespace
}  // namespace meteo::analysis
