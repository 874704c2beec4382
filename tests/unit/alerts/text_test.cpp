#include <gtest/gtest.h>

#include "meteo/alerts/alerts.hpp"

namespace meteo::alerts {
namespace {

TEST(AlertText, KindsReadBack) {
  for (Kind kind :
       {Kind::strong_wind, Kind::severe_cold, Kind::heat_wave, Kind::heavy_rain, Kind::pollution}) {
    EXPECT_EQ(parse_kind(kind_text(kind)), kind) << kind_text(kind);
  }
  EXPECT_STREQ(kind_text(Kind::heavy_rain), "heavy_rain");
  EXPECT_EQ(parse_kind("storm"), std::nullopt);
  EXPECT_EQ(parse_kind("Strong_Wind"), std::nullopt) << "stored names are exact";
}

TEST(AlertText, Changes) {
  EXPECT_STREQ(change_text(Change::opened), "opened");
  EXPECT_STREQ(change_text(Change::escalated), "escalated");
  EXPECT_STREQ(change_text(Change::closed), "closed");
  EXPECT_STREQ(change_text(Change::withdrawn), "withdrawn");
}

}  // namespace
}  // namespace meteo::alerts
