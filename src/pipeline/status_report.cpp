#include "meteo/pipeline/status_report.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace meteo::pipeline {
namespace {

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

}  // namespace

int HealthSummary::exit_code() const {
  return metrics_unwritten() ? kMetricsUnwrittenExit : static_cast<int>(worst_verdict(sources));
}

std::string_view HealthSummary::verdict() const {
  return metrics_unwritten() ? "metrics_unwritten" : verdict_name(worst_verdict(sources));
}

HealthSummary read_health(Database& db, const Config& config, UtcSeconds now) {
  HealthSummary summary{.sources = read_source_health_reports(db, config, now), .metrics_file = {}};
  const bool run_finished =
      std::any_of(summary.sources.begin(), summary.sources.end(),
                  [](const auto& source) { return source.state.last_finished.has_value(); });
  summary.metrics_file = check_metrics_file(config, run_finished);
  return summary;
}

std::vector<AlertRow> read_active_alerts(Database& db, const StatusReport& report) {
  if (report.schema_version < kAlertsSchemaVersion) return {};
  AlertFilter filter;
  filter.active_only = true;
  return query_alerts(db, filter);
}

StatusSnapshot read_status_snapshot(Database& db, const Config& config, UtcSeconds now) {
  StatusSnapshot snapshot{.report = read_status(db), .health = {}, .alerts = {}, .now = now};
  snapshot.health = read_health(db, config, now);
  snapshot.alerts = read_active_alerts(db, snapshot.report);
  return snapshot;
}

std::string status_json_text(const StatusSnapshot& snapshot) {
  nlohmann::json json = status_json(snapshot.report);
  json["health"] = health_json(snapshot.health, snapshot.now, snapshot.report.datasets);
  json["active_alerts"] = active_alerts_json(snapshot.alerts);
  return json.dump(2);
}

}  // namespace meteo::pipeline
