// One sensor payload through the pipeline: parse/validate -> match -> aggregate -> load. Both the
// hourly run and replay feed it a body streamed back from the raw archive, so what is parsed is
// exactly what was archived, and the body is never whole in memory.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "meteo/archive.hpp"
#include "meteo/config.hpp"
#include "meteo/metrics.hpp"
#include "meteo/pipeline/source_regions.hpp"
#include "meteo/sources.hpp"
#include "meteo/store.hpp"

namespace spdlog {
class logger;
}

namespace meteo::pipeline {

struct SensorPayload {
  // A fresh stream of the archived body, checked at its end (see ArchiveReader): the payload is
  // read more than once (a first pass checks and counts it) and never held whole.
  std::function<ArchiveReader()> open_body;
  std::string origin;  // the URL or archive file, for messages
  UtcSeconds hour;     // the hour of the run that fetched it
  UtcMicros fetched_at;
  Shard shard;  // load only the readings (and rejects) of this shard; the whole feed by default
};

// Parses, validates, matches and loads one payload as ledger run `run_id` (already begun), timing
// the parse, match and load stages into `metrics` when given. Throws Error on bad data or a
// failed load; the caller records the failure in the ledger.
RunCounts load_sensor_payload(Database& db, const SourceConfig& source,
                              const SourceRegions& regions, std::int64_t run_id,
                              const SensorPayload& payload, spdlog::logger& log,
                              metrics::Registry* metrics = nullptr);

// "fetched 200, stored 180, ..." for the log line that closes a run.
std::string describe_counts(const RunCounts& counts);

// The name a run of `source` locks: the source's own for the whole feed, one per shard otherwise,
// so the N workers of a source run side by side while two runs of the same shard do not.
std::string source_lock_key(const std::string& source, const Shard& shard);

// "source sensors" or "source sensors shard 1/3", for messages.
std::string describe_worker(const std::string& source, const Shard& shard);

}  // namespace meteo::pipeline
