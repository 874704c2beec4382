#include "station_fixtures.hpp"

#include "meteo/store/ledger.hpp"
#include "meteo/store/region_sets.hpp"
#include "meteo/store/stations.hpp"

namespace meteo::testing {

WeatherObservation observation(const std::string& dataset, const std::string& sql_datetime,
                               std::optional<double> temperature) {
  WeatherObservation result;
  result.dataset_id = dataset;
  result.observed_at = at(sql_datetime);
  result.temperature_c = temperature;
  return result;
}

WeatherStation station(const std::string& dataset, const std::string& number,
                       const std::string& commune, double lon, double lat) {
  WeatherStation result;
  result.dataset_id = dataset;
  result.number = number;
  result.commune = commune;
  result.type = "ISS";
  result.latitude = lat;
  result.longitude = lon;
  result.altitude = 150;
  return result;
}

MatchedStation placed(WeatherStation station, std::vector<std::optional<std::size_t>> indexes) {
  return {std::move(station), std::move(indexes)};
}

StationStoreTest::StationStoreTest() {
  save_region_set(db_, region_set_config(communes_.name), communes_);
}

void StationStoreTest::sync_default_stations() {
  sync_stations(db_, kStationSource, station_sets_,
                {placed(station(kStationA, "1", "Toulouse", 1.4, 43.6), {0}),
                 placed(station(kStationB, "2", "Blagnac", 0.5, 43.5), {1})});
}

StationBatch StationStoreTest::station_batch(std::int64_t run_id, const std::string& dataset,
                                             std::vector<WeatherObservation> observations,
                                             std::optional<UtcSeconds> watermark,
                                             std::vector<RejectedRecord> rejected) const {
  StationBatch batch;
  batch.run_id = run_id;
  batch.source = kStationSource;
  batch.dataset_id = dataset;
  batch.run_hour = run_hour_;
  batch.region_sets = station_sets_;
  batch.fetched = observations.size() + rejected.size();
  batch.observations = std::move(observations);
  batch.rejected = std::move(rejected);
  batch.watermark = watermark;
  return batch;
}

RunCounts StationStoreTest::load_stations(const std::string& dataset,
                                          std::vector<WeatherObservation> observations,
                                          std::optional<UtcSeconds> watermark,
                                          std::vector<RejectedRecord> rejected) {
  const auto run_id = begin_run(db_, kStationSource, run_hour_);
  return load_station_batch(
      db_, station_batch(run_id, dataset, std::move(observations), watermark, std::move(rejected)));
}

StationStoreTest::StationSnapshot StationStoreTest::station_snapshot() {
  return {
      sql_rows(db_, "SELECT * FROM weather_stations ORDER BY source, dataset_id"),
      sql_rows(db_, "SELECT * FROM station_regions ORDER BY source, dataset_id, region_set"),
      sql_rows(db_, "SELECT * FROM station_datasets ORDER BY source, dataset_id"),
      sql_rows(db_, "SELECT * FROM weather_observations ORDER BY source, dataset_id, observed_at"),
      sql_rows(db_, "SELECT * FROM station_hourly_weather ORDER BY source, dataset_id, hour"),
      sql_rows(db_, "SELECT * FROM rejected_records ORDER BY id"),
      sql_rows(db_,
               "SELECT * FROM region_hourly_temperature ORDER BY region_set, region_code, hour"),
      sql_rows(db_, "SELECT * FROM station_daily_weather ORDER BY source, dataset_id, day"),
  };
}

Rows StationStoreTest::hourly(const std::string& dataset) {
  return sql_rows(db_,
                  "SELECT hour, temperature_mean, temperature_min, temperature_max, humidity_mean,"
                  " pressure_mean, rain_sum, wind_mean, gust_max, observations"
                  " FROM station_hourly_weather WHERE dataset_id = '" +
                      dataset + "' ORDER BY hour");
}

}  // namespace meteo::testing
