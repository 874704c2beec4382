// The parser's pollutant names and the model's list are one vocabulary: every normalised code
// the parser can produce is one a reader accepts, and each model code is found under its own name.
#include <gtest/gtest.h>

#include <algorithm>
#include <string_view>

#include "../../../src/sources/air_quality/pollutants.hpp"
#include "meteo/model/air_quality.hpp"

namespace meteo {
namespace {

TEST(AirQualityPollutants, EveryModelCodeIsFoundUnderItsOwnName) {
  for (std::string_view code : kAirQualityPollutants) {
    const auto found = air_quality::find_pollutant(code);
    ASSERT_TRUE(found.has_value()) << code;
    EXPECT_EQ(found->name, code);
  }
}

TEST(AirQualityPollutants, ATMOsNoxNameMapsToAModelCode) {
  const auto found = air_quality::find_pollutant("NOX as NO2");
  ASSERT_TRUE(found.has_value());
  EXPECT_NE(std::find(kAirQualityPollutants.begin(), kAirQualityPollutants.end(), found->name),
            kAirQualityPollutants.end());
  EXPECT_FALSE(air_quality::find_pollutant("PM1").has_value());
}

}  // namespace
}  // namespace meteo
