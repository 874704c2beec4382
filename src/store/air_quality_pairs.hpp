// Private to the store: each air-quality station paired with the nearest weather station of a
// station network, inside the air-quality load's transaction.
#pragma once

#include <string>
#include <vector>

#include "meteo/store/air_quality.hpp"
#include "sql_support.hpp"

namespace meteo::store {

// Great-circle distance in km between two WGS84 points (haversine, mean Earth radius 6371 km).
double distance_km(double latitude_a, double longitude_a, double latitude_b, double longitude_b);

// Pairs each station with the nearest station of `weather_source` within `max_distance_km`
// (ties: the smaller dataset id); a station with none that close loses its pair. paired_at moves
// only when the pair or its distance changes.
void pair_air_quality_stations(sql::Connection& connection, const std::string& source,
                               const std::vector<MatchedAirQualityStation>& stations,
                               const std::string& weather_source, double max_distance_km,
                               std::string& step);

}  // namespace meteo::store
