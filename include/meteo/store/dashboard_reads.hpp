// What the dashboard and the export command read from the database (docs/dashboard-data.md).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "meteo/core/time.hpp"
#include "meteo/store/database.hpp"
#include "meteo/store/stations.hpp"

namespace meteo {

// One row of the view region_temperature_3h with the aggregate's number of readings.
struct RegionHourRow {
  std::string region_set, region_code, region;
  UtcSeconds hour;
  double temperature = 0;
  std::size_t number_of_points = 0;
  std::optional<double> temperature_3h_before;
};

// The newest hour with an aggregate in the set, if any.
std::optional<UtcSeconds> newest_region_hour(Database& db, const std::string& region_set);

// Rows with from <= hour <= to, of one set or of every set, ordered by set, region code, hour.
std::vector<RegionHourRow> query_region_hours(Database& db,
                                              const std::optional<std::string>& region_set,
                                              UtcSeconds from, UtcSeconds to);

// The ledger's last finished success and failure of a source (running runs are ignored).
struct SourceHealth {
  std::optional<UtcSeconds> last_success, last_failure;
  std::string last_failure_message;
};
SourceHealth read_source_health(Database& db, const std::string& source);

// A station of a source with its area in one region set (nothing when outside the set).
struct StationWithRegion {
  WeatherStation station;
  std::optional<std::string> region_code;
};
std::vector<StationWithRegion> query_stations(Database& db, const std::string& source,
                                              const std::string& region_set);

// Each station's newest observation (one per dataset that has any).
std::vector<WeatherObservation> query_latest_observations(Database& db, const std::string& source);

// The newest observation of the whole network, if any.
std::optional<UtcSeconds> newest_observation(Database& db, const std::string& source);

// station_hourly_weather rows with from <= hour <= to, of one source or all, ordered by source,
// dataset, hour.
std::vector<StationHourlyRow> query_station_hours(Database& db,
                                                  const std::optional<std::string>& source,
                                                  UtcSeconds from, UtcSeconds to);

}  // namespace meteo
