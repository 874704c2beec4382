#include <geos_c.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iostream>
#include <iterator>
#include <limits>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <set>
#include <utility>
#include <vector>

#include "geo_test_support.hpp"
#include "meteo/geo/regions.hpp"

namespace meteo {
namespace {

using geo_test::make_region;
using geo_test::ordinal_of;
using geo_test::rectangle_geojson;
using nlohmann::json;
using Vertex = std::pair<double, double>;

std::unique_ptr<RegionMatcher> polygon_matcher(const std::vector<Region>& regions) {
  return make_region_matcher(regions, MatchingMode::polygon);
}

std::optional<std::string> matched_code(const std::vector<Region>& regions,
                                        const RegionMatcher& matcher, double lon, double lat) {
  const std::optional<std::size_t> ordinal = matcher.match(lon, lat);
  if (!ordinal) return std::nullopt;
  return regions.at(*ordinal).code;
}

void collect_vertices(const json& coordinates, std::set<Vertex>& vertices) {
  if (coordinates.is_array() && !coordinates.empty() && coordinates[0].is_number()) {
    vertices.emplace(coordinates[0].get<double>(), coordinates[1].get<double>());
    return;
  }
  for (const json& element : coordinates) collect_vertices(element, vertices);
}

std::set<Vertex> vertices_of(const Region& region) {
  std::set<Vertex> vertices;
  collect_vertices(json::parse(region.geometry_geojson).at("coordinates"), vertices);
  return vertices;
}

// A vertex of both regions' contours that no other region's contour has (not a tripoint).
std::optional<Vertex> vertex_shared_only_by(const std::vector<Region>& regions, std::size_t first,
                                            std::size_t second) {
  const std::set<Vertex> in_first = vertices_of(regions[first]);
  const std::set<Vertex> in_second = vertices_of(regions[second]);
  std::vector<Vertex> shared;
  std::set_intersection(in_first.begin(), in_first.end(), in_second.begin(), in_second.end(),
                        std::back_inserter(shared));
  for (std::size_t other = 0; other < regions.size(); ++other) {
    if (other == first || other == second) continue;
    const std::set<Vertex> in_other = vertices_of(regions[other]);
    std::erase_if(shared, [&](const Vertex& vertex) { return in_other.contains(vertex); });
  }
  if (shared.empty()) return std::nullopt;
  return shared[shared.size() / 2];  // away from either end of the common border
}

TEST(GeoPolygonMatcher, MatchesFrenchCitiesToTheirRegions) {
  METEO_SKIP_WITHOUT_SHARED_DATA(geo_test::kRegions);
  const std::vector<Region> regions = geo_test::france_regions();
  const auto matcher = polygon_matcher(regions);
  EXPECT_EQ(matched_code(regions, *matcher, 1.444, 43.604), "76");    // Toulouse, Occitanie
  EXPECT_EQ(matched_code(regions, *matcher, -4.486, 48.390), "53");   // Brest, Bretagne
  EXPECT_EQ(matched_code(regions, *matcher, 8.738, 41.919), "94");    // Ajaccio, Corse
  EXPECT_EQ(matched_code(regions, *matcher, 4.8357, 45.7640), "84");  // Lyon
  EXPECT_EQ(matched_code(regions, *matcher, 7.7521, 48.5734), "44");  // Strasbourg, Grand Est
}

TEST(GeoPolygonMatcher, ParisNameRoundTripsInUtf8) {
  METEO_SKIP_WITHOUT_SHARED_DATA(geo_test::kRegions);
  const std::vector<Region> regions = geo_test::france_regions();
  const std::optional<std::size_t> paris = polygon_matcher(regions)->match(2.3522, 48.8566);
  ASSERT_TRUE(paris.has_value());
  EXPECT_EQ(regions[*paris].code, "11");
  EXPECT_EQ(regions[*paris].name, geo_test::kIleDeFrance);
}

TEST(GeoPolygonMatcher, LeavesPointsOutsideFranceUnmatched) {
  METEO_SKIP_WITHOUT_SHARED_DATA(geo_test::kRegions);
  const std::vector<Region> regions = geo_test::france_regions();
  const auto matcher = polygon_matcher(regions);
  EXPECT_EQ(matcher->match(6.143, 46.204), std::nullopt);     // Geneva
  EXPECT_EQ(matcher->match(2.173, 41.385), std::nullopt);     // Barcelona
  EXPECT_EQ(matcher->match(-5.0, 46.0), std::nullopt);        // Bay of Biscay
  EXPECT_EQ(matcher->match(-0.1276, 51.5072), std::nullopt);  // London
}

TEST(GeoPolygonMatcher, SharedBorderVertexGoesToTheFirstRegionInSourceOrder) {
  METEO_SKIP_WITHOUT_SHARED_DATA(geo_test::kRegions);
  const std::vector<Region> regions = geo_test::france_regions();
  const std::size_t nouvelle_aquitaine = ordinal_of(regions, "75");
  const std::size_t occitanie = ordinal_of(regions, "76");
  ASSERT_LT(nouvelle_aquitaine, occitanie);
  const std::optional<Vertex> border =
      vertex_shared_only_by(regions, nouvelle_aquitaine, occitanie);
  ASSERT_TRUE(border.has_value()) << "the two contours share no vertex";
  const auto [lon, lat] = *border;
  EXPECT_EQ(polygon_matcher(regions)->match(lon, lat), nouvelle_aquitaine);

  const std::vector<Region> reversed(regions.rbegin(), regions.rend());
  EXPECT_EQ(matched_code(reversed, *polygon_matcher(reversed), lon, lat), "76");
}

TEST(GeoPolygonMatcher, CoversTheEdgesAndCornersOfASquare) {
  const std::vector<Region> regions{make_region("S", rectangle_geojson(0, 0, 2, 2))};
  const auto matcher = polygon_matcher(regions);
  EXPECT_EQ(matcher->match(1, 1), 0u);
  EXPECT_EQ(matcher->match(2, 1), 0u);  // on the east edge
  EXPECT_EQ(matcher->match(1, 0), 0u);  // on the south edge
  EXPECT_EQ(matcher->match(0, 2), 0u);  // a corner
  EXPECT_EQ(matcher->match(2.000001, 1), std::nullopt);
  EXPECT_EQ(matcher->match(-1, -1), std::nullopt);
}

TEST(GeoPolygonMatcher, SharedEdgeOfSyntheticSquaresGoesToTheFirst) {
  const std::string west = rectangle_geojson(0, 0, 1, 1);
  const std::string east = rectangle_geojson(1, 0, 2, 1);
  const std::vector<Region> west_first{make_region("W", west), make_region("E", east)};
  const std::vector<Region> east_first{make_region("E", east), make_region("W", west)};
  EXPECT_EQ(matched_code(west_first, *polygon_matcher(west_first), 1, 0.5), "W");
  EXPECT_EQ(matched_code(east_first, *polygon_matcher(east_first), 1, 0.5), "E");
  EXPECT_EQ(matched_code(west_first, *polygon_matcher(west_first), 1.5, 0.5), "E");
}

TEST(GeoPolygonMatcher, OverlappingRegionsGoToTheFirstInSourceOrder) {
  const std::vector<Region> regions{make_region("SMALL", rectangle_geojson(1, 1, 2, 2)),
                                    make_region("BIG", rectangle_geojson(0, 0, 10, 10))};
  const auto matcher = polygon_matcher(regions);
  EXPECT_EQ(matcher->match(1.5, 1.5), 0u);
  EXPECT_EQ(matcher->match(5, 5), 1u);
}

TEST(GeoPolygonMatcher, HolesAreOutsideButTheirRimIsCovered) {
  const std::string with_hole =
      R"({"type":"Polygon","coordinates":[[[0,0],[4,0],[4,4],[0,4],[0,0]],)"
      R"([[1,1],[1,3],[3,3],[3,1],[1,1]]]})";
  const std::vector<Region> regions{make_region("H", with_hole)};
  const auto matcher = polygon_matcher(regions);
  EXPECT_EQ(matcher->match(2, 2), std::nullopt);
  EXPECT_EQ(matcher->match(1, 2), 0u);
  EXPECT_EQ(matcher->match(0.5, 0.5), 0u);
}

TEST(GeoPolygonMatcher, MatchesEveryPartOfAMultiPolygon) {
  const std::string islands =
      R"({"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,1],[0,0]]],)"
      R"([[[5,5],[6,5],[6,6],[5,6],[5,5]]]]})";
  const std::vector<Region> regions{make_region("M", islands)};
  const auto matcher = polygon_matcher(regions);
  EXPECT_EQ(matcher->match(0.5, 0.5), 0u);
  EXPECT_EQ(matcher->match(5.5, 5.5), 0u);
  EXPECT_EQ(matcher->match(3, 3), std::nullopt);  // inside the envelope, between the parts
}

