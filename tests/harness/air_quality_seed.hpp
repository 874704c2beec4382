// Air-quality data put in a test database through the store's own load (load_air_quality_batch),
// while no source can yet bring it in; `ingest --file` may later replace the callers. Weather
// stations and their observations go in through the station store, so the pairs and the view
// air_quality_weather_hourly are those a real run would give.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "meteo/model/air_quality.hpp"
#include "meteo/model/records.hpp"
#include "meteo/model/run_counts.hpp"
#include "meteo/store/database.hpp"

namespace meteo::testing {

struct AirQualitySeed {
  std::string source = "atmo";
  std::vector<AirQualityStation> stations;
  std::vector<AirQualityMeasurement> measurements;
  // The station network to pair with (load it first with seed_weather); none: no pairs.
  std::optional<std::string> weather_source;
  double max_pair_distance_km = 10;
  std::int64_t run_id = 1;
};

// One load_air_quality_batch of the seed (no region sets, no rejects); its counts.
RunCounts seed_air_quality(Database& db, const AirQualitySeed& seed);

struct WeatherSeed {
  std::string source = "toulouse";
  std::vector<WeatherStation> stations;
  std::vector<WeatherObservation> observations;  // any dataset of `stations`
  std::int64_t run_id = 1;
};

// sync_stations (no region sets), then one load_station_batch per dataset: the hourly weather
// (wind mean and direction included) is what the station load computes.
void seed_weather(Database& db, const WeatherSeed& seed);

// A measurement: hour as "2026-11-22 06:00:00", validated unless said otherwise.
AirQualityMeasurement air_quality_value(const std::string& station, const std::string& pollutant,
                                        const std::string& sql_hour, double ugm3,
                                        bool validated = true);

}  // namespace meteo::testing
