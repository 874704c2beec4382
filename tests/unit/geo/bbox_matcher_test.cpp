#include <gtest/gtest.h>

#include <optional>
#include <vector>

#include "geo_test_support.hpp"
#include "meteo/geo/regions.hpp"

namespace meteo {
namespace {

using geo_test::make_region;
using geo_test::ordinal_of;
using geo_test::rectangle_geojson;

std::unique_ptr<RegionMatcher> bbox_matcher(const std::vector<Region>& regions) {
  return make_region_matcher(regions, MatchingMode::bbox);
}

TEST(GeoBboxMatcher, BoundingBoxSpansEveryPartOfTheContour) {
  const Region region = make_region(
      "M", R"({"type":"MultiPolygon","coordinates":[[[[0,1],[2,1],[2,3],[0,1]]],)"
           R"([[[-4,-2],[5.5,-2],[5.5,0],[-4,-2]],[[0,-1.5],[1,-1.5],[1,-1],[0,-1.5]]]]})");
  const BoundingBox box = bounding_box_of(region);
  EXPECT_EQ(box.min_lon, -4);
  EXPECT_EQ(box.min_lat, -2);
  EXPECT_EQ(box.max_lon, 5.5);
  EXPECT_EQ(box.max_lat, 3);
}

TEST(GeoBboxMatcher, BoundingBoxOfAContourWithoutCoordinatesIsAnError) {
  geo_test::expect_data_error(
      [] { bounding_box_of(make_region("E", R"({"type":"Polygon","coordinates":[]})")); },
      {"region \"E\": geometry has no coordinates"});
  geo_test::expect_data_error([] { bounding_box_of(make_region("J", "{not json")); },
                              {"region \"J\": geometry is not a JSON object"});
}

TEST(GeoBboxMatcher, FirstRectangleInSourceOrderWins) {
  const std::vector<Region> regions{make_region("A", rectangle_geojson(0, 0, 2, 2)),
                                    make_region("B", rectangle_geojson(1, 1, 3, 3))};
  const auto matcher = bbox_matcher(regions);
  EXPECT_EQ(matcher->match(1.5, 1.5), 0u);  // in both
  EXPECT_EQ(matcher->match(2.5, 2.5), 1u);  // in B only
  EXPECT_EQ(matcher->match(0.5, 2.5), std::nullopt);

  const std::vector<Region> reversed{regions[1], regions[0]};
  EXPECT_EQ(bbox_matcher(reversed)->match(1.5, 1.5), 0u);  // now B, first in that order
  EXPECT_EQ(reversed[0].code, "B");
}

TEST(GeoBboxMatcher, EdgesAndCornersAreInclusive) {
  const std::vector<Region> regions{make_region("A", rectangle_geojson(0, 0, 2, 2)),
                                    make_region("B", rectangle_geojson(2, 0, 4, 2))};
  const auto matcher = bbox_matcher(regions);
  EXPECT_EQ(matcher->match(2, 1), 0u);  // A's east edge is B's west edge: A comes first
  EXPECT_EQ(matcher->match(4, 2), 1u);  // B's north-east corner
  EXPECT_EQ(matcher->match(0, 0), 0u);
  EXPECT_EQ(matcher->match(4.0000001, 1), std::nullopt);
  EXPECT_EQ(matcher->match(1, -0.0000001), std::nullopt);
}

TEST(GeoBboxMatcher, RealRegionsOverlapAndTheEarlierOneWins) {
  METEO_SKIP_WITHOUT_SHARED_DATA(geo_test::kRegions);
  const std::vector<Region> regions = geo_test::france_regions();
  const std::size_t occitanie = ordinal_of(regions, "76");
  const double lon = 1.444, lat = 43.604;  // Toulouse
  ASSERT_TRUE(bounding_box_of(regions[occitanie]).contains(lon, lat));
  std::optional<std::size_t> first_containing;
  for (std::size_t ordinal = 0; ordinal < occitanie && !first_containing; ++ordinal) {
    if (bounding_box_of(regions[ordinal]).contains(lon, lat)) first_containing = ordinal;
  }
  ASSERT_TRUE(first_containing.has_value()) << "Toulouse should also be in an earlier region's box";

  EXPECT_EQ(bbox_matcher(regions)->match(lon, lat), first_containing);
  EXPECT_EQ(make_region_matcher(regions, MatchingMode::polygon)->match(lon, lat), occitanie);
}

TEST(GeoBboxMatcher, LeavesPointsOutsideEveryRectangleUnmatched) {
  METEO_SKIP_WITHOUT_SHARED_DATA(geo_test::kRegions);
  const std::vector<Region> regions = geo_test::france_regions();
  const auto matcher = bbox_matcher(regions);
  EXPECT_EQ(matcher->match(-0.1276, 51.5072), std::nullopt);  // London
  EXPECT_EQ(matcher->match(-8.0, 46.0), std::nullopt);        // far out in the Atlantic
  EXPECT_EQ(bbox_matcher({})->match(2.35, 48.85), std::nullopt);
}

}  // namespace
}  // namespace meteo
