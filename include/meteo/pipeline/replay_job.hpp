// Replay: archived sensor payloads of a time window through the same load as the hourly run.
// Loads are idempotent and order-independent (a reading keeps its newest payload's values and its
// earliest hour), so a replay over data already stored changes nothing, and N jobs on disjoint
// slices of the window end exactly where one job ends.
#pragma once

#include <ostream>

#include "meteo/config/config.hpp"
#include "meteo/model/run_counts.hpp"
#include "meteo/pipeline/progress.hpp"
#include "meteo/sources/sensor/payload.hpp"
#include "meteo/sources/stations/portal.hpp"
#include "meteo/store/database.hpp"

namespace spdlog {
class logger;
}

namespace meteo::pipeline {

struct ReplayRequest {
  TimeWindow window;  // payloads whose hour lies in [from, to)
  int jobs = 1;       // worker threads, each with its own connection and matchers
  bool dry_run = false;
  Shard shard;  // only the readings of this shard of each payload; the whole payload by default
  ProgressFactory progress;  // how the payloads are shown; none: a line per payload
};

// Holds the source's lock for the whole replay. Throws the first worker's Error; the payloads
// loaded before it stay loaded (each is one transaction), and replaying again completes the rest.
// Whether the past of `source` is its raw archive (a sensor feed), so that replay applies.
bool replayable(const SourceConfig& source);
// Throws Error(usage) naming `source` and what to run instead when it is not replayable.
void require_replayable(const SourceConfig& source);

// Refuses, Error(usage), a source whose history is not its archive (a station network).
RunCounts replay_source(Database& db, const Config& config, const SourceConfig& source,
                        const ReplayRequest& request, spdlog::logger& log, std::ostream& out);

}  // namespace meteo::pipeline
