// The hourly run: every chosen source through fetch -> land raw -> parse/validate -> match ->
// aggregate -> load -> verify, one at a time, then the archive's retention, the dashboard and the
// metrics file.
#pragma once

#include <ostream>
#include <vector>

#include "meteo/config/config.hpp"
#include "meteo/core/time.hpp"
#include "meteo/pipeline/run_metrics.hpp"
#include "meteo/sources/sensor/payload.hpp"
#include "meteo/store/database.hpp"

namespace spdlog {
class logger;
}

namespace meteo::pipeline {

struct RunRequest {
  UtcSeconds hour;                           // stamps the ledger rows
  Shard shard;                               // sensor feeds: load only this shard's readings
  std::vector<const SourceConfig*> sources;  // in the order they run
  bool prune_archive = true;                 // watch prunes once an hour, not every cycle
};

// Every source gets its chance: a failed source is logged (with its exit code) and the next one
// runs. Then prunes the raw archive, refreshes the dashboard when [dashboard] asks, and writes
// the metrics file. Returns how each source fared, in the request's order.
std::vector<SourceRunOutcome> run_sources(Database& db, const Config& config,
                                          const RunRequest& request, spdlog::logger& log,
                                          std::ostream& out);

}  // namespace meteo::pipeline
