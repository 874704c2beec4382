// The sensor path's three steps over one small payload: later wins by id (sources), matching
// (geo), then the sums per region (aggregate).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "half_planes.hpp"
#include "meteo/aggregate/temperature_sum.hpp"
#include "meteo/geo/match.hpp"
#include "meteo/sources/sensor/latest_occurrences.hpp"
#include "sensor_readings.hpp"

namespace meteo {
namespace {

using testing::HalfPlanes;
using testing::reading;

TEST(SumByRegion, MeanIsOverDistinctReadingsOfTheRegion) {
  HalfPlanes planes;
  const RegionMatcher* const matchers[]{&planes};
  std::vector<SensorReading> readings{reading("a", 1, 45, 10), reading("b", 2, 45, 13),
                                      reading("a", 1, 45, 16), reading("c", -1, 45, -4),
                                      reading("d", 1, 70, 99)};
  keep_latest_per_id(readings);
  const auto summary = geo::match_readings(std::move(readings), matchers, {});
  const auto sums = sum_by_region(summary.readings, 0, 2);
  ASSERT_EQ(sums.size(), 2u);
  EXPECT_EQ(sums[0].count(), 1u);
  EXPECT_DOUBLE_EQ(*sums[0].mean(), -4.0);
  EXPECT_EQ(sums[1].count(), 2u);  // "a" counted once, with its later value; "d" is outside
  EXPECT_DOUBLE_EQ(*sums[1].mean(), (16.0 + 13.0) / 2);
}

}  // namespace
}  // namespace meteo
