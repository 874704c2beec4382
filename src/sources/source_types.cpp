#include "meteo/sources/source_types.hpp"

#include "meteo/core/errors.hpp"
#include "meteo/sources/air_quality/layer_source.hpp"
#include "meteo/sources/sensor/feed_source.hpp"
#include "meteo/sources/stations/network_source.hpp"

namespace meteo::sources {
namespace {

bool is_sensor_feed(const SourceConfig& config) {
  return config.type == "sensor-api";
}

bool is_station_network(const SourceConfig& config) {
  return config.type == "opendatasoft-stations" && config.stations;
}

bool is_air_quality(const SourceConfig& config) {
  return config.type == "arcgis-air-quality" && config.air_quality;
}

// The config reader knows the same types: reaching this is a bug, not a user's mistake.
Error unknown_type(const SourceConfig& config) {
  return Error(ExitCode::software,
               "source " + config.name + ": no source implements type '" + config.type + "'");
}

}  // namespace

AnySource make_source(const SourceConfig& config, spdlog::logger& log) {
  if (is_sensor_feed(config)) return make_sensor_feed_source(config, log);
  if (is_station_network(config)) return make_station_network_source(config, log);
  if (is_air_quality(config)) return make_air_quality_source(config, log);
  throw unknown_type(config);
}

History history_of(const SourceConfig& config) {
  if (is_sensor_feed(config)) return kSensorFeedHistory;
  if (is_station_network(config)) return kStationNetworkHistory;
  if (is_air_quality(config)) return kAirQualityHistory;
  throw unknown_type(config);
}

}  // namespace meteo::sources
