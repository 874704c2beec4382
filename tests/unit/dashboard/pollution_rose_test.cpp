// The pollution rose's sectors, calm hours and means, on hand-made view rows.
#include <gtest/gtest.h>

#include "air_quality_files.hpp"
#include "meteo/core/time.hpp"

namespace meteo::dashboard {
namespace {

using nlohmann::json;

AirQualityWeatherRow row(int hour, const std::string& pollutant, double value,
                         std::optional<double> speed, std::optional<double> direction) {
  AirQualityWeatherRow out;
  out.source = "atmo";
  out.station_code = "FR50044";
  out.pollutant = pollutant;
  out.hour = parse_hour("2026-11-22T00") + std::chrono::hours(hour);
  out.value_ugm3 = value;
  out.weather_station = "01-meteopole";
  out.wind_speed = speed;
  out.wind_direction = direction;
  return out;
}

TEST(PollutionRose, SectorsAreCentredOnTheCompassPoints) {
  // 22.5° sectors, the first [348.75°, 11.25°): a bound belongs to the sector it opens.
  const std::vector<AirQualityWeatherRow> rows{
      row(0, "NO2", 10, 5, 348.75), row(1, "NO2", 20, 5, 359.9), row(2, "NO2", 30, 5, 11.2),
      row(3, "NO2", 40, 5, 11.25),  row(4, "NO2", 50, 5, 180),   row(5, "NO2", 60, 5, 0)};
  const json rose = pollution_rose(rows);
  ASSERT_EQ(rose["sectors"].size(), 16u);
  EXPECT_EQ(rose["sectors"][0]["hours"], 4);
  EXPECT_DOUBLE_EQ(rose["sectors"][0]["means"]["NO2"].get<double>(), (10 + 20 + 30 + 60) / 4.0);
  EXPECT_EQ(rose["sectors"][1]["hours"], 1);
  EXPECT_EQ(rose["sectors"][1]["direction_deg"], 22.5);
  EXPECT_EQ(rose["sectors"][8]["hours"], 1);
  EXPECT_EQ(rose["sectors"][8]["means"]["NO2"], 50.0);
  EXPECT_EQ(rose["calm_hours"], 0);
}

TEST(PollutionRose, CalmHoursAndHoursWithoutWindStayOutOfTheSectors) {
  const std::vector<AirQualityWeatherRow> rows{
      row(0, "NO2", 10, 1.99, 90),          // calm, whatever the direction
      row(1, "NO2", 20, 2.0, 90),           // 2 km/h is not calm
      row(2, "NO2", 30, std::nullopt, 90),  // no weather hour
      row(3, "NO2", 40, 8, std::nullopt),   // wind without a direction
      row(1, "PM10", 15, 2.0, 90),          // the same hour, another pollutant: one hour
      row(1, "O3", 55, 2.0, 90)};
  const json rose = pollution_rose(rows);
  EXPECT_EQ(rose["calm_hours"], 1);
  EXPECT_EQ(rose["calm_below_kmh"], 2.0);
  std::size_t hours = 0;
  for (const json& sector : rose["sectors"]) hours += sector["hours"].get<std::size_t>();
  EXPECT_EQ(hours, 1u);
  const json& east = rose["sectors"][4];
  EXPECT_EQ(east["hours"], 1);
  EXPECT_EQ(east["means"]["NO2"], 20.0);
  EXPECT_EQ(east["means"]["PM10"], 15.0);
  EXPECT_EQ(east["means"]["O3"], 55.0);
  EXPECT_TRUE(east["means"]["PM2.5"].is_null());
  EXPECT_EQ(rose["days"], 30);
}

}  // namespace
}  // namespace meteo::dashboard
