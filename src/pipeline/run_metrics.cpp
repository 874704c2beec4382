#include "meteo/pipeline/run_metrics.hpp"

#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>

#include "meteo/pipeline/source_health.hpp"
#include "meteo/store/reports.hpp"

namespace meteo::pipeline {
namespace {

namespace fs = std::filesystem;
using metrics::MetricType;

// Beside the tool's other derived files: the metrics directory may be the very thing unwritable.
fs::path recorded_outcome_path(const Config& config) {
  return config.cache.dir / "metrics-file-state.json";
}

// How the last write went: {"metrics_file": path, "at": ISO 8601, "error": "" or the reason}.
void record_metrics_file_outcome(const Config& config, UtcSeconds at, const std::string& error,
                                 spdlog::logger& log) {
  const fs::path state = recorded_outcome_path(config);
  const fs::path temporary = state.string() + ".tmp";
  const nlohmann::json outcome{{"metrics_file", config.monitoring.metrics_file.string()},
                               {"at", to_iso8601(at)},
                               {"error", error}};
  std::error_code failure;
  fs::create_directories(state.parent_path(), failure);
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << outcome.dump() << '\n';
    out.close();
    if (!out) failure = std::error_code(errno, std::generic_category());
  }
  if (!failure) {
    fs::permissions(
        temporary, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read, failure);
  }
  if (!failure) fs::rename(temporary, state, failure);
  if (failure) {
    log.warn("cannot record the metrics file's outcome in {}: {}", state.string(),
             failure.message());
    fs::remove(temporary, failure);
  }
}

struct RecordedOutcome {
  std::string metrics_file, at, error;
};

// Absent or unreadable (a cleared cache): none, and `status` falls back on the file itself.
std::optional<RecordedOutcome> read_recorded_outcome(const Config& config) {
  std::ifstream in(recorded_outcome_path(config));
  if (!in) return std::nullopt;
  const auto outcome = nlohmann::json::parse(in, nullptr, false);
  if (!outcome.is_object()) return std::nullopt;
  return RecordedOutcome{outcome.value("metrics_file", ""), outcome.value("at", ""),
                         outcome.value("error", "")};
}

double unix_seconds(UtcSeconds moment) {
  return static_cast<double>(moment.time_since_epoch().count());
}

void add_counts(metrics::Registry& registry, const std::string& source, const RunCounts& counts) {
  const std::pair<const char*, std::size_t> outcomes[] = {
      {"fetched", counts.fetched},       {"stored", counts.stored},
      {"corrected", counts.corrections}, {"unchanged", counts.unchanged},
      {"rejected", counts.rejected},     {"duplicate", counts.duplicates},
      {"outside", counts.outside}};
  for (const auto& [outcome, count] : outcomes) {
    registry.set("meteo_etl_records", {{"source", source}, {"outcome", outcome}},
                 static_cast<double>(count));
  }
}

void add_source_state(metrics::Registry& registry, const SourceHealthReport& health) {
  const std::string& source = health.source->name;
  const SourceState& state = health.state;
  const metrics::Labels labels{{"source", source}};
  registry.set("meteo_etl_health", labels, static_cast<double>(health.verdict));
  registry.set("meteo_etl_rows_stored_today", labels, static_cast<double>(state.rows_today));
  if (state.last_success) {
    registry.set("meteo_etl_last_success_timestamp_seconds", labels,
                 unix_seconds(state.last_success->finished_at));
  }
  if (state.last_failure) {
    registry.set("meteo_etl_last_failure_timestamp_seconds", labels,
                 unix_seconds(state.last_failure->finished_at));
  }
  if (state.last_finished) {
    registry.set("meteo_etl_last_run_status", labels,
                 state.last_finished->status == "succeeded" ? 1 : 0);
    add_counts(registry, source, state.last_finished->counts);
  }
  if (!health.source->stations && state.newest_succeeded_hour) {
    registry.set("meteo_etl_watermark_timestamp_seconds", labels,
                 unix_seconds(*state.newest_succeeded_hour));
  }
}

void add_dataset_watermarks(metrics::Registry& registry,
                            const std::vector<DatasetState>& datasets) {
  for (const auto& dataset : datasets) {
    if (dataset.status != "active" || !dataset.read_through) continue;
    registry.set("meteo_etl_dataset_read_through_timestamp_seconds",
                 {{"source", dataset.source}, {"dataset", dataset.dataset_id}},
                 unix_seconds(*dataset.read_through));
  }
}

void add_outcomes(metrics::Registry& registry, const std::vector<SourceRunOutcome>& outcomes) {
  for (const auto& outcome : outcomes) {
    const metrics::Labels labels{{"source", outcome.source}};
    registry.set("meteo_etl_last_run_exit_code", labels, outcome.exit_code);
    registry.set("meteo_etl_run_duration_seconds", labels, outcome.duration.count());
  }
}

// The ledger's view of every configured source: what the textfile and GET /metrics share.
void add_ledger_metrics(Database& db, const Config& config, metrics::Registry& registry,
                        UtcSeconds now) {
  describe_run_metrics(registry);
  for (const auto& health : read_source_health_reports(db, config, now)) {
    add_source_state(registry, health);
  }
  add_dataset_watermarks(registry, read_status(db, 0).datasets);
}

}  // namespace

