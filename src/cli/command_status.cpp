#include <memory>
#include <sstream>

#include "commands.hpp"
#include "manual.hpp"
#include "meteo/pipeline/status_report.hpp"
#include "table_output.hpp"

namespace meteo {

using pipeline::HealthSummary;
using pipeline::MetricsFileCheck;
using pipeline::SourceHealthReport;
using pipeline::verdict_name;
namespace {

std::string optional_time_text(const std::optional<UtcSeconds>& moment) {
  return moment ? to_iso8601(*moment) : "-";
}

// "2h 05m", "4m 30s": how long ago, at a glance.
std::string duration_text(std::chrono::seconds elapsed) {
  const auto hours = std::chrono::floor<std::chrono::hours>(elapsed);
  const auto minutes = std::chrono::floor<std::chrono::minutes>(elapsed - hours);
  const auto seconds = elapsed - hours - minutes;
  std::ostringstream out;
  out.fill('0');
  if (hours.count() > 0) {
    out << hours.count() << "h ";
    out.width(2);
    out << minutes.count() << 'm';
  } else {
    out << minutes.count() << "m ";
    out.width(2);
    out << seconds.count() << 's';
  }
  return out.str();
}

std::string watermark_text(const SourceHealthReport& health) {
  if (!health.source->stations) return optional_time_text(health.state.newest_succeeded_hour);
  return "per dataset, below";
}

void print_health_text(std::ostream& out, const HealthSummary& summary) {
  out << "\nsource health\n";
  std::vector<TextRow> rows;
  for (const auto& health : summary.sources) {
    const auto& state = health.state;
    rows.push_back({health.source->name, std::string(verdict_name(health.verdict)),
                    state.last_success ? to_iso8601(state.last_success->finished_at) : "-",
                    health.staleness ? duration_text(*health.staleness) + " ago" : "-",
                    std::to_string(health.stale_after.count()) + "m",
                    std::to_string(state.rows_today), watermark_text(health),
                    state.last_failure ? to_iso8601(state.last_failure->finished_at) : "-",
                    state.last_failure ? state.last_failure->message : ""});
  }
  print_table(out,
              {"source", "health", "last success", "staleness", "stale after", "rows today",
               "watermark", "last failure", "reason"},
              rows);
  const MetricsFileCheck& metrics = summary.metrics_file;
  if (!metrics.path.empty()) {
    out << "\nmetrics file: "
        << (summary.metrics_unwritten() ? "ERROR " + metrics.error : metrics.path.string() + ": ok")
        << '\n';
  }
  out << "health: " << summary.verdict() << " (exit " << summary.exit_code() << ")\n";
}

// Station datasets only exist from schema version 2 on; a sensor-only install shows none.
void print_datasets_text(std::ostream& out, const std::vector<DatasetState>& datasets) {
  if (datasets.empty()) return;
  out << "\nstation datasets\n";
  std::vector<TextRow> rows;
  for (const auto& dataset : datasets) {
    rows.push_back({dataset.source, dataset.dataset_id, dataset.status,
                    optional_time_text(dataset.read_through),
                    optional_time_text(dataset.newest_observation), dataset.reason});
  }
  print_table(out, {"source", "dataset", "status", "read through", "newest observation", "reason"},
              rows);
}

void print_active_alerts_text(std::ostream& out, const std::vector<AlertRow>& alerts) {
  out << "\nactive alerts (indicative, not official vigilance)\n";
  if (alerts.empty()) {
    out << "none\n";
    return;
  }
  std::vector<TextRow> rows;
  for (const AlertRow& alert : alerts) {
    rows.push_back({std::to_string(alert.id), alert.kind, alert.level, alert.source,
                    alert.scope_id + (alert.subject.empty() ? "" : " " + alert.subject),
                    to_iso8601(alert.start), table_number(alert.peak_value) + " " + alert.unit});
  }
  print_table(out, {"alert", "kind", "level", "source", "place", "since", "peak"}, rows);
}

void print_status_text(std::ostream& out, const StatusReport& report) {
  out << "schema version " << report.schema_version << " (this build expects "
      << report.bundled_version << ")"
      << (report.schema_version < report.bundled_version ? ": run `meteo-etl migrate`" : "")
      << "\n\nregion sets\n";
  std::vector<TextRow> sets;
  for (const auto& set : report.region_sets) {
    sets.push_back(
        {set.name, std::to_string(set.region_count), set.checksum, set.loaded_at, set.location});
  }
  print_table(out, {"name", "regions", "version", "loaded_at", "location"}, sets);
  out << "\nrecent runs\n";
  std::vector<TextRow> runs;
  for (const auto& run : report.recent_runs) {
    const auto& c = run.counts;
    runs.push_back({std::to_string(run.id), run.source, to_iso8601(run.hour), run.status,
                    std::to_string(c.fetched), std::to_string(c.stored),
                    std::to_string(c.corrections), std::to_string(c.rejected),
                    std::to_string(c.outside), run.started_at, run.message});
  }
  print_table(out,
              {"run", "source", "hour", "status", "fetched", "stored", "corrected", "rejected",
               "outside", "started_at", "message"},
              runs);
  print_datasets_text(out, report.datasets);
}

}  // namespace

CommandRegistration register_status(CLI::App& parent) {
  CLI::App* app = parent.add_subcommand(
      "status",
      "last runs, schema version, region sets, and each source's health; exits 0 when every "
      "source is healthy, 1 when one is stale, 2 when one never succeeded (2 wins over 1), 3 "
      "when the last run could not write [monitoring] metrics_file or it is gone (3 wins)");
  auto as_json = std::make_shared<bool>(false);
  app->add_flag("--json", *as_json, "machine-readable output");
  set_examples(*app, {"meteo-etl status", "meteo-etl status --json"});
  return {app, [as_json](CommandContext& context) {
            Database db = Database::connect(context.config.database);
            const auto now =
                std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
            const pipeline::StatusSnapshot status =
                pipeline::read_status_snapshot(db, context.config, now);
            if (*as_json) {
              context.out << pipeline::status_json_text(status) << '\n';
            } else {
              print_status_text(context.out, status.report);
              print_active_alerts_text(context.out, status.alerts);
              print_health_text(context.out, status.health);
            }
            return status.health.exit_code();
          }};
}

}  // namespace meteo
