// The station network's second shape: one dataset holding many stations (Météo-France SYNOP),
// named by station_field, with SYNOP's fields and units by default and every unit checked.
#include <gtest/gtest.h>

#include <string>

#include "config_text.hpp"
#include "paths.hpp"

namespace meteo {
namespace {

using config_test::expect_config_error;
using config_test::parse;

const std::string kHead =
    "[[region_sets]]\nname = \"fr\"\nlocation = \"x\"\n[[sources]]\nname = \"synop\"\n"
    "type = \"opendatasoft-stations\"\nregion_sets = [\"fr\"]\n"
    "base_url = \"https://public.opendatasoft.com\"\n"
    "datasets = [\"donnees-synop-essentielles-omm\"]\nstart = \"2026-11-01T00\"\n";

TEST(SynopConfig, AStationFieldBringsSynopDefaults) {
  const Config config = parse(kHead + "station_field = \"numer_sta\"\n");
  const auto& network = *config.source("synop").stations;
  EXPECT_EQ(network.station_field, "numer_sta");
  EXPECT_EQ(network.fields.time, "date");
  EXPECT_EQ(network.fields.temperature, "t");
  EXPECT_EQ(network.fields.temperature_unit, "K");
  EXPECT_EQ(network.fields.pressure, "pmer");
  EXPECT_EQ(network.fields.pressure_unit, "Pa");
  EXPECT_EQ(network.fields.rain, "rr3");
  EXPECT_EQ(network.fields.rain_intensity_max, "");
  EXPECT_EQ(network.fields.wind_speed, "ff");
  EXPECT_EQ(network.fields.wind_speed_unit, "m/s");
  EXPECT_EQ(network.fields.gust, "raf10");
  EXPECT_EQ(network.fields.gust_unit, "m/s");
  EXPECT_EQ(network.station_fields.number, "numer_sta");
  EXPECT_EQ(network.station_fields.commune, "libgeo");
  EXPECT_EQ(network.station_fields.name, "nom");
  EXPECT_EQ(network.station_fields.latitude, "latitude");
  EXPECT_EQ(network.station_fields.type, "");
}

TEST(SynopConfig, WithoutAStationFieldTheDefaultsStayToulouses) {
  const Config config = parse(kHead);
  const auto& network = *config.source("synop").stations;
  EXPECT_EQ(network.station_field, "");
  EXPECT_EQ(network.fields.time, "heure_de_paris");
  EXPECT_EQ(network.fields.temperature_unit, "degC");
  EXPECT_EQ(network.fields.wind_speed_unit, "km/h");
  EXPECT_EQ(network.fields.gust_unit, "km/h");
  EXPECT_EQ(network.station_fields.commune, "ville");
  EXPECT_EQ(network.station_fields.name, "") << "Toulouse's station list names no station";
}

TEST(SynopConfig, FieldsAndUnitsAreOverridable) {
  const Config config = parse(kHead +
                              "station_field = \"numer_sta\"\n[sources.fields]\n"
                              "temperature = \"tc\"\ntemperature_unit = \"degC\"\nrain = \"rr1\"\n"
                              "gust_unit = \"km/h\"\n[sources.station_fields]\ncommune = \"nom\"\n"
                              "name = \"libgeo\"\n");
  const auto& network = *config.source("synop").stations;
  EXPECT_EQ(network.fields.temperature, "tc");
  EXPECT_EQ(network.fields.temperature_unit, "degC");
  EXPECT_EQ(network.fields.rain, "rr1");
  EXPECT_EQ(network.fields.gust_unit, "km/h");
  EXPECT_EQ(network.fields.wind_speed_unit, "m/s") << "the other defaults stay";
  EXPECT_EQ(network.station_fields.commune, "nom");
  EXPECT_EQ(network.station_fields.name, "libgeo");
}

TEST(SynopConfig, AnUnknownUnitIsNamedByItsKey) {
  const std::string synop = kHead + "station_field = \"numer_sta\"\n[sources.fields]\n";
  expect_config_error(synop + "temperature_unit = \"F\"\n",
                      "sources[0].fields.temperature_unit: must be degC or K (got \"F\")");
  expect_config_error(synop + "wind_speed_unit = \"kt\"\n",
                      "sources[0].fields.wind_speed_unit: must be km/h or m/s (got \"kt\")");
  expect_config_error(synop + "gust_unit = \"mph\"\n",
                      "sources[0].fields.gust_unit: must be km/h or m/s (got \"mph\")");
  expect_config_error(synop + "pressure_unit = \"bar\"\n",
                      "sources[0].fields.pressure_unit: must be Pa or hPa (got \"bar\")");
}

TEST(SynopConfig, ShapeMistakesAreNamed) {
  expect_config_error(kHead + "station_field = \"\"\n",
                      "sources[0].station_field: must not be empty");
  expect_config_error(kHead + "station_field = \"numer_sta\"\nstations_dataset = \"list\"\n",
                      "sources[0].stations_dataset: a dataset of many stations");
  expect_config_error(kHead +
                          "station_field = \"numer_sta\"\n[sources.station_fields]\n"
                          "dataset = \"x\"\n",
                      "sources[0].station_fields.dataset: unknown key");
}

TEST(SynopConfig, TheShippedSynopConfigIsTheSynopShape) {
  const Config config = load_config(meteo::testing::source_path("config/synop-france.toml"),
                                    [](const std::string& name) -> std::optional<std::string> {
                                      if (name == "METEO_DB_PASSWORD") return "x";
                                      return std::nullopt;
                                    });
  const auto& network = *config.source("synop-france").stations;
  EXPECT_EQ(network.station_field, "numer_sta");
  ASSERT_EQ(network.datasets.size(), 1u);
  EXPECT_EQ(network.datasets[0], "donnees-synop-essentielles-omm");
  EXPECT_EQ(network.fields.rain, "rr3");
  EXPECT_EQ(network.fields.temperature_unit, "K");
}

}  // namespace
}  // namespace meteo
