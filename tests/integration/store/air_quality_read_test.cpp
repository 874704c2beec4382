// The air-quality readers against the test MariaDB, on values seeded through the store's load.
#include "meteo/store/air_quality_read.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "air_quality_seed.hpp"
#include "store_fixtures.hpp"

namespace meteo::testing {
namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr const char* kDay = "2026-11-22";

std::string hour_of(const std::string& day, int hour) {
  return day + (hour < 10 ? " 0" : " ") + std::to_string(hour) + ":00:00";
}

// Haversine, mean Earth radius 6371 km: written here from the formula, not the store's.
double haversine_km(double lat1, double lon1, double lat2, double lon2) {
  const auto rad = [](double degrees) { return degrees * kPi / 180; };
  const double a =
      std::pow(std::sin(rad(lat2 - lat1) / 2), 2) +
      std::cos(rad(lat1)) * std::cos(rad(lat2)) * std::pow(std::sin(rad(lon2 - lon1) / 2), 2);
  return 2 * 6371 * std::asin(std::sqrt(a));
}

// FR50044 (Toulouse, 0.8 km from the weather station) measures NO2 30 every hour of kDay but 250
// at 10:00 (an information exceedance, class 5), PM10 15 all day (class 1). FR99999 (far away,
// no pair) measures NO2 20 at 00:00 and 01:00 the next day. The weather station reports every
// hour of kDay but 05:00: wind 10 km/h from 90°, 8 °C.
class AirQualityRead : public ::testing::Test {
 protected:
  void SetUp() override {
    WeatherSeed weather;
    weather.stations = {{"01-meteopole", "1", "Toulouse", "ISS", 43.574, 1.374, 150.0}};
    for (int hour = 0; hour < 24; ++hour) {
      if (hour == 5) continue;
      WeatherObservation observation;
      observation.dataset_id = "01-meteopole";
      observation.observed_at = at(hour_of(kDay, hour));
      observation.temperature_c = 8;
      observation.wind_speed_kmh = 10;
      observation.wind_direction_deg = 90;
      weather.observations.push_back(observation);
    }
    seed_weather(db_, weather);

    AirQualitySeed seed;
    seed.stations = {
        {"FR50044", "Toulouse Jacquier", "Toulouse", "31555", "HAUTE-GARONNE", "urbaine", "fond",
         43.58, 1.38},
        {"FR99999", "Far away", "Lyon", "69123", "RHONE", "urbaine", "trafic", 45.75, 4.85}};
    for (int hour = 0; hour < 24; ++hour) {
      seed.measurements.push_back(
          air_quality_value("FR50044", "NO2", hour_of(kDay, hour), hour == 10 ? 250 : 30));
      seed.measurements.push_back(air_quality_value("FR50044", "PM10", hour_of(kDay, hour), 15));
    }
    seed.measurements.push_back(air_quality_value("FR99999", "NO2", "2026-11-23 00:00:00", 20));
    seed.measurements.push_back(
        air_quality_value("FR99999", "NO2", "2026-11-23 01:00:00", 20, false));
    seed.weather_source = "toulouse";
    const RunCounts counts = seed_air_quality(db_, seed);
    ASSERT_EQ(counts.stored, 50u);
  }

