#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "geo_test_support.hpp"
#include "meteo/geo/regions.hpp"

namespace meteo {
namespace {

using geo_test::expect_data_error;
using geo_test::geojson_spec;
using geo_test::opendatasoft_spec;
using nlohmann::json;

const std::string kSquare = R"({"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]})";
const std::string kLineString = R"({"type":"LineString","coordinates":[[0,0],[1,1]]})";

std::string feature(const std::string& properties, const std::string& geometry) {
  return R"({"type":"Feature","properties":)" + properties + R"(,"geometry":)" + geometry + "}";
}

std::string collection(const std::vector<std::string>& features) {
  std::string joined;
  for (const std::string& item : features) joined += (joined.empty() ? "" : ",") + item;
  return R"({"type":"FeatureCollection","features":[)" + joined + "]}";
}

std::vector<Region> parse_geojson(const std::string& document) {
  return parse_region_document(document, geojson_spec());
}

TEST(GeoRegionDocument, ReadsTheRealRegionsInSourceOrder) {
  METEO_SKIP_WITHOUT_SHARED_DATA(geo_test::kRegions);
  const std::vector<Region> regions = geo_test::france_regions();
  std::vector<std::string> codes;
  for (const Region& region : regions) codes.push_back(region.code);
  EXPECT_EQ(codes, (std::vector<std::string>{"11", "24", "27", "28", "32", "44", "52", "53", "75",
                                             "76", "84", "93", "94"}));
  EXPECT_EQ(regions[0].name, geo_test::kIleDeFrance);
  EXPECT_EQ(regions[9].name, "Occitanie");
  EXPECT_EQ(json::parse(regions[3].geometry_geojson).at("type"), "MultiPolygon");
}

TEST(GeoRegionDocument, KeepsTheGeometryAsCompactGeoJson) {
  const std::string spaced =
      R"({ "type" : "Polygon", "coordinates" : [ [ [0, 0], [1, 0], [1, 1], [0, 1], [0, 0] ] ] })";
  const std::vector<Region> regions =
      parse_geojson(collection({feature(R"({"code":"A","nom":"Alpha"})", spaced)}));
  ASSERT_EQ(regions.size(), 1u);
  EXPECT_EQ(regions[0].code, "A");
  EXPECT_EQ(regions[0].name, "Alpha");
  EXPECT_EQ(regions[0].geometry_geojson, json::parse(spaced).dump());
  EXPECT_EQ(regions[0].geometry_geojson.find(' '), std::string::npos);
}

TEST(GeoRegionDocument, UsesTheConfiguredFields) {
  const std::vector<Region> regions = parse_region_document(
      collection({feature(R"({"insee":"31","libelle":"Haute-Garonne","code":"x"})", kSquare)}),
      geojson_spec("insee", "libelle"));
  ASSERT_EQ(regions.size(), 1u);
  EXPECT_EQ(regions[0].code, "31");
  EXPECT_EQ(regions[0].name, "Haute-Garonne");
}

TEST(GeoRegionDocument, ReadsOpendatasoftExportArray) {
  const std::string document = R"([{"new_code":"11","region":"IDF","geo_shape":)" + kSquare + "}," +
                               R"({"new_code":"24","region":"CVL","geo_shape":)" + kSquare + "}]";
  const std::vector<Region> regions =
      parse_region_document(document, opendatasoft_spec("new_code", "region"));
  ASSERT_EQ(regions.size(), 2u);
  EXPECT_EQ(regions[0].code, "11");
  EXPECT_EQ(regions[1].name, "CVL");
  EXPECT_EQ(regions[1].geometry_geojson, json::parse(kSquare).dump());
}