TEST(GeoPolygonMatcher, RepairsASelfIntersectingContour) {
  // A bow tie: two triangles meeting at (1, 1), invalid as one ring.
  const std::string bow_tie =
      R"({"type":"Polygon","coordinates":[[[0,0],[2,2],[2,0],[0,2],[0,0]]]})";
  const std::vector<Region> regions{make_region("B", bow_tie)};
  const auto matcher = polygon_matcher(regions);
  EXPECT_EQ(matcher->match(0.5, 1), 0u);
  EXPECT_EQ(matcher->match(1.5, 1), 0u);
  EXPECT_EQ(matcher->match(1, 0.5), std::nullopt);
}

TEST(GeoPolygonMatcher, RepairsARingWithACollapsedSpike) {
  // The spike out to (3, 1) has no area: the repaired contour keeps only the square.
  const std::string spiked =
      R"({"type":"Polygon","coordinates":[[[0,0],[2,0],[2,1],[3,1],[2,1],[2,2],[0,2],[0,0]]]})";
  const std::vector<Region> regions{make_region("S", spiked)};
  const auto matcher = polygon_matcher(regions);
  EXPECT_EQ(matcher->match(1, 1), 0u);
  EXPECT_EQ(matcher->match(2, 0.5), 0u);
  EXPECT_EQ(matcher->match(1, 3), std::nullopt);
  EXPECT_EQ(matcher->match(2.5, 1), std::nullopt);  // on the collapsed spike
}

