// A station's name as the page shows it: its source's own, or read from its dataset id.
#include "meteo/dashboard/station_names.hpp"

#include <gtest/gtest.h>

namespace meteo::dashboard {
namespace {

TEST(StationNames, TheIdWithoutNumberNetworkAndCommune) {
  EXPECT_EQ(station_display_name("01-station-meteo-toulouse-meteopole", "Toulouse", ""),
            "Meteopole");
  EXPECT_EQ(station_display_name("42-station-meteo-blagnac-mairie", "Blagnac", ""), "Mairie");
  // The portal mixes cases; the rest is kept as written.
  EXPECT_EQ(station_display_name("63-station-meteo-toulouse-LIFE-soufflot", "Toulouse", ""),
            "LIFE soufflot");
  EXPECT_EQ(station_display_name("37-station-meteo-colomiers-za-perget", "Colomiers", ""),
            "Za perget");
}

TEST(StationNames, ACommuneOfSeveralWordsIsSpeltWithDashes) {
  EXPECT_EQ(station_display_name("12-station-meteo-l-union-ecole", "L'Union", ""), "Ecole");
  EXPECT_EQ(station_display_name("12-station-meteo-saint-jean-parc", "Saint Jean", ""), "Parc");
}

TEST(StationNames, NothingLeftOrAnotherSchemeFallsBackOnTheCommuneOrTheId) {
  EXPECT_EQ(station_display_name("05-station-meteo-toulouse", "Toulouse", ""), "Toulouse");
  // Another network's ids: only the number is dropped.
  EXPECT_EQ(station_display_name("7-parc-des-sports", "Muret", ""), "Parc des sports");
  EXPECT_EQ(station_display_name("", "", ""), "");
}

TEST(StationNames, TheLabelAddsTheCommune) {
  EXPECT_EQ(station_label("01-station-meteo-toulouse-meteopole", "Toulouse", ""),
            "Meteopole (Toulouse)");
  EXPECT_EQ(station_label("05-station-meteo-toulouse", "Toulouse", ""), "Toulouse");
}

// SYNOP's `nom`: the dataset id is a WMO number, which says nothing of the place.
TEST(StationNames, TheSourcesOwnNameWinsOverTheId) {
  EXPECT_EQ(station_display_name("07630", "Blagnac", "TOULOUSE-BLAGNAC"), "TOULOUSE-BLAGNAC");
  EXPECT_EQ(station_display_name("01-station-meteo-toulouse-meteopole", "Toulouse", "Météopole"),
            "Météopole");
  EXPECT_EQ(station_display_name("07630", "Blagnac", ""), "07630");
  EXPECT_EQ(station_label("07630", "Blagnac", "TOULOUSE-BLAGNAC"), "TOULOUSE-BLAGNAC (Blagnac)");
}

}  // namespace
}  // namespace meteo::dashboard
