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

// The window an incremental run reads for one dataset: from the watermark minus the lookback (or
// the configured start) to now, at most max_catch_up past the watermark.
TimeWindow incremental_window(const StationNetworkConfig& network,
                              std::optional<UtcSeconds> watermark, UtcSeconds now);

}  // namespace meteo::sources