  ScratchDatabase scratch_ = ScratchDatabase::migrated();
  Database db_ = scratch_.connect();
};

TEST_F(AirQualityRead, TheIndexIsTheWorstSubIndexOfTheDay) {
  const auto rows = query_air_quality_index(db_, {});
  ASSERT_EQ(rows.size(), 1u) << "FR99999 has no representative day";
  EXPECT_EQ(rows[0].source, "atmo");
  EXPECT_EQ(rows[0].station_code, "FR50044");
  EXPECT_EQ(rows[0].station_name, "Toulouse Jacquier");
  EXPECT_EQ(rows[0].day, kDay);
  EXPECT_EQ(rows[0].index_class, 5) << "NO2 max 250: 230 < 250 <= 340";
  EXPECT_EQ(rows[0].label, "Très mauvais");
  EXPECT_EQ(rows[0].dominant_pollutant, "NO2");
  EXPECT_EQ(rows[0].sub_indices, 2);
  EXPECT_EQ(rows[0].method, "atmo-2021");

  AirQualityFilter pm10;
  pm10.pollutant = "PM10";
  EXPECT_TRUE(query_air_quality_index(db_, pm10).empty()) << "PM10 dominates no day";
  AirQualityFilter later;
  later.from = at("2026-11-23 00:00:00");
  EXPECT_TRUE(query_air_quality_index(db_, later).empty());
  AirQualityFilter same_day;
  same_day.from = at("2026-11-22 23:00:00");
  same_day.to = at("2026-11-22 23:00:00");
  EXPECT_EQ(query_air_quality_index(db_, same_day).size(), 1u) << "days of the hours";
}

TEST_F(AirQualityRead, DailyRowsNewestFirst) {
  const auto rows = query_air_quality_daily(db_, {});
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].station_code, "FR99999");
  EXPECT_EQ(rows[0].day, "2026-11-23");
  EXPECT_EQ(rows[0].hours, 2);
  EXPECT_EQ(rows[0].validated_hours, 1);
  EXPECT_FALSE(rows[0].representative);
  EXPECT_EQ(rows[0].sub_index, std::nullopt);
  EXPECT_EQ(rows[1].pollutant, "NO2");
  EXPECT_DOUBLE_EQ(rows[1].mean_ugm3, (23 * 30.0 + 250) / 24);
  EXPECT_DOUBLE_EQ(rows[1].max_hourly_ugm3, 250);
  EXPECT_EQ(rows[1].hours, 24);
  EXPECT_TRUE(rows[1].representative);
  EXPECT_EQ(rows[1].sub_index, 5);
  EXPECT_EQ(rows[2].pollutant, "PM10");
  EXPECT_DOUBLE_EQ(rows[2].mean_ugm3, 15);
  EXPECT_EQ(rows[2].sub_index, 1);

  AirQualityFilter one;
  one.station = "FR50044";
  one.pollutant = "PM10";
  ASSERT_EQ(query_air_quality_daily(db_, one).size(), 1u);
}

TEST_F(AirQualityRead, HourlyRowsNewestFirstWithinTheWindowAndTheLimit) {
  AirQualityFilter filter;
  filter.limit = 4;
  auto rows = query_air_quality_hourly(db_, filter);
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0].station_code, "FR99999");
  EXPECT_EQ(rows[0].hour, at("2026-11-23 01:00:00"));
  EXPECT_FALSE(rows[0].validated);
  EXPECT_EQ(rows[1].hour, at("2026-11-23 00:00:00"));
  EXPECT_TRUE(rows[1].validated);
  EXPECT_EQ(rows[2].hour, at("2026-11-22 23:00:00"));
  EXPECT_EQ(rows[2].pollutant, "NO2");
  EXPECT_EQ(rows[3].pollutant, "PM10");

  filter = {};
  filter.station = "FR50044";
  filter.pollutant = "NO2";
  filter.from = at("2026-11-22 09:00:00");
  filter.to = at("2026-11-22 11:00:00");
  rows = query_air_quality_hourly(db_, filter);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_DOUBLE_EQ(rows[0].value_ugm3, 30);
  EXPECT_DOUBLE_EQ(rows[1].value_ugm3, 250);
  EXPECT_EQ(rows[1].hour, at("2026-11-22 10:00:00"));
}

TEST_F(AirQualityRead, ExceedancesOverlappingTheWindow) {
  const auto rows = query_air_quality_exceedances(db_, {});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].station_code, "FR50044");
  EXPECT_EQ(rows[0].pollutant, "NO2");
  EXPECT_EQ(rows[0].level, "information");
  EXPECT_EQ(rows[0].basis, "hourly");
  EXPECT_EQ(rows[0].start_at, at("2026-11-22 10:00:00"));
  EXPECT_EQ(rows[0].end_at, at("2026-11-22 11:00:00"));
  EXPECT_EQ(rows[0].periods, 1);
  EXPECT_DOUBLE_EQ(rows[0].peak_ugm3, 250);
  EXPECT_EQ(rows[0].peak_at, at("2026-11-22 10:00:00"));

  AirQualityFilter inside;
  inside.from = at("2026-11-22 10:00:00");
  inside.to = at("2026-11-22 10:00:00");
  EXPECT_EQ(query_air_quality_exceedances(db_, inside).size(), 1u);
  AirQualityFilter after;
  after.from = at("2026-11-22 11:00:00");
  EXPECT_TRUE(query_air_quality_exceedances(db_, after).empty()) << "end_at is exclusive";
  AirQualityFilter before;
  before.to = at("2026-11-22 09:00:00");
  EXPECT_TRUE(query_air_quality_exceedances(db_, before).empty());
}