TEST(GeoRegionDocument, ReadsOpendatasoftV21ResultsWithFeatureShapes) {
  const std::string document =
      R"({"total_count":1,"results":[{"reg_code":"53","reg_name":"Bretagne",)"
      R"("geo_shape":{"type":"Feature","properties":{},"geometry":)" +
      kSquare + "}}]}";
  const std::vector<Region> regions =
      parse_region_document(document, opendatasoft_spec("reg_code", "reg_name"));
  ASSERT_EQ(regions.size(), 1u);
  EXPECT_EQ(regions[0].code, "53");
  EXPECT_EQ(regions[0].geometry_geojson, json::parse(kSquare).dump());
}

TEST(GeoRegionDocument, ReadsOpendatasoftV1RecordFields) {
  const std::string document = R"({"nhits":1,"records":[{"datasetid":"x","recordid":"r1",)"
                               R"("fields":{"new_code":"94","region":"Corse","geo_shape":)" +
                               kSquare + "}}]}";
  const std::vector<Region> regions =
      parse_region_document(document, opendatasoft_spec("new_code", "region"));
  ASSERT_EQ(regions.size(), 1u);
  EXPECT_EQ(regions[0].code, "94");
  EXPECT_EQ(regions[0].name, "Corse");
}

TEST(GeoRegionDocument, AcceptsOneElementArraysAndNumbersAsValues) {
  const std::string document =
      R"([{"reg_code":["84"],"reg_name":["Auvergne-Rh\u00f4ne-Alpes"],"geo_shape":)" + kSquare +
      "}," + R"({"reg_code":93,"reg_name":[93],"geo_shape":)" + kSquare + "}]";
  const std::vector<Region> regions =
      parse_region_document(document, opendatasoft_spec("reg_code", "reg_name"));
  ASSERT_EQ(regions.size(), 2u);
  EXPECT_EQ(regions[0].code, "84");
  EXPECT_EQ(regions[0].name, "Auvergne-Rh\xC3\xB4ne-Alpes");
  EXPECT_EQ(regions[1].code, "93");
  EXPECT_EQ(regions[1].name, "93");
}

TEST(GeoRegionDocument, ReadsTheLaPosteGeometryWrappedInARecord) {
  METEO_SKIP_WITHOUT_SHARED_DATA(geo_test::kLaPosteIleDeFrance);
  const std::string shape =
      geo_test::read_file(testing::shared_data(geo_test::kLaPosteIleDeFrance));
  const std::string document = R"([{"new_code":"11","region":")" + geo_test::kIleDeFrance +
                               R"(","geo_shape":)" + shape + "}]";
  const std::vector<Region> regions =
      parse_region_document(document, opendatasoft_spec("new_code", "region"));
  ASSERT_EQ(regions.size(), 1u);
  EXPECT_EQ(regions[0].code, "11");
  EXPECT_EQ(regions[0].name, geo_test::kIleDeFrance);
  EXPECT_EQ(regions[0].geometry_geojson, json::parse(shape).dump());

  const auto matcher = make_region_matcher(regions, MatchingMode::polygon);
  EXPECT_EQ(matcher->match(2.3522, 48.8566), 0u);          // Paris
  EXPECT_EQ(matcher->match(1.444, 43.604), std::nullopt);  // Toulouse
}

TEST(GeoRegionDocument, RejectsInvalidJsonWithTheBytePosition) {
  expect_data_error([] { parse_geojson(R"({"type": "FeatureCollection", "features": [,]})"); },
                    {"region set \"regions\"", "invalid JSON at byte 44: syntax error"});
}

// Found by fuzzing: a number beyond a double's range is nlohmann's out_of_range, not a
// parse_error; it escaped as an internal error instead of a data error naming the document.
TEST(GeoRegionDocument, RejectsANumberBeyondADoubleAsInvalidJson) {
  expect_data_error([] { parse_geojson(R"({"type": "FeatureCollection", "features": [1e309]})"); },
                    {"region set \"regions\"", "invalid JSON: number overflow parsing '1e309'"});
  expect_data_error(
      [] { parse_region_document("[{\"geo_shape\": -1e400}]", opendatasoft_spec("code", "nom")); },
      {"invalid JSON: number overflow parsing '-1e400'"});
}

