// The hourly job: fetch -> parse/validate -> match -> aggregate -> load, one source at a time.
#include <spdlog/spdlog.h>

#include <memory>
#include <optional>

#include "../pipeline/payload_landing.hpp"   // until the run driver moves to pipeline
#include "../pipeline/run_failure.hpp"       // until the run driver moves to pipeline
#include "../pipeline/run_log_fields.hpp"    // until the run driver moves to pipeline
#include "../pipeline/sensor_job.hpp"        // until the run driver moves to pipeline
#include "../pipeline/verify_after_run.hpp"  // until the run driver moves to pipeline
#include "commands.hpp"
#include "logging.hpp"
#include "manual.hpp"
#include "meteo/archive.hpp"
#include "meteo/dashboard/dashboard_writer.hpp"
#include "meteo/errors.hpp"
#include "meteo/geo.hpp"
#include "meteo/http.hpp"
#include "meteo/pipeline/run_metrics.hpp"
#include "meteo/pipeline/source_regions.hpp"
#include "meteo/pipeline/station_job.hpp"
#include "meteo/sources.hpp"
#include "meteo/store.hpp"
#include "meteo/time.hpp"

namespace meteo {
namespace {

using namespace pipeline;  // until the run driver moves to pipeline

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
    dashboard::write_dashboard(db, config, dashboard::dashboard_settings(config, ""), now, log);
  } catch (const std::exception& error) {
    log.warn("dashboard not refreshed: {}", error.what());
  }
}

// The run's last line: how many sources failed, and the exit code (the first failure's).
int log_run_end(spdlog::logger& log, const std::vector<SourceRunOutcome>& outcomes,
                UtcSeconds hour) {
  std::size_t failed = 0;
  int exit_code = 0;
  for (const auto& outcome : outcomes) {
    if (outcome.exit_code == 0) continue;
    ++failed;
    if (exit_code == 0) exit_code = outcome.exit_code;
  }
  const LogFields fields = LogFields()
                               .add("hour", to_iso8601(hour))
                               .add("sources", outcomes.size())
                               .add("failed_sources", failed)
                               .add("exit_code", exit_code);
  if (failed == 0) {
    log_with(log, spdlog::level::info, fields, "run of hour {} finished: {} source(s) succeeded",
             to_iso8601(hour), outcomes.size());
  } else {
    log_with(log, spdlog::level::err, fields,
             "run of hour {} finished: {} of {} source(s) failed, exit code {}", to_iso8601(hour),
             failed, outcomes.size(), exit_code);
  }
  return exit_code;
}

}  // namespace

CommandRegistration register_run(CLI::App& parent) {
  CLI::App* app = parent.add_subcommand("run", "the hourly job: fetch, match, aggregate, load");
  struct Options {
    std::string hour;
    std::vector<std::string> sources;
    std::string shard;
  };
  auto options = std::make_shared<Options>();
  app->add_option("--hour", options->hour,
                  "stamp the run with this UTC hour (2026-11-22T06); default: the current hour")
      ->type_name("HOUR");
  app->add_option("--source", options->sources, "run only this source (repeatable); default: all")
      ->type_name("NAME");
  app->add_option("--shard", options->shard,
                  "load only the sensor readings whose id hashes into shard K of N "
                  "(FNV-1a 64 of the id, mod N); N workers, one per K, load the whole feed")
      ->type_name("K/N");
  set_examples(*app, {"meteo-etl run --log-format json", "meteo-etl run --hour 2026-11-22T06",
                      "meteo-etl run --source sensors --shard 1/4"});
  return {app, [options](CommandContext& context) {
            const UtcSeconds hour = options->hour.empty()
                                        ? floor_to_hour(std::chrono::system_clock::now())
                                        : parse_hour(options->hour);
            const Shard shard = options->shard.empty() ? Shard{} : parse_shard(options->shard);
            std::vector<const SourceConfig*> sources;
            for (const auto& name : options->sources)
              sources.push_back(&context.config.source(name));
            if (options->sources.empty()) {
              for (const auto& source : context.config.sources) sources.push_back(&source);
            }
            if (sources.empty()) throw Error(ExitCode::config, "no [[sources]] configured");
            for (const SourceConfig* source : sources) {
              if (!shard.whole() && source->stations) {
                throw Error(ExitCode::usage,
                            "--shard splits a sensor feed; source " + source->name +
                                " is a station network: name the sensor sources with --source");
              }
            }

            Database db = Database::connect(context.config.database, &context.log);
            require_current_schema(db, bundled_migrations());
            const RawArchive archive(context.config.archive);
            metrics::Registry metrics;
            describe_run_metrics(metrics);
            // Every source gets its chance; the first failure decides the exit code.
            std::vector<SourceRunOutcome> outcomes;
            for (const SourceConfig* source : sources) {
              SourceRunOutcome& outcome = outcomes.emplace_back(SourceRunOutcome{source->name});
              const auto started = std::chrono::steady_clock::now();
              try {
                if (source->stations) {
                  const StationJob job{
                      std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()),
                      hour};
                  run_station_source(db, context.config, *source, job, context.log, context.out);
                } else {
                  run_sensor_source(db, context.config, archive, *source, hour, shard, metrics,
                                    context.log);
                }
              } catch (const Error& error) {
                outcome.exit_code = static_cast<int>(error.code());
                log_with(context.log, spdlog::level::err,
                         LogFields()
                             .add("source", source->name)
                             .add("hour", to_iso8601(hour))
                             .add("exit_code", outcome.exit_code),
                         "source {}: {}", source->name, error.what());
              }
              outcome.duration = std::chrono::steady_clock::now() - started;
            }
            prune_archive(db, archive, context.log);
            refresh_dashboard(db, context.config, context.log);
            // Failed sources included: last-success times come from the ledger, not this run.
            write_run_metrics(
                db, context.config, metrics, outcomes,
                std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()),
                context.log);
            return log_run_end(context.log, outcomes, hour);
          }};
}

}  // namespace meteo
