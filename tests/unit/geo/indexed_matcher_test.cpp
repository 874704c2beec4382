// The region index must answer exactly what GEOS's covers test answers, point for point: random
// points, every contour vertex, points along edges and on shared borders, and points on the
// index's own cell lines.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "geo_test_support.hpp"
#include "meteo/geo/regions.hpp"

namespace meteo {
namespace {

using geo_test::make_region;
using geo_test::rectangle_geojson;
using nlohmann::json;

struct Point {
  double lon, lat;
};

std::vector<Region> shared_regions(const std::string& file) {
  return parse_region_document(geo_test::read_file(testing::shared_data("geo/" + file)),
                               geo_test::geojson_spec());
}

// METEO_GEO_CHECK_POINTS=10000000 runs the issue's full check; the suite's default stays quick.
std::size_t random_point_count() {
  const char* configured = std::getenv("METEO_GEO_CHECK_POINTS");
  return configured != nullptr ? std::strtoull(configured, nullptr, 10) : 200000;
}

BoundingBox envelope_of(const std::vector<Region>& regions) {
  BoundingBox all = bounding_box_of(regions.front());
  for (const Region& region : regions) {
    const BoundingBox box = bounding_box_of(region);
    all = {std::min(all.min_lon, box.min_lon), std::min(all.min_lat, box.min_lat),
           std::max(all.max_lon, box.max_lon), std::max(all.max_lat, box.max_lat)};
  }
  return all;
}

// Uniform over the envelope widened by a tenth on every side, so the sea and the neighbours
// (points outside every region) are tested too.
std::vector<Point> random_points(const std::vector<Region>& regions, std::size_t count) {
  const BoundingBox box = envelope_of(regions);
  const double margin_lon = (box.max_lon - box.min_lon) / 10;
  const double margin_lat = (box.max_lat - box.min_lat) / 10;
  std::mt19937_64 generator(20261122);
  std::uniform_real_distribution<double> lon(box.min_lon - margin_lon, box.max_lon + margin_lon);
  std::uniform_real_distribution<double> lat(box.min_lat - margin_lat, box.max_lat + margin_lat);
  std::vector<Point> points(count);
  for (Point& point : points) point = {lon(generator), lat(generator)};
  return points;
}

void collect_rings(const json& coordinates, std::vector<std::vector<Point>>& rings) {
  if (coordinates.empty()) return;
  if (coordinates[0].is_array() && !coordinates[0].empty() && coordinates[0][0].is_number()) {
    std::vector<Point> ring;
    for (const json& position : coordinates) ring.push_back({position[0], position[1]});
    rings.push_back(std::move(ring));
    return;
  }
  for (const json& element : coordinates) collect_rings(element, rings);
}

// Every vertex (shared borders and tripoints among them), the middle and a random point of
// every edge: where boundaries are, and where an index is most likely to be wrong.
std::vector<Point> boundary_points(const std::vector<Region>& regions) {
  std::mt19937_64 generator(7);
  std::uniform_real_distribution<double> fraction(0, 1);
  std::vector<Point> points;
  for (const Region& region : regions) {
    std::vector<std::vector<Point>> rings;
    collect_rings(json::parse(region.geometry_geojson).at("coordinates"), rings);
    for (const auto& ring : rings) {
      for (std::size_t i = 0; i < ring.size(); ++i) {
        points.push_back(ring[i]);
        if (i + 1 == ring.size()) continue;
        const Point& a = ring[i];
        const Point& b = ring[i + 1];
        points.push_back({(a.lon + b.lon) / 2, (a.lat + b.lat) / 2});
        const double t = fraction(generator);
        points.push_back({a.lon + t * (b.lon - a.lon), a.lat + t * (b.lat - a.lat)});
      }
    }
  }
  return points;
}

// Reports the first few disagreements in full, then how many there were.
void expect_same_answers(const std::vector<Region>& regions, const RegionMatcher& indexed,
                         const std::vector<Point>& points, const std::string& what) {
  const auto exact = make_geos_matcher(regions);
  std::size_t disagreements = 0;
  for (const Point& point : points) {
    const std::optional<std::size_t> expected = exact->match(point.lon, point.lat);
    const std::optional<std::size_t> actual = indexed.match(point.lon, point.lat);
    if (expected == actual) continue;
    if (++disagreements <= 5) {
      ADD_FAILURE() << what << ": at (" << std::hexfloat << point.lon << ", " << point.lat
                    << ") GEOS says " << (expected ? std::to_string(*expected) : "none")
                    << ", the index " << (actual ? std::to_string(*actual) : "none");
    }
  }
  EXPECT_EQ(disagreements, 0u) << what << ": out of " << points.size() << " points";
}

class IndexedMatcherOnSharedData : public ::testing::TestWithParam<const char*> {};

TEST_P(IndexedMatcherOnSharedData, AnswersExactlyAsGeosEverywhere) {
  METEO_SKIP_WITHOUT_SHARED_DATA(std::string("geo/") + GetParam());
  const std::vector<Region> regions = shared_regions(GetParam());
  const auto indexed = make_indexed_matcher(regions);
  EXPECT_FALSE(indexed->stats().from_cache);
  EXPECT_GT(indexed->stats().border_leaves, 0u);
  EXPECT_GT(indexed->stats().memory_bytes, 0u);
  expect_same_answers(regions, *indexed, random_points(regions, random_point_count()),
                      std::string(GetParam()) + ", random points");
  expect_same_answers(regions, *indexed, boundary_points(regions),
                      std::string(GetParam()) + ", vertices and edges");
}

INSTANTIATE_TEST_SUITE_P(GeoIndexedMatcher, IndexedMatcherOnSharedData,
                         ::testing::Values("regions.geojson", "departements.geojson",
                                           "communes-31-haute-garonne.geojson"),
                         [](const auto& info) {
                           std::string name = info.param;
                           name = name.substr(0, name.find('.'));
                           std::erase(name, '-');
                           return name;
                         });

// Squares whose edges fall exactly on the index's cell lines (dyadic coordinates), overlapping in
// a different order than their sizes, one with a hole.
TEST(GeoIndexedMatcher, AnswersOnCellLinesOverlapsAndHolesAsGeos) {
  const std::string holed = R"({"type":"Polygon","coordinates":[[[0,0],[4,0],[4,4],[0,4],[0,0]],)"
                            R"([[1,1],[1,3],[3,3],[3,1],[1,1]]]})";
  const std::vector<Region> regions{make_region("HOLED", holed),
                                    make_region("SMALL", rectangle_geojson(1.5, 1.5, 2.5, 2.5)),
                                    make_region("BIG", rectangle_geojson(-2, -2, 8, 8)),
                                    make_region("EAST", rectangle_geojson(8, 0, 9, 1))};
  RegionIndexOptions options;
  options.max_depth = 6;
  const auto indexed = make_indexed_matcher(regions, options);
  std::vector<Point> points;
  for (int i = -40; i <= 160; ++i) {
    for (int j = -40; j <= 160; ++j) points.push_back({i / 16.0, j / 16.0});  // every cell line
  }
  points.push_back({std::nextafter(1.0, 0.0), 2.0});
  points.push_back({std::nextafter(4.0, 5.0), 2.0});
  points.push_back({std::nan(""), 1.0});
  expect_same_answers(regions, *indexed, points, "synthetic squares");
  EXPECT_EQ(indexed->match(2, 2), 1u);    // SMALL inside HOLED's hole
  EXPECT_EQ(indexed->match(1.2, 2), 2u);  // HOLED's hole, outside SMALL: BIG
  EXPECT_EQ(indexed->match(0.5, 0.5), 0u);
  EXPECT_EQ(indexed->match(8, 0.5), 2u);  // BIG's edge is EAST's: BIG comes first
  EXPECT_EQ(indexed->match(8.5, 0.5), 3u);
  EXPECT_EQ(indexed->match(100, 100), std::nullopt);
}

TEST(GeoIndexedMatcher, AnswersNothingWithoutRegions) {
  const auto indexed = make_indexed_matcher({});
  EXPECT_EQ(indexed->match(0, 0), std::nullopt);
  EXPECT_EQ(indexed->match(2.35, 48.85), std::nullopt);
}

class IndexCache : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = std::filesystem::temp_directory_path() /
                 ("meteo-index-cache-" + std::to_string(::getpid()) + "-" +
                  ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(directory_);
  }
  void TearDown() override { std::filesystem::remove_all(directory_); }