// Found by fuzzing: a polygon spanning +-1e308 degrees made GEOS's quadtree loop for seconds.
TEST(GeoRegionDocument, RejectsCoordinatesOutsideWgs84Degrees) {
  const std::string huge =
      R"({"type":"Polygon","coordinates":[[[-1e308,-1e308],[1e308,-1e308],[1e308,0],[-1e308,-1e308]]]})";
  expect_data_error(
      [&] { parse_geojson(collection({feature(R"({"code":"x","nom":"Huge"})", huge)})); },
      {"ring 0 holds [-1e+308,-1e+308]", "in degrees (-180..180, -90..90)"});
  const std::string beyond_pole =
      R"({"type":"Polygon","coordinates":[[[0,0],[1,0],[1,90.5],[0,0]]]})";
  expect_data_error(
      [&] { parse_geojson(collection({feature(R"({"code":"x","nom":"Pole"})", beyond_pole)})); },
      {"holds [1,90.5]"});
  const std::string edges =
      R"({"type":"Polygon","coordinates":[[[-180,-90],[180,-90],[180,90],[-180,-90]]]})";
  EXPECT_EQ(parse_geojson(collection({feature(R"({"code":"w","nom":"World"})", edges)})).size(),
            1u);
}

TEST(GeoRegionDocument, RejectsAnEmptyCollection) {
  expect_data_error([] { parse_geojson(collection({})); }, {"no features"});
  expect_data_error([] { parse_region_document("[]", opendatasoft_spec("new_code", "region")); },
                    {"no features"});
}

TEST(GeoRegionDocument, RejectsADocumentOfTheWrongShape) {
  expect_data_error([] { parse_geojson(kSquare); }, {"expected a GeoJSON FeatureCollection"});
  expect_data_error([] { parse_geojson(R"({"type":"FeatureCollection","features":{}})"); },
                    {"\"features\" is not an array"});
  expect_data_error(
      [] { parse_region_document(R"({"hits":[]})", opendatasoft_spec("new_code", "region")); },
      {"expected an Opendatasoft export"});
  expect_data_error(
      [] {
        parse_region_document(R"({"records":[{"recordid":"r1"}]})",
                              opendatasoft_spec("new_code", "region"));
      },
      {"feature 0: record has no \"fields\" object"});
}

TEST(GeoRegionDocument, RejectsAGeometryThatIsNotPolygonal) {
  const std::string document = collection({feature(R"({"code":"11","nom":"a"})", kSquare),
                                           feature(R"({"code":"24","nom":"b"})", kSquare),
                                           feature(R"({"code":"27","nom":"c"})", kSquare),
                                           feature(R"({"code":"28","nom":"d"})", kLineString)});
  expect_data_error([&] { parse_geojson(document); },
                    {R"(feature 3 (code "28"): geometry is a LineString, expected Polygon or )"
                     "MultiPolygon"});
}

TEST(GeoRegionDocument, RejectsAPointInsideAnOpendatasoftFeatureShape) {
  const std::string document =
      R"([{"new_code":"11","region":"a","geo_shape":{"type":"Feature","geometry":)"
      R"({"type":"Point","coordinates":[2,48]}}}])";
  expect_data_error(
      [&] { parse_region_document(document, opendatasoft_spec("new_code", "region")); },
      {R"(feature 0 (code "11"): geometry is a Point)"});
}

TEST(GeoRegionDocument, RejectsAMissingCode) {
  const std::string document = collection(
      {feature(R"({"code":"11","nom":"a"})", kSquare), feature(R"({"nom":"b"})", kSquare)});
  expect_data_error([&] { parse_geojson(document); }, {"feature 1: property \"code\" is missing"});
}

