// The hourly job: fetch -> parse/validate -> match -> aggregate -> load, one source at a time.
#include <spdlog/spdlog.h>

#include <memory>

#include "commands.hpp"
#include "dashboard_writer.hpp"
#include "meteo/aggregate.hpp"
#include "meteo/errors.hpp"
#include "meteo/geo.hpp"
#include "meteo/http.hpp"
#include "meteo/sources.hpp"
#include "meteo/store.hpp"
#include "meteo/time.hpp"
#include "run_failure.hpp"
#include "run_metrics.hpp"
#include "source_regions.hpp"
#include "station_job.hpp"
#include "verify_after_run.hpp"

namespace meteo {
namespace {

// Fetch, validate and match one payload into a batch ready to load.
RunBatch build_batch(const SourceConfig& source, const SourceRegions& regions, std::int64_t run_id,
                     UtcSeconds hour, spdlog::logger& log) {
  HttpClient http(source.http, log);
  // JSON only: an HTML error page served with 200 fails here (65), before any parsing.
  const HttpResponse response = http.get(
      source.url, {{"X-API-Key", source.api_key.reveal(), true}}, AcceptedContent::json);
  ParsedPayload payload = parse_sensor_payload(response.body, source.url);

  RunBatch batch;
  batch.run_id = run_id;
  batch.source = source.name;
  batch.hour = hour;
  batch.region_sets = regions.set_pointers();
  batch.counts.fetched = payload.record_count;
  batch.counts.rejected = payload.rejected.size();
  batch.counts.duplicates = keep_latest_per_id(payload.readings);
  for (const auto& rejected : payload.rejected) {
    log.warn("source {}: record {} rejected: {}", source.name, rejected.position, rejected.reason);
  }
  MatchSummary matched = match_readings(std::move(payload.readings), regions.matcher_pointers(),
                                        source.home_country_labels);
  // The first set is the source's primary geography: it decides what counts as "outside".
  batch.counts.outside = matched.outside.empty() ? 0 : matched.outside.front();
  batch.counts.disagreements = matched.disagreements.empty() ? 0 : matched.disagreements.front();
  batch.readings = std::move(matched.readings);
  batch.rejected = std::move(payload.rejected);
  return batch;
}

void log_region_means(const RunBatch& batch, spdlog::logger& log) {
  if (!log.should_log(spdlog::level::debug)) return;
  for (std::size_t set = 0; set < batch.region_sets.size(); ++set) {
    const auto& regions = batch.region_sets[set]->regions;
    const auto sums = sum_by_region(batch.readings, set, regions.size());
    for (std::size_t i = 0; i < sums.size(); ++i) {
      if (auto mean = sums[i].mean()) {
        log.debug("source {}: {} {}: {:.2f} °C over {} new reading(s) of this payload",
                  batch.source, batch.region_sets[set]->name, regions[i].name, *mean,
                  sums[i].count);
      }
    }
  }
}

void run_sensor_source(Database& db, const Config& config, const SourceConfig& source,
                       UtcSeconds hour, spdlog::logger& log) {
  auto lock = SourceLock::try_acquire(db, source.name);
  if (!lock) {
    throw Error(ExitCode::temporary,
                "source " + source.name + ": another run holds its lock; try again later");
  }
  recover_abandoned_runs(db, source.name, log);
  const SourceRegions regions = load_source_regions(db, config, source);
  const std::int64_t run_id = begin_run(db, source.name, hour);
  try {
    RunBatch batch = build_batch(source, regions, run_id, hour, log);
    log_region_means(batch, log);
    const RunCounts counts = load_run(db, batch);
    log.info(
        "source {} hour {}: run {} succeeded: fetched {}, stored {}, corrections {}, unchanged "
        "{}, rejected {}, duplicates {}, outside {}, label disagreements {}",
        source.name, to_iso8601(hour), run_id, counts.fetched, counts.stored, counts.corrections,
        counts.unchanged, counts.rejected, counts.duplicates, counts.outside, counts.disagreements);
  } catch (const std::exception& error) {
    record_run_failure(db, run_id, source.name, error, log);
    throw;
  }
  verify_after_sensor_run(db, config, source.name, run_id, hour, log);
}

// After every source ran, failed ones included, so the page shows the failure. The data is
// already committed: a dashboard problem is worth a warning, not a failed run.
void refresh_dashboard(Database& db, const Config& config, spdlog::logger& log) {
  if (!config.dashboard || !config.dashboard->refresh_after_run) return;
  try {
    const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    write_dashboard(db, config, dashboard_settings(config, ""), now, log);
  } catch (const std::exception& error) {
    log.warn("dashboard not refreshed: {}", error.what());
  }
}

}  // namespace

CommandRegistration register_run(CLI::App& parent) {
  CLI::App* app = parent.add_subcommand("run", "the hourly job: fetch, match, aggregate, load");
  struct Options {
    std::string hour;
    std::vector<std::string> sources;
  };
  auto options = std::make_shared<Options>();
  app->add_option("--hour", options->hour,
                  "stamp the run with this UTC hour (2026-11-22T06) instead of now");
  app->add_option("--source", options->sources, "run only this source (repeatable)");
  return {app, [options](CommandContext& context) {
            const UtcSeconds hour = options->hour.empty()
                                        ? floor_to_hour(std::chrono::system_clock::now())
                                        : parse_hour(options->hour);
            std::vector<const SourceConfig*> sources;
            for (const auto& name : options->sources)
              sources.push_back(&context.config.source(name));
            if (options->sources.empty()) {
              for (const auto& source : context.config.sources) sources.push_back(&source);
            }
            if (sources.empty()) throw Error(ExitCode::config, "no [[sources]] configured");

            Database db = Database::connect(context.config.database, &context.log);
            require_current_schema(db, bundled_migrations());
            // Every source gets its chance; the first failure decides the exit code.
            std::optional<Error> first_failure;
            metrics::Registry metrics;
            describe_run_metrics(metrics);
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
                  verify_after_station_run(db, context.config, source->name, hour, context.log);
                } else {
                  run_sensor_source(db, context.config, *source, hour, context.log);
                }
              } catch (const Error& error) {
                context.log.error("source {}: {}", source->name, error.what());
                if (!first_failure) first_failure = error;
                outcome.exit_code = static_cast<int>(error.code());
              }
              outcome.duration = std::chrono::steady_clock::now() - started;
            }
            refresh_dashboard(db, context.config, context.log);
            // Failed sources included: last-success times come from the ledger, not this run.
            write_run_metrics(
                db, context.config, metrics, outcomes,
                std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()),
                context.log);
            if (first_failure) return static_cast<int>(first_failure->code());
            return 0;
          }};
}

}  // namespace meteo
