#include <algorithm>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "commands.hpp"
#include "manual.hpp"
#include "meteo/pipeline/run_metrics.hpp"
#include "meteo/pipeline/source_health.hpp"
#include "meteo/store/alerts.hpp"
#include "meteo/store/reports.hpp"
#include "table_output.hpp"

namespace meteo {

using pipeline::check_metrics_file;
using pipeline::MetricsFileCheck;
using pipeline::read_source_health_reports;
using pipeline::SourceHealthReport;
using pipeline::verdict_name;
using pipeline::worst_verdict;
namespace {

// Above the sources' verdicts (2 never run, 1 stale): monitoring that reads the metrics file is
// blind until it is fixed, whatever the sources' state. Each source's verdict is still shown.
constexpr int kMetricsUnwrittenExit = 3;

// What `status` reports: the sources' health and the metrics file `run` should keep writing.
struct HealthSummary {
  std::vector<SourceHealthReport> sources;
  MetricsFileCheck metrics_file;

  bool metrics_unwritten() const { return !metrics_file.error.empty(); }
  int exit_code() const {
    return metrics_unwritten() ? kMetricsUnwrittenExit : static_cast<int>(worst_verdict(sources));
  }
  std::string_view verdict() const {
    return metrics_unwritten() ? "metrics_unwritten" : verdict_name(worst_verdict(sources));
  }
};

HealthSummary read_health(Database& db, const Config& config, UtcSeconds now) {
  HealthSummary summary{.sources = read_source_health_reports(db, config, now), .metrics_file = {}};
  const bool run_finished =
      std::any_of(summary.sources.begin(), summary.sources.end(),
                  [](const auto& source) { return source.state.last_finished.has_value(); });
  summary.metrics_file = check_metrics_file(config, run_finished);
  return summary;
}

nlohmann::json metrics_file_json(const MetricsFileCheck& check) {
  if (check.path.empty()) return nullptr;
  return {{"path", check.path.string()},
          {"ok", check.error.empty()},
          {"error", check.error.empty() ? nlohmann::json(nullptr) : nlohmann::json(check.error)}};
}

nlohmann::json counts_json(const RunCounts& c) {
  return {{"fetched", c.fetched},         {"stored", c.stored},
          {"corrections", c.corrections}, {"unchanged", c.unchanged},
          {"rejected", c.rejected},       {"duplicates", c.duplicates},
          {"outside", c.outside},         {"disagreements", c.disagreements}};
}

nlohmann::json optional_time_json(const std::optional<UtcSeconds>& moment) {
  return moment ? nlohmann::json(to_iso8601(*moment)) : nlohmann::json(nullptr);
}

nlohmann::json datasets_json(const std::vector<DatasetState>& datasets) {
  nlohmann::json array = nlohmann::json::array();
  for (const auto& dataset : datasets) {
    array.push_back({{"source", dataset.source},
                     {"dataset", dataset.dataset_id},
                     {"status", dataset.status},
                     {"read_through", optional_time_json(dataset.read_through)},
                     {"newest_observation", optional_time_json(dataset.newest_observation)},
                     {"reason", dataset.reason}});
  }
  return array;
}

nlohmann::json finished_run_json(const std::optional<FinishedRun>& run, bool with_message) {
  if (!run) return nullptr;
  nlohmann::json out{{"run_id", run->id},
                     {"hour", to_iso8601(run->hour)},
                     {"finished_at", to_iso8601(run->finished_at)}};
  if (with_message) out["message"] = run->message;
  return out;
}

// Sensor feed: the newest hour a run succeeded for. Station network: each dataset's read_through
// and newest observation, with the laggard's read_through and the newest observation overall.
nlohmann::json watermark_json(const SourceHealthReport& health,
                              const std::vector<DatasetState>& datasets) {
  if (!health.source->stations) {
    return {{"newest_succeeded_hour", optional_time_json(health.state.newest_succeeded_hour)}};
  }
  nlohmann::json list = nlohmann::json::array();
  std::optional<UtcSeconds> oldest_read_through, newest_observation;
  for (const auto& dataset : datasets) {
    if (dataset.source != health.source->name) continue;
    list.push_back({{"dataset", dataset.dataset_id},
                    {"status", dataset.status},
                    {"read_through", optional_time_json(dataset.read_through)},
                    {"newest_observation", optional_time_json(dataset.newest_observation)}});
    if (dataset.status == "active" && dataset.read_through &&
        (!oldest_read_through || *dataset.read_through < *oldest_read_through)) {
      oldest_read_through = dataset.read_through;
    }
    if (dataset.newest_observation &&
        (!newest_observation || *dataset.newest_observation > *newest_observation)) {
      newest_observation = dataset.newest_observation;
    }
  }
  return {{"read_through", optional_time_json(oldest_read_through)},
          {"newest_observation", optional_time_json(newest_observation)},
          {"datasets", list}};
}

nlohmann::json source_json(const SourceHealthReport& health,
                           const std::vector<DatasetState>& datasets) {
  const auto& state = health.state;
  return {{"name", health.source->name},
          {"type", health.source->type},
          {"health", verdict_name(health.verdict)},
          {"stale_after_minutes", health.stale_after.count()},
          {"staleness_seconds",
           health.staleness ? nlohmann::json(health.staleness->count()) : nlohmann::json(nullptr)},
          {"last_success", finished_run_json(state.last_success, false)},
          {"last_failure", finished_run_json(state.last_failure, true)},
          {"last_run_status", state.last_finished ? nlohmann::json(state.last_finished->status)
                                                  : nlohmann::json(nullptr)},
          {"rows_today", state.rows_today},
          {"watermark", watermark_json(health, datasets)}};
}

nlohmann::json health_json(const HealthSummary& health, UtcSeconds now,
                           const std::vector<DatasetState>& datasets) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& source : health.sources) list.push_back(source_json(source, datasets));
  return {{"generated_at", to_iso8601(now)},
          {"verdict", health.verdict()},
          {"exit_code", health.exit_code()},
          {"sources", list},
          {"metrics_file", metrics_file_json(health.metrics_file)}};
}

