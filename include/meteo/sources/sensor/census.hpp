// The first passes over a sensor payload, before anything is written: the payload is valid JSON,
// the counts of the shard, and which occurrence of a repeated id to keep.
#pragma once

#include <cstddef>
#include <functional>
#include <string>

#include "meteo/model/run_counts.hpp"
#include "meteo/sources/sensor/latest_occurrences.hpp"
#include "meteo/sources/sensor/payload.hpp"

namespace spdlog {
class logger;
}

namespace meteo {

struct PayloadCensus {
  RunCounts counts;  // fetched, other_shards, rejected, duplicates
  LatestOccurrences occurrences;
};

// Streams the whole payload through the sink, from its start, and returns its record count. The
// census calls it once or twice: every call must hand over the same records in the same order.
using StreamPayload = std::function<std::size_t(SensorRecordSink&)>;

// Counts the shard's readings and rejects (each reject logged once, naming `source`), then, only
// when some id hash repeats, resolves the ids behind those hashes in a second pass.
PayloadCensus take_census(const StreamPayload& stream, Shard shard, const std::string& source,
                          spdlog::logger& log);

}  // namespace meteo