  RegionIndexOptions options() const {
    RegionIndexOptions options;
    options.cache_dir = directory_;
    return options;
  }

  std::filesystem::path cache_file(const std::string& key) const {
    return directory_ / ("region-index-" + key + ".bin");
  }

  std::filesystem::path directory_;
};

TEST_F(IndexCache, BuildsOnceThenReadsTheCacheWithTheSameAnswers) {
  METEO_SKIP_WITHOUT_SHARED_DATA(geo_test::kRegions);
  const std::vector<Region> regions = geo_test::france_regions();
  const auto built = make_indexed_matcher(regions, options());
  EXPECT_FALSE(built->stats().from_cache);
  ASSERT_TRUE(std::filesystem::exists(cache_file(built->stats().key)));
  const auto cached = make_indexed_matcher(regions, options());
  EXPECT_TRUE(cached->stats().from_cache);
  EXPECT_EQ(cached->stats().key, built->stats().key);
  EXPECT_EQ(cached->stats().nodes, built->stats().nodes);
  EXPECT_EQ(cached->stats().border_leaves, built->stats().border_leaves);
  expect_same_answers(regions, *cached, random_points(regions, 20000), "cached index");
}

TEST_F(IndexCache, AnotherRegionSetOrDepthHasAnotherKey) {
  METEO_SKIP_WITHOUT_SHARED_DATA(geo_test::kRegions);
  const std::vector<Region> regions = geo_test::france_regions();
  const std::vector<Region> first_two(regions.begin(), regions.begin() + 2);
  RegionIndexOptions shallow = options();
  shallow.max_depth = 10;
  const auto all = make_indexed_matcher(regions, options());
  const auto some = make_indexed_matcher(first_two, options());
  const auto coarse = make_indexed_matcher(regions, shallow);
  EXPECT_NE(all->stats().key, some->stats().key);
  EXPECT_NE(all->stats().key, coarse->stats().key);
  EXPECT_FALSE(some->stats().from_cache);
  EXPECT_FALSE(coarse->stats().from_cache);
  expect_same_answers(first_two, *some, random_points(regions, 20000), "two regions");
}

TEST_F(IndexCache, RebuildsADamagedCacheFile) {
  METEO_SKIP_WITHOUT_SHARED_DATA(geo_test::kRegions);
  const std::vector<Region> regions = geo_test::france_regions();
  const std::string key = make_indexed_matcher(regions, options())->stats().key;
  const std::filesystem::path file = cache_file(key);
  const auto size = std::filesystem::file_size(file);
  {
    std::fstream damage(file, std::ios::binary | std::ios::in | std::ios::out);
    damage.seekp(static_cast<std::streamoff>(size / 2));
    damage.put('\x7f');
  }
  const auto rebuilt = make_indexed_matcher(regions, options());
  EXPECT_FALSE(rebuilt->stats().from_cache);
  expect_same_answers(regions, *rebuilt, random_points(regions, 20000), "after damage");
  std::filesystem::resize_file(file, size / 3);
  EXPECT_FALSE(make_indexed_matcher(regions, options())->stats().from_cache);
  EXPECT_TRUE(make_indexed_matcher(regions, options())->stats().from_cache);
}

}  // namespace
}  // namespace meteo
