// One source through the pipeline, whatever its type: lock, ledger run, plan, then each unit
// fetched, landed raw, checked, matched, aggregated and loaded; the run closed and verified.
#pragma once

#include <optional>
#include <ostream>

#include "meteo/config/config.hpp"
#include "meteo/core/time.hpp"
#include "meteo/metrics/registry.hpp"
#include "meteo/model/run_counts.hpp"
#include "meteo/pipeline/progress.hpp"
#include "meteo/sources/sensor/payload.hpp"
#include "meteo/sources/stations/portal.hpp"
#include "meteo/store/database.hpp"

namespace spdlog {
class logger;
}

namespace meteo {
class RawArchive;
}

namespace meteo::pipeline {

struct SourceJob {
  UtcSeconds now;                    // the present: nothing after it is accepted
  UtcSeconds run_hour;               // stamps the ledger row, its payloads and its rejects
  std::optional<TimeWindow> window;  // backfill: this past window; else the source's present
  bool dry_run = false;              // print the plan, change nothing
  Shard shard;                       // load only this shard of each payload (sensor feeds)
  ProgressFactory progress;          // how the units are shown; none: a line per unit
};

// Runs `source` as `job` says: units commit one by one (a sensor payload is one unit), so an
// interrupted run keeps what it finished and the next run resumes from there. Stage timings go to
// `metrics` when given. An hourly run then verifies what it touched when [verify] after_run asks.
RunCounts run_source(Database& db, const Config& config, const RawArchive& archive,
                     const SourceConfig& source, const SourceJob& job, metrics::Registry* metrics,
                     spdlog::logger& log, std::ostream& out);

// Fills job.window: re-read from the source when it keeps its history, replayed from the raw
// archive when it serves only the present.
RunCounts backfill_source(Database& db, const Config& config, const SourceConfig& source,
                          const SourceJob& job, spdlog::logger& log, std::ostream& out);

}  // namespace meteo::pipeline