nlohmann::json status_json(const StatusReport& report) {
  nlohmann::json runs = nlohmann::json::array(), sets = nlohmann::json::array();
  for (const auto& run : report.recent_runs) {
    runs.push_back({{"id", run.id},
                    {"source", run.source},
                    {"hour", to_iso8601(run.hour)},
                    {"started_at", run.started_at},
                    {"finished_at", run.finished_at},
                    {"status", run.status},
                    {"counts", counts_json(run.counts)},
                    {"message", run.message}});
  }
  for (const auto& set : report.region_sets) {
    sets.push_back({{"name", set.name},
                    {"version", set.checksum},
                    {"location", set.location},
                    {"regions", set.region_count},
                    {"loaded_at", set.loaded_at}});
  }
  return {{"schema_version", report.schema_version},
          {"bundled_schema_version", report.bundled_version},
          {"runs", runs},
          {"region_sets", sets},
          {"datasets", datasets_json(report.datasets)}};
}

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

// An older database shows none (and `status` says to migrate).
std::vector<AlertRow> read_active_alerts(Database& db, const StatusReport& report) {
  if (report.schema_version < kAlertsSchemaVersion) return {};
  AlertFilter filter;
  filter.active_only = true;
  return query_alerts(db, filter);
}

nlohmann::json active_alerts_json(const std::vector<AlertRow>& alerts) {
  nlohmann::json list = nlohmann::json::array();
  for (const AlertRow& alert : alerts) {
    list.push_back({{"id", alert.id},
                    {"kind", alert.kind},
                    {"level", alert.level},
                    {"subject", alert.subject},
                    {"scope_type", alert.scope_type},
                    {"source", alert.source},
                    {"scope_id", alert.scope_id},
                    {"start", to_iso8601(alert.start)},
                    {"peak_value", alert.peak_value},
                    {"unit", alert.unit},
                    {"threshold", alert.threshold}});
  }
  return list;
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
            const StatusReport report = read_status(db);
            const auto now =
                std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
            const HealthSummary health = read_health(db, context.config, now);
            const std::vector<AlertRow> alerts = read_active_alerts(db, report);
            if (*as_json) {
              nlohmann::json json = status_json(report);
              json["health"] = health_json(health, now, report.datasets);
              json["active_alerts"] = active_alerts_json(alerts);
              context.out << json.dump(2) << '\n';
            } else {
              print_status_text(context.out, report);
              print_active_alerts_text(context.out, alerts);
              print_health_text(context.out, health);
            }
            return health.exit_code();
          }};
}

}  // namespace meteo
