#include "meteo/geo/match.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "half_planes.hpp"
#include "sensor_readings.hpp"

namespace meteo {
namespace {

using testing::HalfPlanes;
using testing::reading;

TEST(MatchReadings, CountsOutsideAndLabelDisagreementsPerSet) {
  HalfPlanes planes;
  const RegionMatcher* const matchers[]{&planes};
  const std::vector<std::string> home{"France", "FR"};
  auto summary = geo::match_readings(
      {
          reading("in-fr", 1, 45, 10, "france"),  // inside, home label (any case): agrees
          reading("in-es", -1, 45, 12, "Spain"),  // inside, foreign label: disagrees
          reading("out-fr", 1, 60, 5, "FR"),      // outside, home label: disagrees
          reading("out-uk", 1, 60, 5, "UK"),      // outside, foreign label: agrees
          reading("no-label", -1, 45, 7),         // no label: says nothing
          reading("empty-label", -1, 45, 7, ""),  // empty label: says nothing
      },
      matchers, home);
  ASSERT_EQ(summary.readings.size(), 6u);
  EXPECT_EQ(summary.outside, std::vector<std::size_t>{2});
  EXPECT_EQ(summary.disagreements, std::vector<std::size_t>{2});
  EXPECT_EQ(summary.readings[0].region_index[0], std::optional<std::size_t>(1));
  EXPECT_EQ(summary.readings[1].region_index[0], std::optional<std::size_t>(0));
  EXPECT_FALSE(summary.readings[2].region_index[0].has_value());
}

}  // namespace
}  // namespace meteo
