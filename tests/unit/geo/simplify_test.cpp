// The contours sent to the browser: far lighter, still the same regions.
#include <geos_c.h>
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "geo_test_support.hpp"
#include "meteo/geo/regions.hpp"

namespace meteo {
namespace {

using nlohmann::json;

// A GEOS context for the checks, independent of the module's own handles.
class GeosChecker {
 public:
  GeosChecker() : handle_(GEOS_init_r()) {}
  ~GeosChecker() { GEOS_finish_r(handle_); }
  GeosChecker(const GeosChecker&) = delete;
  GeosChecker& operator=(const GeosChecker&) = delete;

  using Owned = std::unique_ptr<GEOSGeometry, std::function<void(GEOSGeometry*)>>;

  Owned own(GEOSGeometry* geometry) const {
    return Owned(geometry, [handle = handle_](GEOSGeometry* g) { GEOSGeom_destroy_r(handle, g); });
  }

  Owned read(const std::string& geojson) const {
    auto* reader = GEOSGeoJSONReader_create_r(handle_);
    GEOSGeometry* geometry = GEOSGeoJSONReader_readGeometry_r(handle_, reader, geojson.c_str());
    GEOSGeoJSONReader_destroy_r(handle_, reader);
    return own(geometry);
  }

  int vertices(const GEOSGeometry& geometry) const {
    return GEOSGetNumCoordinates_r(handle_, &geometry);
  }

  // GEOS's representative point of `original` lies in (or on) `simplified`.
  bool covers_representative_point(const GEOSGeometry& simplified,
                                   const GEOSGeometry& original) const {
    const Owned point = own(GEOSPointOnSurface_r(handle_, &original));
    return point && GEOSCovers_r(handle_, &simplified, point.get()) == 1;
  }

 private:
  GEOSContextHandle_t handle_;
};

TEST(Simplification, RealRegionsKeepTheirIdentityWithFarFewerVertices) {
  METEO_SKIP_WITHOUT_SHARED_DATA(geo_test::kRegions);
  const std::vector<Region> regions = geo_test::france_regions();
  const json collection = json::parse(simplified_feature_collection(regions, 0.002));
  EXPECT_EQ(collection["type"], "FeatureCollection");
  ASSERT_EQ(collection["features"].size(), 13u);

  const GeosChecker geos;
  int original_vertices = 0, simplified_vertices = 0;
  for (std::size_t i = 0; i < regions.size(); ++i) {
    const json& feature = collection["features"][i];
    EXPECT_EQ(feature["type"], "Feature");
    EXPECT_EQ(feature["properties"]["code"], regions[i].code);
    EXPECT_EQ(feature["properties"]["name"], regions[i].name);
    const auto original = geos.read(regions[i].geometry_geojson);
    const auto simplified = geos.read(feature["geometry"].dump());
    ASSERT_TRUE(original && simplified) << regions[i].code;
    original_vertices += geos.vertices(*original);
    simplified_vertices += geos.vertices(*simplified);
    EXPECT_TRUE(geos.covers_representative_point(*simplified, *original)) << regions[i].name;
  }
  EXPECT_EQ(original_vertices, 75961) << "the IGN contours as stored in ../shared";
  // 0.002° (about 200 m) keeps roughly a quarter of the vertices of these detailed contours.
  EXPECT_LT(simplified_vertices, original_vertices / 3) << simplified_vertices;
}

TEST(Simplification, ZeroToleranceKeepsEveryVertex) {
  const std::vector<Region> regions{
      geo_test::make_region("r1", geo_test::rectangle_geojson(0, 0, 1, 1))};
  const json collection = json::parse(simplified_feature_collection(regions, 0.0));
  EXPECT_EQ(collection["features"][0]["geometry"]["type"], "Polygon");
  EXPECT_EQ(collection["features"][0]["geometry"]["coordinates"][0].size(), 5u);
  EXPECT_EQ(collection["features"][0]["properties"]["name"], "region r1");
}

TEST(Simplification, UnreadableGeometryNamesTheRegion) {
  const std::vector<Region> regions{geo_test::make_region("bad", R"({"type":"Polygon"})")};
  geo_test::expect_data_error([&] { simplified_feature_collection(regions, 0.002); }, {"bad"});
}

}  // namespace
}  // namespace meteo
