#include "meteo/core/names.hpp"

#include <gtest/gtest.h>

#include <string>

#include "meteo/core/errors.hpp"

namespace meteo {
namespace {

TEST(PlainName, AcceptsTheNamesInUse) {
  for (const char* name : {"sensors", "fr-regions", "toulouse-communes", "station_meteo.v2",
                           "42-station-meteo-toulouse-valade", "A"}) {
    EXPECT_TRUE(is_plain_name(name)) << name;
  }
  EXPECT_TRUE(is_plain_name(std::string(64, 'x')));
}

TEST(PlainName, RefusesAnythingThatCouldLeaveADirectory) {
  for (const char* name :
       {"", ".", "..", "../../x", "a/b", "/etc", ".hidden", "a\\b", "a b", "é", "a\nb", "a:b"}) {
    EXPECT_FALSE(is_plain_name(name)) << name;
  }
  EXPECT_FALSE(is_plain_name(std::string(65, 'x')));
  EXPECT_FALSE(is_plain_name(std::string("a\0b", 3)));
}

TEST(FileInside, BuildsThePathOrRefusesTheName) {
  EXPECT_EQ(file_inside("/srv/site/data", "shapes-", "fr-regions", ".geojson"),
            std::filesystem::path("/srv/site/data/shapes-fr-regions.geojson"));
  try {
    file_inside("/srv/site/data", "shapes-", "../../x", ".geojson");
    ADD_FAILURE() << "a traversing name was accepted";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("../../x"), std::string::npos);
  }
}

}  // namespace
}  // namespace meteo
