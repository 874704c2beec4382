#include "air_quality_seed.hpp"

#include <map>

#include "meteo/core/time.hpp"
#include "meteo/store/air_quality.hpp"
#include "meteo/store/stations.hpp"

namespace meteo::testing {

RunCounts seed_air_quality(Database& db, const AirQualitySeed& seed) {
  AirQualityBatch batch;
  batch.run_id = seed.run_id;
  batch.source = seed.source;
  batch.layer = "file";
  batch.reason_prefix = "file seed: ";
  batch.run_hour = floor_to_hour(std::chrono::system_clock::now());
  for (const auto& station : seed.stations) batch.stations.push_back({station, {}});
  batch.measurements = seed.measurements;
  batch.fetched = seed.measurements.size();
  batch.weather_source = seed.weather_source;
  batch.max_pair_distance_km = seed.max_pair_distance_km;
  return load_air_quality_batch(db, batch);
}

void seed_weather(Database& db, const WeatherSeed& seed) {
  std::vector<MatchedStation> stations;
  for (const auto& station : seed.stations) stations.push_back({station, {}});
  sync_stations(db, seed.source, {}, stations);
  std::map<std::string, std::vector<WeatherObservation>> by_dataset;
  for (const auto& observation : seed.observations) {
    by_dataset[observation.dataset_id].push_back(observation);
  }
  for (auto& [dataset, observations] : by_dataset) {
    StationBatch batch;
    batch.run_id = seed.run_id;
    batch.source = seed.source;
    batch.dataset_id = dataset;
    batch.run_hour = floor_to_hour(std::chrono::system_clock::now());
    batch.fetched = observations.size();
    batch.observations = std::move(observations);
    load_station_batch(db, batch);
  }
}

AirQualityMeasurement air_quality_value(const std::string& station, const std::string& pollutant,
                                        const std::string& sql_hour, double ugm3, bool validated) {
  return {station, pollutant, parse_sql_datetime(sql_hour), ugm3, validated, 0};
}

}  // namespace meteo::testing
