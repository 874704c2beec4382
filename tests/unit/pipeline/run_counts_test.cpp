// One counts type for every run: a run's total is the sum of its units, field by field.
#include "meteo/model/run_counts.hpp"

#include <gtest/gtest.h>

namespace meteo {
namespace {

TEST(RunCounts, SumsEveryFieldOfItsUnits) {
  RunCounts total;
  total += RunCounts{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
  total += RunCounts{10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110};
  const RunCounts expected{11, 22, 33, 44, 55, 66, 77, 88, 99, 110, 121};
  EXPECT_EQ(total.fetched, expected.fetched);
  EXPECT_EQ(total.rejected, expected.rejected);
  EXPECT_EQ(total.duplicates, expected.duplicates);
  EXPECT_EQ(total.outside, expected.outside);
  EXPECT_EQ(total.disagreements, expected.disagreements);
  EXPECT_EQ(total.stored, expected.stored);
  EXPECT_EQ(total.corrections, expected.corrections);
  EXPECT_EQ(total.unchanged, expected.unchanged);
  EXPECT_EQ(total.other_shards, expected.other_shards);
  EXPECT_EQ(total.hours_recomputed, expected.hours_recomputed);
  EXPECT_EQ(total.kept_negative, expected.kept_negative);
}

TEST(RunCounts, AnEmptyUnitChangesNothing) {
  RunCounts total{5, 0, 1, 0, 0, 4, 0, 0, 0, 2};
  total += RunCounts{};
  EXPECT_EQ(total.fetched, 5u);
  EXPECT_EQ(total.duplicates, 1u);
  EXPECT_EQ(total.stored, 4u);
  EXPECT_EQ(total.hours_recomputed, 2u);
}

}  // namespace
}  // namespace meteo
