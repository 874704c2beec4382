// The names of the models and quantities, and their round trip.
#include <gtest/gtest.h>

#include "meteo/forecast/forecast.hpp"

namespace meteo::forecast {
namespace {

TEST(ForecastText, EveryModelNameParsesBackToItsModel) {
  for (const Model model :
       {Model::persistence, Model::diurnal_persistence, Model::holt_winters, Model::linear}) {
    EXPECT_EQ(parse_model(model_text(model)), model);
  }
  EXPECT_EQ(parse_model("holt-winters"), std::nullopt);
  EXPECT_STREQ(quantity_text(Quantity::day_maximum), "day_maximum");
  EXPECT_STREQ(quantity_text(Quantity::temperature), "temperature");
}

}  // namespace
}  // namespace meteo::forecast
