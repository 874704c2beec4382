#include "meteo/store/region_sets.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <utility>

#include "meteo/store/verify.hpp"
#include "region_aggregates.hpp"
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

TEST_F(RegionSets, AnotherVersionUnderTheNameIsRefusedAndChangesNothing) {
  ASSERT_TRUE(save_region_set(db_, region_set_config("fr-regions"), french_regions("sha-v1")));
  const auto before = sql_rows(db_, "SELECT * FROM region_sets");
  auto other_config = region_set_config("fr-regions");
  other_config.location = "file:///other/departements.geojson";
  const auto error =
      error_of([&] { save_region_set(db_, other_config, french_regions("sha-v2")); });
  EXPECT_EQ(error.code(), ExitCode::config);
  EXPECT_THAT(error.what(),
              HasSubstr("region set fr-regions: file:///other/departements.geojson is version"
                        " sha-v2 but the database holds version sha-v1 under this name, loaded"
                        " from file:///data/fr-regions.geojson at "));
  EXPECT_THAT(error.what(), HasSubstr("`meteo-etl regions load --set fr-regions --replace`"));
  EXPECT_EQ(sql_rows(db_, "SELECT * FROM region_sets"), before);
  expect_same_regions(load_region_set(db_, "fr-regions"), french_regions("sha-v1"));
}

TEST_F(RegionSets, FindReturnsTheStoredVersion) {
  EXPECT_FALSE(find_region_set(db_, "fr-regions"));
  ASSERT_TRUE(save_region_set(db_, region_set_config("fr-regions"), french_regions("sha-v1")));
  const auto found = find_region_set(db_, "fr-regions");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->checksum, "sha-v1");
  EXPECT_EQ(found->location, "file:///data/fr-regions.geojson");
  EXPECT_EQ(found->region_count, 2u);
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

