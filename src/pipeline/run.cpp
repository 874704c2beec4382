#include "meteo/pipeline/run.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <optional>

#include "meteo/archive.hpp"
#include "meteo/core/log_fields.hpp"
#include "meteo/dashboard/dashboard_writer.hpp"
#include "meteo/errors.hpp"
#include "meteo/http.hpp"
#include "meteo/metrics.hpp"
#include "meteo/pipeline/config_views.hpp"
#include "meteo/pipeline/source_regions.hpp"
#include "meteo/pipeline/station_job.hpp"
#include "payload_landing.hpp"
#include "run_failure.hpp"
#include "run_log_fields.hpp"
#include "sensor_job.hpp"
#include "verify_after_run.hpp"

namespace meteo::pipeline {
namespace {

// The body streams into the archive as it arrives (never whole in memory) and lands in the ledger
// before anything parses it.
ArchivedPayload fetch_and_archive(const SourceConfig& source, const RawArchive& archive,
                                  Database& db, std::int64_t run_id, UtcSeconds hour,
                                  metrics::Registry& metrics, spdlog::logger& log) {
  HttpClient http(source.http, log);
  PayloadOrigin origin{source.name, hour, run_id, 0, {}, displayable_url(source.url), 0};
  std::optional<ArchiveWriter> writer;
  // A retried try starts a new file: the failed try's temporary file goes with its writer.
  const BodyStream into_archive{[&] {
                                  writer.reset();
                                  origin.fetched_at = now_micros();
                                  writer.emplace(archive.open(origin));
                                },
                                [&](std::string_view chunk) { writer->append(chunk); }};
  std::optional<metrics::StageTimer> fetching(std::in_place, metrics, source.name, "fetch");
  // JSON only: an HTML error page served with 200 fails here (65), before the archive.
  const HttpResponse response = http.get(source.url, {{"X-API-Key", source.api_key.reveal(), true}},
                                         AcceptedContent::json, into_archive);
  fetching.reset();
  const metrics::StageTimer archiving(metrics, source.name, "archive");
  ArchivedPayload archived = land_payload(db, *writer, response.status);
  log.debug("source {}: payload of {} bytes archived as {}", source.name, archived.size,
            archived.relative_path.string());
  return archived;
}

// With a shard, this worker loads only its share of the payload; the other workers of the source
// (other shards) fetch and load theirs at the same time, each under its own lock.
void run_sensor_source(Database& db, const Config& config, const RawArchive& archive,
                       const SourceConfig& source, UtcSeconds hour, const Shard& shard,
                       metrics::Registry& metrics, spdlog::logger& log) {
  auto lock = SourceLock::try_acquire(db, source_lock_key(source.name, shard));
  if (!lock) {
    throw Error(ExitCode::temporary, describe_worker(source.name, shard) +
                                         ": another run holds its lock; try again later");
  }
  recover_abandoned_runs(db, source.name, log);
  const SourceRegions regions = load_source_regions(db, config, source, log);
  const std::int64_t run_id = begin_run(db, source.name, hour);
  try {
    const ArchivedPayload archived =
        fetch_and_archive(source, archive, db, run_id, hour, metrics, log);
    const auto open_body = [&] {
      return archive.open_reader(archived.relative_path, archived.sha256);
    };
    const RunCounts counts = load_sensor_payload(
        db, source, regions, run_id,
        {open_body, archived.origin.url, hour, archived.origin.fetched_at, shard}, log, &metrics);
    LogFields fields = run_fields(source.name, run_id, hour);
    if (!shard.whole()) fields.add("shard", shard.text());
    log_with(log, spdlog::level::info, fields.add(counts_fields(counts)),
             "{} hour {}: run {} succeeded: {}", describe_worker(source.name, shard),
             to_iso8601(hour), run_id, describe_counts(counts));
  } catch (const std::exception& error) {
    record_run_failure(db, run_id, source.name, error, log);
    throw;
  }
  const metrics::StageTimer verifying(metrics, source.name, "verify");
  verify_after_sensor_run(db, config, source.name, run_id, hour, log);
}

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
      if (source->stations) {
        const StationJob job{
            std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()), hour};
        run_station_source(db, config, *source, job, log, out);
      } else {
        run_sensor_source(db, config, archive, *source, hour, request.shard, metrics, log);
      }
    } catch (const Error& error) {
      outcome.exit_code = static_cast<int>(error.code());
      log_with(log, spdlog::level::err,
               LogFields()
                   .add("source", source->name)
                   .add("hour", to_iso8601(hour))
                   .add("exit_code", outcome.exit_code),
               "source {}: {}", source->name, error.what());
    }
    outcome.duration = std::chrono::steady_clock::now() - started;
  }
  prune_archive(db, archive, log);
  refresh_dashboard(db, config, log);
  // Failed sources included: last-success times come from the ledger, not this run.
  write_run_metrics(db, config, metrics, outcomes,
                    std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()),
                    log);
  return outcomes;
}

}  // namespace meteo::pipeline
