#include "meteo/sources/source_types.hpp"

#include "meteo/core/errors.hpp"
#include "meteo/sources/sensor/feed_source.hpp"
#include "meteo/sources/stations/network_source.hpp"

namespace meteo::sources {

AnySource make_source(const SourceConfig& config, spdlog::logger& log) {
  if (config.type == "sensor-api") return make_sensor_feed_source(config, log);
  if (config.type == "opendatasoft-stations" && config.stations) {
    return make_station_network_source(config, log);
  }
  // The config reader knows the same types: reaching this is a bug, not a user's mistake.
  throw Error(ExitCode::software,
              "source " + config.name + ": no source implements type '" + config.type + "'");
}

History history_of(const SourceConfig& config, spdlog::logger& log) {
  return std::visit([](const auto& source) { return source->history(); }, make_source(config, log));
}

}  // namespace meteo::sources
