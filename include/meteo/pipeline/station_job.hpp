// Station networks: the incremental hourly run and the backfill of a time window.
#pragma once

#include <optional>
#include <ostream>

#include "meteo/config.hpp"
#include "meteo/pipeline/progress.hpp"
#include "meteo/stations.hpp"
#include "meteo/store.hpp"
#include "meteo/time.hpp"

namespace spdlog {
class logger;
}

namespace meteo::pipeline {

struct StationJob {
  UtcSeconds now;                    // the present: nothing after it is accepted
  UtcSeconds run_hour;               // stamps the ledger row and the run's rejects
  std::optional<TimeWindow> window;  // backfill: re-read this window; else incremental
  bool dry_run = false;              // print the plan, change nothing
  ProgressFactory progress;          // how the windows are shown; none: a line per window
};

// Runs one opendatasoft-stations source. Datasets commit one by one (each with its watermark),
// so an interrupted run keeps what it finished and the next run resumes from there.
// An incremental run then verifies the hours it touched when [verify] after_run asks.
RunCounts run_station_source(Database& db, const Config& config, const SourceConfig& source,
                             const StationJob& job, spdlog::logger& log, std::ostream& out);

// The windows an incremental run reads for one dataset: from the watermark minus the lookback
// (or the configured start) to now, at most max_catch_up past the watermark.
TimeWindow incremental_window(const StationNetworkConfig& network,
                              std::optional<UtcSeconds> watermark, UtcSeconds now);

}  // namespace meteo::pipeline