TEST(GeoPolygonMatcher, LeavesNonFiniteCoordinatesUnmatched) {
  const std::vector<Region> regions{make_region("S", rectangle_geojson(-10, -10, 10, 10))};
  for (const MatchingMode mode : {MatchingMode::polygon, MatchingMode::bbox}) {
    const auto matcher = make_region_matcher(regions, mode);
    EXPECT_EQ(matcher->match(std::nan(""), 0), std::nullopt);
    EXPECT_EQ(matcher->match(0, std::numeric_limits<double>::infinity()), std::nullopt);
    EXPECT_EQ(matcher->match(-std::numeric_limits<double>::infinity(), 0), std::nullopt);
  }
}

TEST(GeoPolygonMatcher, MatchesNothingWithoutRegions) {
  EXPECT_EQ(polygon_matcher({})->match(2.35, 48.85), std::nullopt);
}

TEST(GeoPolygonMatcher, RejectsAGeometryGeosCannotRead) {
  const std::vector<Region> regions{make_region("A", rectangle_geojson(0, 0, 1, 1)),
                                    make_region("B", R"({"type":"Polygon","coordinates":"x"})")};
  geo_test::expect_data_error([&] { polygon_matcher(regions); },
                              {R"(region 1 (code "B"): GEOS cannot read the geometry)"});
}

// References computed straight from GEOS on unprepared geometries, without an index: the plain
// covers test, and (much faster for many points) one overlay of each contour with all the points.
class UnpreparedReference {
 public:
  explicit UnpreparedReference(const std::vector<Region>& regions) {
    GEOSGeoJSONReader* reader = GEOSGeoJSONReader_create_r(context());
    for (const Region& region : regions) {
      contours_.push_back(
          GEOSGeoJSONReader_readGeometry_r(context(), reader, region.geometry_geojson.c_str()));
    }
    GEOSGeoJSONReader_destroy_r(context(), reader);
  }
  ~UnpreparedReference() {
    for (GEOSGeometry* contour : contours_) GEOSGeom_destroy_r(context(), contour);
  }
  UnpreparedReference(const UnpreparedReference&) = delete;
  UnpreparedReference& operator=(const UnpreparedReference&) = delete;

  bool all_valid() const {
    return std::all_of(contours_.begin(), contours_.end(), [&](const GEOSGeometry* contour) {
      return contour != nullptr && GEOSisValid_r(context(), contour) == 1;
    });
  }

  // The first region in source order whose contour covers the point, by GEOSCovers_r.
  std::optional<std::size_t> covering(double lon, double lat) const {
    GEOSGeometry* point = GEOSGeom_createPointFromXY_r(context(), lon, lat);
    std::optional<std::size_t> found;
    for (std::size_t ordinal = 0; ordinal < contours_.size() && !found; ++ordinal) {
      if (GEOSCovers_r(context(), contours_[ordinal], point) == 1) found = ordinal;
    }
    GEOSGeom_destroy_r(context(), point);
    return found;
  }

  // The same answer for every point at once: the points a contour's intersection with the whole
  // point set keeps are those it covers (overlay copies point coordinates exactly).
  std::vector<std::optional<std::size_t>> covering_each(const std::vector<Vertex>& points) const {
    std::vector<GEOSGeometry*> geometries;
    for (const auto& [lon, lat] : points) {
      geometries.push_back(GEOSGeom_createPointFromXY_r(context(), lon, lat));
    }
    GEOSGeometry* point_set = GEOSGeom_createCollection_r(
        context(), GEOS_MULTIPOINT, geometries.data(), static_cast<unsigned>(geometries.size()));
    std::vector<std::set<Vertex>> covered_by_region;
    for (const GEOSGeometry* contour : contours_) {
      GEOSGeometry* kept = GEOSIntersection_r(context(), contour, point_set);
      covered_by_region.push_back(coordinates_of(kept));
      GEOSGeom_destroy_r(context(), kept);
    }
    GEOSGeom_destroy_r(context(), point_set);

    std::vector<std::optional<std::size_t>> answers(points.size());
    for (std::size_t index = 0; index < points.size(); ++index) {
      for (std::size_t ordinal = 0; ordinal < contours_.size() && !answers[index]; ++ordinal) {
        if (covered_by_region[ordinal].contains(points[index])) answers[index] = ordinal;
      }
    }
    return answers;
  }

