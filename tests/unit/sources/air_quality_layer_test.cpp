// The ArcGIS layer's other answers (description, count), the window's where clause, and the
// merge of pages under the same duplicate rule as within a page.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "meteo/core/errors.hpp"
#include "meteo/sources/air_quality/parse.hpp"
// Private headers of the sources module: the client's pieces have no public entry point.
#include "../../../src/sources/air_quality/arcgis_client.hpp"
#include "../../../src/sources/air_quality/census.hpp"

namespace meteo {
namespace {

UtcSeconds utc(int year, unsigned month, unsigned day, int hour) {
  return std::chrono::sys_days{std::chrono::year{year} / month / day} + std::chrono::hours{hour};
}

TEST(ArcGisLayer, ReadsMaxRecordCountPaginationAndLastEditDate) {
  const auto info = parse_layer_info(
      R"({"name":"x","maxRecordCount":1000,"advancedQueryCapabilities":{"supportsPagination":true},
          "editingInfo":{"lastEditDate":1700000000000}})",
      "layer/0");
  EXPECT_EQ(info.max_record_count, 1000u);
  EXPECT_TRUE(info.supports_pagination);
  ASSERT_TRUE(info.last_edit_date);
  EXPECT_EQ(*info.last_edit_date, 1700000000000);
  const auto bare = parse_layer_info(R"({"maxRecordCount":2})", "layer/0");
  EXPECT_FALSE(bare.supports_pagination);
  EXPECT_FALSE(bare.last_edit_date);
}

TEST(ArcGisLayer, AnErrorInsideA200IsAnArcGisErrorNeverAnEmptyAnswer) {
  const std::string error = R"({"error":{"code":498,"message":"Invalid token.","details":[]}})";
  try {
    parse_layer_info(error, "layer/0");
    FAIL() << "no error";
  } catch (const ArcGisError& e) {
    EXPECT_EQ(e.arcgis_code(), 498);
    EXPECT_EQ(e.code(), ExitCode::unavailable);
    EXPECT_NE(std::string(e.what()).find("layer/0"), std::string::npos);
  }
  EXPECT_THROW(parse_feature_count(error, "layer/0/query"), ArcGisError);
  EXPECT_THROW(parse_layer_info(R"({"maxRecordCount":0})", "layer/0"), Error);
  EXPECT_THROW(parse_feature_count(R"({"features":[]})", "layer/0/query"), Error);
  EXPECT_EQ(parse_feature_count(R"({"count":9627})", "layer/0/query"), 9627u);
}

TEST(ArcGisLayer, TheWindowIsAddedToTheWhereAsTimestamps) {
  EXPECT_EQ(air_quality::window_where("nom_dept='HAUTE-GARONNE'", "date_debut",
                                      {utc(2026, 12, 4, 10), utc(2026, 12, 5, 1)}),
            "(nom_dept='HAUTE-GARONNE') AND date_debut >= TIMESTAMP '2026-12-04 10:00:00' AND "
            "date_debut < TIMESTAMP '2026-12-05 01:00:00'");
}

AirQualityMeasurement measurement(std::string pollutant, int hour, double value, bool validated,
                                  std::int64_t object_id) {
  return {"FR50044", std::move(pollutant), utc(2026, 12, 4, hour), value, validated, object_id};
}

ParsedAirQuality page(std::vector<AirQualityMeasurement> measurements) {
  ParsedAirQuality parsed;
  parsed.record_count = measurements.size();
  parsed.stations.push_back({"FR50044", "Blagnac", "", "", "", "", "", 43.6, 1.3});
  parsed.measurements = std::move(measurements);
  parsed.rejected.push_back({1, "bad", "{}"});
  return parsed;
}

TEST(ArcGisLayer, PagesMergeUnderTheRuleOfOnePage) {
  air_quality::Census census;
  census.absorb(page({measurement("NO2", 1, 30, false, 9), measurement("NO", 1, -1, true, 2)}), 0);
  census.absorb(page({measurement("NO2", 1, 20, true, 4), measurement("NO", 1, 3, true, 12)}),
                1000);
  const ParsedAirQuality merged = std::move(census).finish();
  EXPECT_EQ(merged.record_count, 4u);
  EXPECT_EQ(merged.duplicates, 2u);
  ASSERT_EQ(merged.stations.size(), 1u);
  ASSERT_EQ(merged.measurements.size(), 2u);
  EXPECT_TRUE(merged.measurements[0].validated) << "a validated value beats a provisional one";
  EXPECT_DOUBLE_EQ(merged.measurements[0].value_ugm3, 20);
  EXPECT_EQ(merged.measurements[1].object_id, 12) << "then the higher ObjectId";
  EXPECT_EQ(merged.kept_negative, 0u) << "the negative value was replaced";
  ASSERT_EQ(merged.rejected.size(), 2u);
  EXPECT_EQ(merged.rejected[1].position, 1001u) << "a reject's position counts from the offset";
}

}  // namespace
}  // namespace meteo