std::string render_ledger_metrics(Database& db, const Config& config, UtcSeconds now) {
  metrics::Registry registry;
  add_ledger_metrics(db, config, registry, now);
  return registry.render();
}

void describe_run_metrics(metrics::Registry& registry) {
  const std::pair<const char*, const char*> gauges[] = {
      {"meteo_etl_health", "Health as `status` exits: 0 healthy, 1 stale, 2 never succeeded."},
      {"meteo_etl_last_success_timestamp_seconds",
       "Unix time the source's last successful run finished (from the ledger)."},
      {"meteo_etl_last_failure_timestamp_seconds",
       "Unix time the source's last failed run finished (from the ledger)."},
      {"meteo_etl_last_run_status", "1 when the source's last finished run succeeded, else 0."},
      {"meteo_etl_last_run_exit_code", "Exit code of the source in the last `run` that ran it."},
      {"meteo_etl_records", "Records of the source's last finished run, by outcome."},
      {"meteo_etl_rows_stored_today",
       "Rows stored this UTC day: sensor readings, or station observations."},
      {"meteo_etl_watermark_timestamp_seconds",
       "Unix time of the newest hour a sensor run succeeded for."},
      {"meteo_etl_dataset_read_through_timestamp_seconds",
       "Unix time up to which a station dataset has been read from the portal."},
      {"meteo_etl_run_duration_seconds", "Duration of the source's job in the last `run`."},
  };
  for (const auto& [name, help] : gauges) registry.describe(name, MetricType::gauge, help);
  metrics::describe_stage_duration(registry);
}

void write_run_metrics(Database& db, const Config& config, metrics::Registry& registry,
                       const std::vector<SourceRunOutcome>& outcomes, UtcSeconds now,
                       spdlog::logger& log) {
  const auto& file = config.monitoring.metrics_file;
  if (file.empty()) return;
  std::string failure;
  try {
    add_ledger_metrics(db, config, registry, now);
    add_outcomes(registry, outcomes);
    metrics::write_file_atomically(file, registry.render());
    log.debug("metrics written to {}", file.string());
  } catch (const std::exception& error) {
    failure = error.what();
    log.warn("metrics file {} not written: {}", file.string(), failure);
  }
  record_metrics_file_outcome(config, now, failure, log);
}

MetricsFileCheck check_metrics_file(const Config& config, bool run_finished) {
  MetricsFileCheck check{.path = config.monitoring.metrics_file, .error = ""};
  if (check.path.empty()) return check;
  const auto recorded = read_recorded_outcome(config);
  // An outcome recorded for another path is from before the config changed: not this file's.
  if (recorded && recorded->metrics_file == check.path.string() && !recorded->error.empty()) {
    check.error = "not written by the run at " + recorded->at + ": " + recorded->error;
    return check;
  }
  if (!recorded && !run_finished) return check;  // no run has tried to write it yet
  struct stat file_status {};
  if (::stat(check.path.c_str(), &file_status) != 0) {
    check.error = "metrics file " + check.path.string() + ": " + std::strerror(errno);
  }
  return check;
}

}  // namespace meteo::pipeline