 private:
  GEOSContextHandle_t context() const { return context_.get(); }

  std::set<Vertex> coordinates_of(const GEOSGeometry* points) const {
    std::set<Vertex> coordinates;
    const int count =
        GEOSisEmpty_r(context(), points) == 1 ? 0 : GEOSGetNumGeometries_r(context(), points);
    for (int index = 0; index < count; ++index) {
      const GEOSGeometry* point = GEOSGetGeometryN_r(context(), points, index);
      double lon = 0, lat = 0;
      GEOSGeomGetX_r(context(), point, &lon);
      GEOSGeomGetY_r(context(), point, &lat);
      coordinates.emplace(lon, lat);
    }
    return coordinates;
  }

  std::unique_ptr<GEOSContextHandle_HS, decltype(&GEOS_finish_r)> context_{GEOS_init_r(),
                                                                           &GEOS_finish_r};
  std::vector<GEOSGeometry*> contours_;
};

// Pseudo-random points over metropolitan France's bounding rectangle, the same on every run.
std::vector<Vertex> random_points_over_france(std::size_t count) {
  std::mt19937_64 random(20240611);
  std::uniform_real_distribution<double> longitude(-5.5, 10.0);
  std::uniform_real_distribution<double> latitude(41.0, 51.5);
  std::vector<Vertex> points;
  for (std::size_t index = 0; index < count; ++index) {
    const double lon = longitude(random);
    points.emplace_back(lon, latitude(random));
  }
  return points;
}

// Metropolitan France fills roughly 40% of that rectangle: guards against a vacuous pass.
void expect_plausible_share_inside(const std::vector<std::optional<std::size_t>>& answers) {
  const auto inside = std::count_if(answers.begin(), answers.end(),
                                    [](const auto& answer) { return answer.has_value(); });
  EXPECT_GT(inside, static_cast<long>(answers.size() / 4));
  EXPECT_LT(inside, static_cast<long>(answers.size() / 2));
}

// GEOSCovers_r unprepared costs about 1.5 ms a point on these contours, hence fewer points here.
TEST(GeoPolygonMatcher, AgreesWithUnpreparedCoversOnRandomPointsOverFrance) {
  METEO_SKIP_WITHOUT_SHARED_DATA(geo_test::kRegions);
  const std::vector<Region> regions = geo_test::france_regions();
  const UnpreparedReference reference(regions);
  ASSERT_TRUE(reference.all_valid()) << "the reference assumes contours need no repair";
  const auto matcher = polygon_matcher(regions);
  std::vector<std::optional<std::size_t>> answers;
  for (const auto& [lon, lat] : random_points_over_france(2000)) {
    answers.push_back(reference.covering(lon, lat));
    ASSERT_EQ(matcher->match(lon, lat), answers.back()) << "at (" << lon << ", " << lat << ")";
  }
  expect_plausible_share_inside(answers);
}

TEST(GeoPolygonMatcher, AgreesWithUnpreparedOverlayOnTwentyThousandRandomPoints) {
  METEO_SKIP_WITHOUT_SHARED_DATA(geo_test::kRegions);
  const std::vector<Region> regions = geo_test::france_regions();
  const UnpreparedReference reference(regions);
  ASSERT_TRUE(reference.all_valid()) << "the reference assumes contours need no repair";
  const auto matcher = polygon_matcher(regions);
  const std::vector<Vertex> points = random_points_over_france(20000);
  const std::vector<std::optional<std::size_t>> expected = reference.covering_each(points);
  for (std::size_t index = 0; index < points.size(); ++index) {
    const auto [lon, lat] = points[index];
    ASSERT_EQ(matcher->match(lon, lat), expected[index]) << "at (" << lon << ", " << lat << ")";
  }
  expect_plausible_share_inside(expected);
}

// Speed belongs to the benchmarks; here only that the full-resolution set builds and answers.
TEST(GeoPolygonMatcher, BuildsFromTheFullResolutionRegions) {
  METEO_SKIP_WITHOUT_SHARED_DATA(geo_test::kRegions);
  const std::vector<Region> regions = parse_region_document(
      geo_test::read_file(testing::shared_data(geo_test::kRegions)), geo_test::geojson_spec());
  ASSERT_EQ(regions.size(), 13u);
  const auto matcher = polygon_matcher(regions);
  EXPECT_EQ(matcher->match(1.444, 43.604), ordinal_of(regions, "76"));
}

}  // namespace
}  // namespace meteo
