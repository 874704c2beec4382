// Opendatasoft weather-station networks (`opendatasoft-stations`): a unit per dataset and time
// window, each page landed raw as it comes and parsed once; the station list fetched with the plan.
#pragma once

#include <memory>
#include <optional>

#include "meteo/sources/source.hpp"

namespace spdlog {
class logger;
}

namespace meteo::sources {

// The portal keeps every dataset's past: a backfill reads it again.
inline constexpr History kStationNetworkHistory = History::portal;

std::unique_ptr<Source<WeatherObservation>> make_station_network_source(const SourceConfig& config,
                                                                        spdlog::logger& log);

// How far an incremental run reads each dataset: from the configured start, then the watermark.
WindowPolicy window_policy(const StationNetworkConfig& network);

}  // namespace meteo::sources
