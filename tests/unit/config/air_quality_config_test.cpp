// The arcgis-air-quality source's keys: defaults, the layer key, and each mistake named by key.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "meteo/config/config.hpp"
#include "meteo/core/errors.hpp"
#include "meteo/core/time.hpp"

namespace meteo {
namespace {

EnvironmentLookup no_environment() {
  return [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
}

constexpr const char* kLayer =
    "https://services9.arcgis.com/7Sr9Ek9c1QTKmbwr/arcgis/rest/services/"
    "mesures_occitanie_72h_poll_princ/FeatureServer/0";

std::string head() {
  return "[[region_sets]]\nname = \"c\"\nlocation = \"x\"\n"
         "[[sources]]\nname = \"toulouse\"\ntype = \"opendatasoft-stations\"\n"
         "base_url = \"https://p\"\ndatasets = [\"a\"]\nstart = \"2026-11-01T00\"\n"
         "region_sets = [\"c\"]\n"
         "[[sources]]\nname = \"atmo\"\ntype = \"arcgis-air-quality\"\nregion_sets = [\"c\"]\n";
}

void expect_error(const std::string& toml, const std::string& needle) {
  try {
    parse_config(toml, "test.toml", no_environment());
    ADD_FAILURE() << "accepted a configuration that should fail with: " << needle;
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ExitCode::config);
    EXPECT_NE(std::string(error.what()).find(needle), std::string::npos) << error.what();
  }
}

TEST(AirQualityConfig, DefaultsAreAtmoOccitanies) {
  const Config config =
      parse_config(head() + "url = \"" + kLayer + "/\"\n", "test.toml", no_environment());
  const auto& aq = *config.source("atmo").air_quality;
  ASSERT_EQ(aq.layers.size(), 1u);
  EXPECT_EQ(aq.layers[0].key, "mesures_occitanie_72h_poll_princ/0");
  EXPECT_EQ(aq.layers[0].url, kLayer) << "trailing slash dropped";
  EXPECT_EQ(aq.where, "1=1");
  EXPECT_EQ(aq.lookback, std::chrono::hours(48));
  EXPECT_EQ(aq.max_catch_up, std::chrono::hours(72));
  EXPECT_EQ(aq.backfill_window, std::chrono::hours(24));
  EXPECT_FALSE(aq.start);
  EXPECT_EQ(aq.rules.negative_floor, -5.0);
  EXPECT_EQ(aq.rules.accepted_units, std::vector<std::string>{"ug.m-3"});
  EXPECT_EQ(aq.fields.station_code, "code_station");
  EXPECT_EQ(aq.fields.start, "date_debut");
  EXPECT_TRUE(aq.weather_source.empty());
  EXPECT_FALSE(config.source("atmo").stations);
}

TEST(AirQualityConfig, EveryKeyIsRead) {
  const Config config = parse_config(
      head() + "url = [\"" + kLayer + "\", \"http://h/arcgis/rest/services/other/MapServer/3\"]\n" +
          "where = \"nom_dept='HAUTE-GARONNE'\"\nlookback_hours = 6\nmax_catch_up_hours = 24\n"
          "start = \"2026-12-01T00\"\nbackfill_window_hours = 12\nnegative_floor = -2\n"
          "accepted_units = [\"ug.m-3\", \"µg/m³\"]\nweather_source = \"toulouse\"\n"
          "max_pair_distance_km = 7.5\n[sources.fields]\nstation_code = \"code\"\n",
      "test.toml", no_environment());
  const auto& aq = *config.source("atmo").air_quality;
  ASSERT_EQ(aq.layers.size(), 2u);
  EXPECT_EQ(aq.layers[1].key, "other/3");
  EXPECT_EQ(aq.where, "nom_dept='HAUTE-GARONNE'");
  EXPECT_EQ(aq.lookback, std::chrono::hours(6));
  EXPECT_EQ(aq.max_catch_up, std::chrono::hours(24));
  EXPECT_EQ(aq.backfill_window, std::chrono::hours(12));
  ASSERT_TRUE(aq.start);
  EXPECT_EQ(to_iso8601(*aq.start), "2026-12-01T00:00:00Z");
  EXPECT_EQ(aq.rules.negative_floor, -2.0);
  EXPECT_EQ(aq.rules.accepted_units.size(), 2u);
  EXPECT_EQ(aq.weather_source, "toulouse");
  EXPECT_EQ(aq.max_pair_distance_km, 7.5);
  EXPECT_EQ(aq.fields.station_code, "code");
  EXPECT_EQ(aq.fields.pollutant, "nom_poll") << "the others keep ATMO's names";
}

TEST(AirQualityConfig, MistakesAreNamedByKey) {
  const std::string layer = std::string("url = \"") + kLayer + "\"\n";
  expect_error(head(), "sources[1].url: is required");
  expect_error(head() + "url = \"ftp://x/a/FeatureServer/0\"\n", "sources[1].url: must be an http");
  expect_error(head() + "url = \"https://h/arcgis/rest/services/x\"\n",
               "sources[1].url: must be a layer URL ending in");
  expect_error(head() + "url = \"https://h/services/a b/FeatureServer/0\"\n",
               "sources[1].url: must be a layer URL");
  expect_error(head() + "url = \"" + kLayer + "?f=json\"\n", "sources[1].url: must be a layer URL");
  expect_error(head() + layer + "where = \" \"\n", "sources[1].where: must not be empty");
  expect_error(head() + layer + "negative_floor = 0.5\n", "sources[1].negative_floor: must be 0");
  expect_error(head() + layer + "negative_floor = \"low\"\n",
               "sources[1].negative_floor: must be a number");
  expect_error(head() + layer + "base_url = \"https://p\"\n", "sources[1].base_url: unknown key");
  expect_error(head() + layer + "lookback_hours = -1\n", "sources[1].lookback_hours: must be");
  expect_error(head() + layer + "start = \"yesterday\"\n", "sources[1].start");
  expect_error(head() + layer + "accepted_units = []\n", "sources[1].accepted_units");
  expect_error(head() + layer + "weather_source = \"nowhere\"\n",
               "sources[1].weather_source: no [[sources]] entry is named \"nowhere\"");
  expect_error(head() + layer + "weather_source = \"atmo\"\n",
               "sources[1].weather_source: source \"atmo\" is of type arcgis-air-quality");
  expect_error(head() + layer + "[sources.fields]\nstation = \"x\"\n",
               "sources[1].fields.station: unknown key");
  expect_error(head() + layer + "[sources.fields]\nstart = \"date debut\"\n",
               "sources[1].fields.start: must be a field name");
}

}  // namespace
}  // namespace meteo
