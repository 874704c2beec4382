// The Prometheus textfile `run` writes at its end ([monitoring] metrics_file).
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "meteo/config/config.hpp"
#include "meteo/core/time.hpp"
#include "meteo/metrics/registry.hpp"
#include "meteo/store/database.hpp"

namespace spdlog {
class logger;
}

namespace meteo::pipeline {

// How one source fared in this invocation of `run`.
struct SourceRunOutcome {
  std::string source;
  int exit_code = 0;
  std::chrono::duration<double> duration{0};
};

// Every family `run` may write, so HELP and TYPE come in a stable order.
void describe_run_metrics(metrics::Registry& registry);

// Adds the ledger's view of every configured source (last success and failure, last run status
// and counts, watermark, rows today, health) and this invocation's outcomes, then writes the
// file. No file configured: nothing. A file that cannot be written is a warning, not a failed
// run (the data is committed), and is recorded in the cache directory for `status` to report.
void write_run_metrics(Database& db, const Config& config, metrics::Registry& registry,
                       const std::vector<SourceRunOutcome>& outcomes, UtcSeconds now,
                       spdlog::logger& log);

// The same families as the textfile, from the ledger alone (as `serve` exposes them at GET
// /metrics): no invocation's outcomes, so the exit codes, run and stage durations are absent.
std::string render_ledger_metrics(Database& db, const Config& config, UtcSeconds now);

// What `status` says of [monitoring] metrics_file.
struct MetricsFileCheck {
  std::filesystem::path path;  // the configured file; empty: none configured, nothing checked
  std::string error;           // why the last run did not write it or why it is gone; "": fine
};

// The outcome the last `run` recorded (its OS error when it could not write the file), then, once
// a run has tried or `run_finished` says one ended, that the file is still there.
MetricsFileCheck check_metrics_file(const Config& config, bool run_finished);

}  // namespace meteo::pipeline