TEST_F(AirQualityRead, PairsWithTheirDistance) {
  const auto rows = query_air_quality_pairs(db_, {});
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].station_code, "FR50044");
  EXPECT_EQ(rows[0].weather_source, "toulouse");
  EXPECT_EQ(rows[0].weather_dataset, "01-meteopole");
  ASSERT_TRUE(rows[0].distance_km);
  EXPECT_NEAR(*rows[0].distance_km, haversine_km(43.58, 1.38, 43.574, 1.374), 1e-9);
  EXPECT_EQ(rows[1].station_code, "FR99999");
  EXPECT_EQ(rows[1].weather_dataset, std::nullopt) << "hundreds of km away";
  EXPECT_EQ(rows[1].distance_km, std::nullopt);
}

TEST_F(AirQualityRead, TheWeatherViewHasNullWeatherWhereTheHourIsAbsent) {
  AirQualityFilter filter;
  filter.station = "FR50044";
  filter.pollutant = "NO2";
  filter.from = at("2026-11-22 04:00:00");
  filter.to = at("2026-11-22 06:00:00");
  const auto rows = query_air_quality_weather(db_, filter);
  ASSERT_EQ(rows.size(), 3u);
  for (const auto& row : rows) {
    EXPECT_EQ(row.source, "atmo");
    EXPECT_EQ(row.weather_station, "01-meteopole");
    EXPECT_DOUBLE_EQ(row.value_ugm3, 30);
  }
  ASSERT_TRUE(rows[0].wind_speed && rows[0].wind_direction && rows[0].temperature);
  EXPECT_DOUBLE_EQ(*rows[0].wind_speed, 10);
  EXPECT_NEAR(*rows[0].wind_direction, 90, 1e-9);
  EXPECT_DOUBLE_EQ(*rows[0].temperature, 8);
  EXPECT_EQ(rows[1].hour, at("2026-11-22 05:00:00"));
  EXPECT_EQ(rows[1].wind_speed, std::nullopt) << "no weather at 05:00";
  EXPECT_EQ(rows[1].temperature, std::nullopt);
  EXPECT_TRUE(rows[2].wind_speed.has_value());

  AirQualityFilter far;
  far.station = "FR99999";
  const auto unpaired = query_air_quality_weather(db_, far);
  ASSERT_EQ(unpaired.size(), 2u);
  EXPECT_EQ(unpaired[0].weather_station, std::nullopt);
  EXPECT_EQ(unpaired[0].hour, at("2026-11-23 00:00:00")) << "ascending";

  AirQualityFilter other_source;
  other_source.source = "elsewhere";
  EXPECT_TRUE(query_air_quality_weather(db_, other_source).empty());
}

TEST_F(AirQualityRead, StationSummariesSourcesAndNewestHour) {
  EXPECT_EQ(air_quality_sources(db_), std::vector<std::string>{"atmo"});
  EXPECT_EQ(newest_air_quality_hour(db_, "atmo"), at("2026-11-23 01:00:00"));
  EXPECT_EQ(newest_air_quality_hour(db_, "elsewhere"), std::nullopt);
  EXPECT_TRUE(air_quality_station_exists(db_, "FR50044"));
  EXPECT_FALSE(air_quality_station_exists(db_, "FR00000"));

  const auto stations = query_air_quality_stations(db_, "atmo");
  ASSERT_EQ(stations.size(), 2u);
  EXPECT_EQ(stations[0].code, "FR50044");
  EXPECT_EQ(stations[0].typology, "urbaine");
  EXPECT_EQ(stations[0].influence, "fond");
  EXPECT_DOUBLE_EQ(stations[0].latitude, 43.58);
  EXPECT_EQ(stations[0].weather_dataset, "01-meteopole");
  ASSERT_TRUE(stations[0].latest_index);
  EXPECT_EQ(stations[0].latest_index->day, kDay);
  EXPECT_EQ(stations[0].latest_index->index_class, 5);
  EXPECT_EQ(stations[1].code, "FR99999");
  EXPECT_EQ(stations[1].latest_index, std::nullopt);
  EXPECT_EQ(stations[1].weather_dataset, std::nullopt);
}

}  // namespace
}  // namespace meteo::testing
