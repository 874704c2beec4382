// Each air-quality station's nearest weather station, for the air_quality_weather_hourly view.
#include "air_quality_pairs.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <optional>

namespace meteo::store {

namespace {

constexpr double kEarthRadiusKm = 6371.0;

double radians(double degrees) {
  return degrees * std::numbers::pi / 180.0;
}

struct WeatherPoint {
  std::string dataset_id;
  double latitude = 0, longitude = 0;
};

struct Pair {
  std::string weather_dataset;
  double distance = 0;
};

// In dataset id order, so the first of equally near stations wins.
std::vector<WeatherPoint> read_weather_points(sql::Connection& connection,
                                              const std::string& weather_source) {
  auto statement = prepare(connection,
                           "SELECT dataset_id, latitude, longitude FROM weather_stations"
                           " WHERE source = ? ORDER BY dataset_id");
  Binder(*statement).text(weather_source);
  auto row = run_query(*statement);
  std::vector<WeatherPoint> points;
  while (row->next()) {
    points.push_back({text(*row, 1), *optional_real(*row, 2), *optional_real(*row, 3)});
  }
  return points;
}

std::optional<Pair> nearest_within(const AirQualityStation& station,
                                   const std::vector<WeatherPoint>& points, double max_km) {
  std::optional<Pair> best;
  for (const auto& point : points) {
    const double km =
        distance_km(station.latitude, station.longitude, point.latitude, point.longitude);
    if (km <= max_km && (!best || km < best->distance)) best = Pair{point.dataset_id, km};
  }
  return best;
}

void store_pair(sql::Connection& connection, const std::string& source,
                const std::string& station_code, const std::string& weather_source,
                const Pair& pair) {
  auto statement = prepare(
      connection,
      "INSERT INTO air_quality_station_pairs (source, station_code, weather_source,"
      " weather_dataset, distance_km, paired_at) VALUES (?, ?, ?, ?, ?, UTC_TIMESTAMP(3))"
      " ON DUPLICATE KEY UPDATE paired_at = IF(weather_source = VALUES(weather_source)"
      " AND weather_dataset = VALUES(weather_dataset) AND distance_km = VALUES(distance_km),"
      " paired_at, VALUES(paired_at)), weather_source = VALUES(weather_source),"
      " weather_dataset = VALUES(weather_dataset), distance_km = VALUES(distance_km)");
  Binder(*statement)
      .text(source)
      .text(station_code)
      .text(weather_source)
      .text(pair.weather_dataset)
      .real(pair.distance);
  statement->executeUpdate();
}

void drop_pair(sql::Connection& connection, const std::string& source,
               const std::string& station_code) {
  auto statement = prepare(
      connection, "DELETE FROM air_quality_station_pairs WHERE source = ? AND station_code = ?");
  Binder(*statement).text(source).text(station_code);
  statement->executeUpdate();
}

}  // namespace

double distance_km(double latitude_a, double longitude_a, double latitude_b, double longitude_b) {
  const double half_dlat = radians(latitude_b - latitude_a) / 2;
  const double half_dlon = radians(longitude_b - longitude_a) / 2;
  const double h = std::sin(half_dlat) * std::sin(half_dlat) +
                   std::cos(radians(latitude_a)) * std::cos(radians(latitude_b)) *
                       std::sin(half_dlon) * std::sin(half_dlon);
  return 2 * kEarthRadiusKm * std::asin(std::sqrt(std::min(1.0, h)));
}

void pair_air_quality_stations(sql::Connection& connection, const std::string& source,
                               const std::vector<MatchedAirQualityStation>& stations,
                               const std::string& weather_source, double max_distance_km,
                               std::string& step) {
  step = "reading the weather stations of " + weather_source;
  const auto points = read_weather_points(connection, weather_source);
  for (const auto& matched : stations) {
    step = "pairing station " + matched.station.code + " with a weather station";
    const auto pair = nearest_within(matched.station, points, max_distance_km);
    if (pair) {
      store_pair(connection, source, matched.station.code, weather_source, *pair);
    } else {
      drop_pair(connection, source, matched.station.code);
    }
  }
}

}  // namespace meteo::store