TEST(GeoRegionDocument, RejectsAMissingName) {
  const std::string document = collection({feature(R"({"code":"11","nom":null})", kSquare)});
  expect_data_error([&] { parse_geojson(document); },
                    {R"(feature 0 (code "11"): property "nom" is missing)"});
}

TEST(GeoRegionDocument, RejectsFeaturesWithoutProperties) {
  expect_data_error([] { parse_geojson(collection({feature("null", kSquare)})); },
                    {"feature 0: property \"code\" is missing"});
}

TEST(GeoRegionDocument, RejectsValuesThatAreNotOneString) {
  expect_data_error(
      [] { parse_geojson(collection({feature(R"({"code":["11","12"],"nom":"a"})", kSquare)})); },
      {"feature 0: property \"code\" is an array of 2 values, expected one"});
  expect_data_error(
      [] { parse_geojson(collection({feature(R"({"code":{"v":1},"nom":"a"})", kSquare)})); },
      {"feature 0: property \"code\" is a object, expected a string or a number"});
  expect_data_error(
      [] { parse_geojson(collection({feature(R"({"code":"","nom":"a"})", kSquare)})); },
      {"feature 0: property \"code\" is empty"});
}

TEST(GeoRegionDocument, RejectsAMissingGeometry) {
  expect_data_error(
      [] { parse_geojson(collection({feature(R"({"code":"11","nom":"a"})", "null")})); },
      {R"(feature 0 (code "11"): geometry is missing)"});
  expect_data_error(
      [] {
        parse_region_document(R"([{"new_code":"11","region":"a"}])",
                              opendatasoft_spec("new_code", "region"));
      },
      {R"(feature 0 (code "11"): geo_shape is missing)"});
}

TEST(GeoRegionDocument, RejectsUnreadableCoordinates) {
  const auto with_geometry = [](const std::string& geometry) {
    return collection({feature(R"({"code":"11","nom":"a"})", geometry)});
  };
  expect_data_error(
      [&] {
        parse_geojson(
            with_geometry(R"({"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]})"));
      },
      {R"(feature 0 (code "11"): Polygon, ring 0 is not closed)"});
  expect_data_error(
      [&] {
        parse_geojson(with_geometry(R"({"type":"Polygon","coordinates":[[[0,0],[1,0],[0,0]]]})"));
      },
      {"ring 0 has fewer than 4 positions"});
  expect_data_error(
      [&] {
        parse_geojson(with_geometry(
            R"({"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]],[[[0,0],["x",0],[1,1],[0,0]]]]})"));
      },
      {"MultiPolygon, polygon 1, ring 0 holds [\"x\",0]"});
  expect_data_error([&] { parse_geojson(with_geometry(R"({"type":"Polygon"})")); },
                    {"Polygon has no \"coordinates\" array"});
  expect_data_error(
      [&] { parse_geojson(with_geometry(R"({"type":"MultiPolygon","coordinates":[]})")); },
      {"MultiPolygon has no polygons"});
  expect_data_error([&] { parse_geojson(with_geometry(R"wkt("POLYGON((0 0,1 0,1 1,0 0))")wkt")); },
                    {"geometry is a JSON string, expected an object"});
}

TEST(GeoRegionDocument, RejectsDuplicateCodes) {
  const std::string document = collection({feature(R"({"code":"11","nom":"a"})", kSquare),
                                           feature(R"({"code":"24","nom":"b"})", kSquare),
                                           feature(R"({"code":"11","nom":"c"})", kSquare)});
  expect_data_error([&] { parse_geojson(document); },
                    {R"(feature 2 (code "11"): code already used by feature 0)"});
}

TEST(GeoRegionDocument, NamesTheDocumentWhenTheSetHasNoName) {
  RegionSetConfig spec = geojson_spec();
  spec.name.clear();
  expect_data_error([&] { parse_region_document("[]", spec); }, {"region document: "});
}

}  // namespace
}  // namespace meteo
