// Fixtures of the station store's integration tests: a commune set, two stations, batches.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "meteo/store/stations.hpp"
#include "store_fixtures.hpp"

namespace meteo::testing {

inline const std::string kStationSource = "toulouse";
inline const std::string kStationA = "01-station-a";  // in Toulouse
inline const std::string kStationB = "02-station-b";  // in Blagnac

// An observation with only a temperature (nullopt: not measured).
WeatherObservation observation(const std::string& dataset, const std::string& sql_datetime,
                               std::optional<double> temperature);

WeatherStation station(const std::string& dataset, const std::string& number,
                       const std::string& commune, double lon, double lat);
MatchedStation placed(WeatherStation station, std::vector<std::optional<std::size_t>> indexes);

// StoreTest plus "toulouse-communes" (31555 Toulouse, 31069 Blagnac) and a station source fed
// into it; fr-regions (from StoreTest) stays the sensor feed's set.
class StationStoreTest : public StoreTest {
 protected:
  StationStoreTest();

  // Stations A (Toulouse) and B (Blagnac) matched against station_sets_ = {communes}.
  void sync_default_stations();

  StationBatch station_batch(std::int64_t run_id, const std::string& dataset,
                             std::vector<WeatherObservation> observations,
                             std::optional<UtcSeconds> watermark = std::nullopt,
                             std::vector<RejectedRecord> rejected = {}) const;
  // begin_run + load_station_batch, the run stamped `run_hour`.
  RunCounts load_stations(const std::string& dataset, std::vector<WeatherObservation> observations,
                          std::optional<UtcSeconds> watermark = std::nullopt,
                          std::vector<RejectedRecord> rejected = {});

  // Every row of every table a station load writes, updated_at included.
  struct StationSnapshot {
    Rows stations, station_regions, datasets, observations, hourly, rejected, aggregates, daily;
    bool operator==(const StationSnapshot&) const = default;
  };
  StationSnapshot station_snapshot();
  // (hour, mean, min, max, humidity, pressure, rain, wind, gust, observations) of a dataset.
  Rows hourly(const std::string& dataset = kStationA);

  RegionSet communes_{
      "toulouse-communes",
      "c1",
      {square_region("31555", "Toulouse", 1, 43), square_region("31069", "Blagnac", 0, 43)}};
  std::vector<const RegionSet*> station_sets_{&communes_};
  UtcSeconds run_hour_ = at("2026-11-22 10:00:00");
};

}  // namespace meteo::testing
