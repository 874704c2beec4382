// The IoT partner's REST feed (`sensor-api`): one JSON array of readings per request, streamed
// into the raw archive as it arrives and parsed back from the archive, never whole in memory.
#pragma once

#include <memory>

#include "meteo/sources/source.hpp"

namespace spdlog {
class logger;
}

namespace meteo::sources {

// The feed serves only the present: its past is what the raw archive kept (backfill replays it).
inline constexpr History kSensorFeedHistory = History::archive;

// Rejects are logged on `log` (naming the source) once per payload, however often a load retries.
std::unique_ptr<Source<SensorReading>> make_sensor_feed_source(const SourceConfig& config,
                                                               spdlog::logger& log);

}  // namespace meteo::sources