TEST_F(RegionSets, AFailedReplacementLeavesTheStoredVersion) {
  ASSERT_TRUE(save_region_set(db_, region_set_config("fr-regions"), french_regions("sha-v1")));
  auto broken = french_regions("sha-v2");
  broken.regions[1].geometry_geojson = R"({"type":"Polygon","coordinates":[]})";
  const auto error = error_of([&] {
    replace_region_set(db_, region_set_config("fr-regions"), broken,
                       [](double, double) { return std::optional<std::size_t>(); });
  });
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

// ---- replacing a set: its stored readings and stations matched again ---------------------------

const UtcSeconds kHour6 = at("2026-11-22 06:00:00");

// Version 2 of fr-regions: 11 moved onto 84's old square, 84 gone, 93 on 11's old square.
RegionSet moved_regions() {
  return {"fr-regions",
          "sha-v2",
          {square_region("11", "Île-de-France", 4, 45),
           square_region("93", "Provence-Alpes-Côte d'Azur", 2, 48)}};
}

// Which of the unit squares whose south-west corners are given covers a point, as square_region
// draws them: what a matcher built from moved_regions() answers.
RegionLocator unit_squares(std::vector<std::pair<double, double>> corners) {
  return [corners](double lon, double lat) -> std::optional<std::size_t> {
    for (std::size_t i = 0; i < corners.size(); ++i) {
      const auto [west, south] = corners[i];
      if (lon >= west && lon <= west + 1 && lat >= south && lat <= south + 1) return i;
    }
    return std::nullopt;
  };
}

const RegionLocator kMovedRegions = unit_squares({{4, 45}, {2, 48}});

class ReplacingARegionSet : public StoreTest {
 protected:
  // Sensor readings in 11, 84 and outside at 06; a station in 11 observed at 07.
  void store_history() {
    load(kHour6, {matched("a", 10.0, 0), matched("b", 20.0, 1), matched("out", 1.0, std::nullopt)});
    db_.execute(
        "INSERT INTO weather_stations (source, dataset_id, number, commune, type, latitude,"
        " longitude, updated_at) VALUES ('toulouse', 'st1', '1', 'Paris', 'ISS', 48.5, 2.5,"
        " UTC_TIMESTAMP(3))");
    db_.execute(
        "INSERT INTO station_regions (source, dataset_id, region_set, region_code)"
        " VALUES ('toulouse', 'st1', 'fr-regions', '11')");
    db_.execute(
        "INSERT INTO weather_observations (source, dataset_id, observed_at, temperature_c,"
        " first_run_id, last_run_id) VALUES ('toulouse', 'st1', '2026-11-22 07:20:00', 4, 1, 1)");
    store::recompute_region_hour(db_.connection(), "fr-regions", at("2026-11-22 07:00:00"));
  }

  // The violations `verify` finds in the aggregates and the region matches over the whole
  // history, fr-regions fed by the sensors (the ledger check wants archived payloads: not here).
  std::vector<std::string> region_violations() {
    VerifyScope scope;
    scope.archive.root = std::filesystem::temp_directory_path();
    scope.sources = {{"sensors", SourceKind::sensor_feed, {"fr-regions"}}};
    std::vector<std::string> violations;
    for (const auto& check : verify_stored_data(db_, scope, {}, at("2026-11-22 12:00:00")).checks) {
      if (check.name != "aggregates" && check.name != "regions") continue;
      for (const auto& violation : check.violations)
        violations.push_back(check.name + ": " + violation);
      EXPECT_EQ(check.violations.size(), check.violation_count);  // all listed: few rows here
    }
    return violations;
  }
};

TEST_F(ReplacingARegionSet, MatchesStoredReadingsAndStationsAgainAndRecomputesTheAggregates) {
  store_history();
  ASSERT_EQ(aggregates(), (Rows{{"2026-11-22 06:00:00", "11", "Île-de-France", "10", "1"},
                                {"2026-11-22 06:00:00", "84", "Auvergne-Rhône-Alpes", "20", "1"},
                                {"2026-11-22 07:00:00", "11", "Île-de-France", "4", "1"}}));

  const auto outcome =
      replace_region_set(db_, region_set_config("fr-regions"), moved_regions(), kMovedRegions);
  EXPECT_TRUE(outcome.changed);
  EXPECT_EQ(outcome.previous_checksum, "sha-v1");
  EXPECT_EQ(outcome.readings_moved, 2u);  // a and b; `out` is still outside
  EXPECT_EQ(outcome.stations_moved, 1u);
  EXPECT_EQ(outcome.hours_recomputed, 2u);

  EXPECT_EQ(
      sql_rows(db_, "SELECT reading_id, region_code FROM reading_regions ORDER BY reading_id"),
      (Rows{{"a", "93"}, {"b", "11"}, {"out", std::nullopt}}));
  EXPECT_EQ(sql_value(db_, "SELECT region_code FROM station_regions"), "93");
  EXPECT_EQ(aggregates(),
            (Rows{{"2026-11-22 06:00:00", "11", "Île-de-France", "20", "1"},
                  {"2026-11-22 06:00:00", "93", "Provence-Alpes-Côte d'Azur", "10", "1"},
                  {"2026-11-22 07:00:00", "93", "Provence-Alpes-Côte d'Azur", "4", "1"}}));
  EXPECT_EQ(sql_rows(db_, "SELECT checksum, region_count FROM region_sets"),
            (Rows{{"sha-v2", "2"}}));
  EXPECT_EQ(region_violations(), std::vector<std::string>{});
}

TEST_F(ReplacingARegionSet, WithoutReplacingVerifyFindsTheStaleMatches) {
  store_history();
  // What `regions load` did before a name held one version: the regions swapped under the
  // stored matches. The check above is only worth something if verify sees this.
  db_.execute("DELETE FROM regions WHERE region_set = 'fr-regions'");
  db_.execute("UPDATE region_sets SET checksum = 'sha-v2'");
  const auto v2 = moved_regions();
  for (std::size_t i = 0; i < v2.regions.size(); ++i) {
    db_.execute(
        "INSERT INTO regions (region_set, code, name, ordinal, min_lon, min_lat, max_lon,"
        " max_lat, geometry) VALUES ('fr-regions', '" +
        v2.regions[i].code + "', 'x', " + std::to_string(i) + ", 0, 0, 1, 1, '{}')");
  }
  EXPECT_THAT(region_violations(),
              ::testing::Contains(HasSubstr("region 84 is not in region set fr-regions")));
}

TEST_F(ReplacingARegionSet, TheStoredVersionAgainChangesNothing) {
  store_history();
  const auto before = snapshot();
  const auto sets_before = sql_rows(db_, "SELECT * FROM region_sets");
  const auto outcome =
      replace_region_set(db_, region_set_config("fr-regions"), french_regions(), kMovedRegions);
  EXPECT_FALSE(outcome.changed);
  EXPECT_EQ(snapshot(), before);
  EXPECT_EQ(sql_rows(db_, "SELECT * FROM region_sets"), sets_before);
}

TEST_F(ReplacingARegionSet, ANewNameIsStoredWithNothingToMatch) {
  RegionSet departments{"fr-departements", "d1", {square_region("75", "Paris", 2, 48)}};
  const auto outcome = replace_region_set(db_, region_set_config("fr-departements"), departments,
                                          unit_squares({{2, 48}}));
  EXPECT_TRUE(outcome.changed);
  EXPECT_FALSE(outcome.previous_checksum);
  EXPECT_EQ(outcome.readings_moved, 0u);
  EXPECT_EQ(sql_value(db_, "SELECT checksum FROM region_sets WHERE name = 'fr-departements'"),
            "d1");
}

TEST_F(ReplacingARegionSet, ALoadMatchedAgainstTheReplacedVersionIsRefused) {
  store_history();
  ASSERT_TRUE(
      replace_region_set(db_, region_set_config("fr-regions"), moved_regions(), kMovedRegions)
          .changed);
  const auto before = snapshot();
  // regions_ is version sha-v1, as a run that read the set before the replacement holds it.
  const auto error = error_of([&] { load(at("2026-11-22 08:00:00"), {matched("c", 5.0, 0)}); });
  EXPECT_EQ(error.code(), ExitCode::temporary);
  EXPECT_THAT(error.what(), HasSubstr("region set fr-regions was replaced by version sha-v2 while"
                                      " this load matched against version sha-v1"));
  EXPECT_EQ(snapshot(), before);
}

}  // namespace
}  // namespace meteo::testing
