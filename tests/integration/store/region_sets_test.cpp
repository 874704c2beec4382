#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "store_fixtures.hpp"

namespace meteo::testing {
namespace {

using ::testing::HasSubstr;

class RegionSets : public ::testing::Test {
 protected:
  ScratchDatabase scratch_ = ScratchDatabase::migrated();
  Database db_ = scratch_.connect();
};

void expect_same_regions(const RegionSet& actual, const RegionSet& expected) {
  EXPECT_EQ(actual.name, expected.name);
  EXPECT_EQ(actual.checksum, expected.checksum);
  ASSERT_EQ(actual.regions.size(), expected.regions.size());
  for (std::size_t i = 0; i < expected.regions.size(); ++i) {
    EXPECT_EQ(actual.regions[i].code, expected.regions[i].code) << i;
    EXPECT_EQ(actual.regions[i].name, expected.regions[i].name) << i;
    EXPECT_EQ(actual.regions[i].geometry_geojson, expected.regions[i].geometry_geojson) << i;
  }
}

TEST_F(RegionSets, SaveAndLoadRoundTripByteExactInOrder) {
  RegionSet set{"fr-regions",
                "sha-v1",
                {square_region("93", "Provence-Alpes-Côte d'Azur", 5, 43),
                 square_region("11", "Île-de-France", 2, 48),
                 square_region("xx", "Ω \"quoted\" \\ back`tick 🌡️", 0, 0)}};
  EXPECT_TRUE(save_region_set(db_, region_set_config("fr-regions"), set));
  expect_same_regions(load_region_set(db_, "fr-regions"), set);
  EXPECT_EQ(sql_rows(db_, "SELECT code, ordinal FROM regions ORDER BY ordinal"),
            (Rows{{"93", "0"}, {"11", "1"}, {"xx", "2"}}));
  EXPECT_EQ(sql_rows(db_, "SELECT name, checksum, location, format, region_count FROM region_sets"),
            (Rows{{"fr-regions", "sha-v1", "file:///data/fr-regions.geojson", "geojson", "3"}}));
}

TEST_F(RegionSets, SameChecksumChangesNothing) {
  ASSERT_TRUE(save_region_set(db_, region_set_config("fr-regions"), french_regions("sha-v1")));
  const auto before = sql_rows(db_, "SELECT * FROM region_sets");
  auto same_version = french_regions("sha-v1");
  same_version.regions.pop_back();  // ignored: the checksum says it is the stored version
  EXPECT_FALSE(save_region_set(db_, region_set_config("fr-regions"), same_version));
  EXPECT_EQ(sql_rows(db_, "SELECT * FROM region_sets"), before);
  expect_same_regions(load_region_set(db_, "fr-regions"), french_regions("sha-v1"));
}

TEST_F(RegionSets, NewChecksumReplacesTheRegionsAndKeepsTheAggregates) {
  ASSERT_TRUE(save_region_set(db_, region_set_config("fr-regions"), french_regions("sha-v1")));
  db_.execute(
      "INSERT INTO region_hourly_temperature (hour, region_set, region_code, region,"
      " temperature, numberOfPoints, updated_at) VALUES ('2026-11-22 06:00:00', 'fr-regions', '11',"
      " 'Île-de-France', 10.5, 3, UTC_TIMESTAMP(3))");
  RegionSet v2{"fr-regions",
               "sha-v2",
               {square_region("84", "Auvergne-Rhône-Alpes", 4, 45),
                square_region("93", "Provence-Alpes-Côte d'Azur", 5, 43),
                square_region("11", "Île-de-France", 1, 47)}};
  EXPECT_TRUE(save_region_set(db_, region_set_config("fr-regions"), v2));
  expect_same_regions(load_region_set(db_, "fr-regions"), v2);
  EXPECT_EQ(sql_value(db_, "SELECT region_count FROM region_sets"), "3");
  EXPECT_EQ(sql_value(db_, "SELECT COUNT(*) FROM region_hourly_temperature"), "1");
}

TEST_F(RegionSets, BoundingBoxesComeFromTheCoordinates) {
  RegionSet set{"boxes",
                "c1",
                {{"p", "Polygon",
                  R"({"type":"Polygon","coordinates":[[[1.5,40],[3,41.25],[2,44],[1.5,40]]]})"},
                 {"m", "MultiPolygon",
                  R"({"type":"MultiPolygon","coordinates":[[[[-5,42],[-4,42],[-4,43],[-5,42]]],)"
                  R"([[[9,41],[9.5,41],[9.5,43.5],[9,41]]]]})"}}};
  ASSERT_TRUE(save_region_set(db_, region_set_config("boxes"), set));
  EXPECT_EQ(
      sql_rows(db_,
               "SELECT code, min_lon, min_lat, max_lon, max_lat FROM regions ORDER BY ordinal"),
      (Rows{{"p", "1.5", "40", "3", "44"}, {"m", "-5", "41", "9.5", "43.5"}}));
}

TEST_F(RegionSets, AFailedSaveLeavesTheStoredVersion) {
  ASSERT_TRUE(save_region_set(db_, region_set_config("fr-regions"), french_regions("sha-v1")));
  auto broken = french_regions("sha-v2");
  broken.regions[1].geometry_geojson = R"({"type":"Polygon","coordinates":[]})";
  const auto error =
      error_of([&] { save_region_set(db_, region_set_config("fr-regions"), broken); });
  EXPECT_EQ(error.code(), ExitCode::data);
  EXPECT_THAT(error.what(), HasSubstr("region 84 of set fr-regions"));
  expect_same_regions(load_region_set(db_, "fr-regions"), french_regions("sha-v1"));
}

TEST_F(RegionSets, DuplicateCodesAreRefused) {
  RegionSet set{"dup", "c", {square_region("1", "a", 0, 0), square_region("1", "b", 1, 1)}};
  EXPECT_EQ(error_of([&] { save_region_set(db_, region_set_config("dup"), set); }).code(),
            ExitCode::data);
}

TEST_F(RegionSets, LoadingAnUnknownSetAsksToLoadIt) {
  const auto error = error_of([&] { load_region_set(db_, "fr-regions"); });
  EXPECT_EQ(error.code(), ExitCode::config);
  EXPECT_STREQ(error.what(), "no regions loaded for set fr-regions: run `meteo-etl regions load`");
}

}  // namespace
}  // namespace meteo::testing
