#include "meteo/pipeline/run.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <optional>

#include "meteo/archive/raw_archive.hpp"
#include "meteo/core/errors.hpp"
#include "meteo/core/log_fields.hpp"
#include "meteo/dashboard/dashboard_writer.hpp"
#include "meteo/metrics/registry.hpp"
#include "meteo/pipeline/alert_notifications.hpp"
#include "meteo/pipeline/config_views.hpp"
#include "meteo/pipeline/source_run.hpp"
#include "meteo/store/database.hpp"
#include "meteo/store/ledger.hpp"

namespace meteo::pipeline {
namespace {

// Retention is housekeeping: a file that cannot be deleted is retried next hour.
void prune_archive(Database& db, const RawArchive& archive, spdlog::logger& log) {
  try {
    const auto deleted = archive.prune(floor_to_hour(std::chrono::system_clock::now()));
    mark_raw_payloads_pruned(db, deleted);
    if (!deleted.empty())
      log.info("raw archive: {} file(s) past retention deleted", deleted.size());
  } catch (const std::exception& error) {
    log.warn("raw archive not pruned: {}", error.what());
  }
}

// After every source ran, failed ones included, so the page shows the failure. The data is
// already committed: a dashboard problem is worth a warning, not a failed run.
void refresh_dashboard(Database& db, const Config& config, spdlog::logger& log) {
  if (!config.dashboard || !config.dashboard->refresh_after_run) return;
  try {
    const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    const dashboard::DashboardInputs inputs = dashboard_inputs(config);
    dashboard::write_dashboard(db, inputs, dashboard::dashboard_settings(inputs, ""), now, log);
  } catch (const std::exception& error) {
    log.warn("dashboard not refreshed: {}", error.what());
  }
}

}  // namespace

std::vector<SourceRunOutcome> run_sources(Database& db, const Config& config,
                                          const RunRequest& request, spdlog::logger& log,
                                          std::ostream& out) {
  const UtcSeconds hour = request.hour;
  const RawArchive archive(config.archive);
  metrics::Registry metrics;
  describe_run_metrics(metrics);
  // Every source gets its chance; the first failure decides the exit code.
  std::vector<SourceRunOutcome> outcomes;
  for (const SourceConfig* source : request.sources) {
    SourceRunOutcome& outcome = outcomes.emplace_back(SourceRunOutcome{source->name});
    const auto started = std::chrono::steady_clock::now();
    try {
      const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
      run_source(db, config, archive, *source, {now, hour, std::nullopt, false, request.shard, {}},
                 &metrics, log, out);
    } catch (const Error& error) {
      outcome.exit_code = static_cast<int>(error.code());
      // A temporary failure is often the server's (lost, restarting, a node out of its cluster):
      // named, with the node the run was on when [database] hosts lists several.
      const std::string on_database = error.code() == ExitCode::temporary
                                          ? " (on the " + database_location(db.config()) + ")"
                                          : "";
      log_with(log, spdlog::level::err,
               LogFields()
                   .add("source", source->name)
                   .add("hour", to_iso8601(hour))
                   .add("exit_code", outcome.exit_code),
               "source {}: {}{}", source->name, error.what(), on_database);
    }
    outcome.duration = std::chrono::steady_clock::now() - started;
  }
  // After the loads committed the alerts' changes; a failing command never fails the run.
  send_alert_notifications(db, config.alerts, log);
  if (request.prune_archive) prune_archive(db, archive, log);
  refresh_dashboard(db, config, log);
  // Failed sources included: last-success times come from the ledger, not this run.
  write_run_metrics(db, config, metrics, outcomes,
                    std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()),
                    log);
  return outcomes;
}

}  // namespace meteo::pipeline
