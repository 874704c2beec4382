// What `status` reports, built once for the command and for `serve`'s GET /healthz: the sources'
// health, the metrics file, the recent runs, the region sets, the datasets and the active alerts.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "meteo/config/config.hpp"
#include "meteo/core/time.hpp"
#include "meteo/pipeline/run_metrics.hpp"
#include "meteo/pipeline/source_health.hpp"
#include "meteo/store/alerts.hpp"
#include "meteo/store/database.hpp"
#include "meteo/store/reports.hpp"

namespace meteo::pipeline {

// Above the sources' verdicts (2 never run, 1 stale): monitoring that reads the metrics file is
// blind until it is fixed, whatever the sources' state. Each source's verdict is still shown.
inline constexpr int kMetricsUnwrittenExit = 3;

// The sources' health and the metrics file `run` should keep writing.
struct HealthSummary {
  std::vector<SourceHealthReport> sources;
  MetricsFileCheck metrics_file;

  bool metrics_unwritten() const { return !metrics_file.error.empty(); }
  int exit_code() const;             // what `status` exits with
  std::string_view verdict() const;  // healthy, stale, never_run, metrics_unwritten
};

HealthSummary read_health(Database& db, const Config& config, UtcSeconds now);

// The active alerts; none on a database older than the alerts' schema.
std::vector<AlertRow> read_active_alerts(Database& db, const StatusReport& report);

// Everything `status` shows, read at `now`.
struct StatusSnapshot {
  StatusReport report;
  HealthSummary health;
  std::vector<AlertRow> alerts;
  UtcSeconds now;
};
StatusSnapshot read_status_snapshot(Database& db, const Config& config, UtcSeconds now);

// The document of `status --json` (indented by 2), without its final newline.
std::string status_json_text(const StatusSnapshot& snapshot);

}  // namespace meteo::pipeline
