#include "meteo/pipeline/source_run.hpp"

#include <spdlog/spdlog.h>

#include "lander.hpp"
#include "meteo/archive.hpp"
#include "meteo/core/log_fields.hpp"
#include "meteo/errors.hpp"
#include "meteo/geo/match.hpp"
#include "meteo/pipeline/replay_job.hpp"
#include "meteo/pipeline/source_regions.hpp"
#include "meteo/sources/source_types.hpp"
#include "meteo/station_store.hpp"
#include "run_failure.hpp"
#include "run_log_fields.hpp"
#include "stage_timing.hpp"
#include "unit_load.hpp"
#include "verify_after_run.hpp"

namespace meteo::pipeline {
namespace {

using sources::Source;

struct RunContext {
  Database& db;
  const Config& config;
  const RawArchive& archive;
  metrics::Registry* metrics;
  spdlog::logger& log;
  std::ostream& out;
};

// What a run learns unit by unit.
struct RunTally {
  RunCounts total;
  std::optional<HourSpan> observed;  // the measurement hours of what the run wrote (stations)
};

// Stations first, so that every observation's station has its regions; then what the plan skipped.
void place_stations(const RunContext& context, const SourceConfig& source,
                    const SourceRegions& regions, const sources::RunPlan& plan) {
  if (plan.stations) {
    sync_stations(context.db, source.name, regions.set_pointers(),
                  geo::match_stations(*plan.stations, regions.matcher_pointers()));
  }
  for (const auto& problem : plan.problems) context.log.warn("source {}: {}", source.name, problem);
  for (const auto& [id, reason] : plan.skipped) {
    context.log.warn("source {}: dataset {} skipped: {}", source.name, id, reason);
    record_skipped_dataset(context.db, source.name, id, reason);
  }
}

// A sensor payload is the run: its log line closes it.
void report_unit(const RunContext&, StepProgress&, const LogFields&, const sources::FetchUnit&,
                 const RunCounts&, const Source<SensorReading>&) {}

void report_unit(const RunContext& context, StepProgress& progress, const LogFields& run,
                 const sources::FetchUnit& unit, const RunCounts& counts,
                 const Source<WeatherObservation>&) {
  progress.step(unit.label);
  log_with(
      context.log, progress.step_level(),
      LogFields(run).add("dataset", unit.partition).add(counts_fields(counts, CountsScope::unit)),
      "{}: fetched {}, stored {}, corrections {}, unchanged {}, rejected {}", unit.label,
      counts.fetched, counts.stored, counts.corrections, counts.unchanged, counts.rejected);
}

// The sensor payload's transaction closed the ledger run already.
void close_run(const RunContext& context, const SourceJob& job, std::int64_t run_id,
               const sources::RunPlan&, const RunCounts& total,
               const Source<SensorReading>& source) {
  const std::string& name = source.config().name;
  LogFields fields = run_fields(name, run_id, job.run_hour);
  if (!job.shard.whole()) fields.add("shard", job.shard.text());
  log_with(context.log, spdlog::level::info, fields.add(counts_fields(total)),
           "{} hour {}: run {} succeeded: {}", describe_worker(name, job.shard),
           to_iso8601(job.run_hour), run_id, describe_counts(total));
}

// Station windows commit one by one: the ledger run closes after the last.
void close_run(const RunContext& context, const SourceJob& job, std::int64_t run_id,
               const sources::RunPlan& plan, const RunCounts& total,
               const Source<WeatherObservation>& source) {
  finish_run(context.db, run_id, total);
  const std::string& name = source.config().name;
  log_with(context.log, spdlog::level::info,
           run_fields(name, run_id, job.run_hour)
               .add("datasets", plan.partitions.size())
               .add(counts_fields(total))
               .add("skipped_datasets", plan.skipped.size())
               .add("requests", source.requests_made()),
           "source {}: run {} succeeded: {} dataset(s), fetched {}, stored {}, corrections {}, "
           "unchanged {}, rejected {}, duplicates {}, {} skipped dataset(s), {} request(s)",
           name, run_id, plan.partitions.size(), total.fetched, total.stored, total.corrections,
           total.unchanged, total.rejected, total.duplicates, plan.skipped.size(),
           source.requests_made());
}

// Under the source's lock; a backfill is not the hourly job, so only the hourly run verifies.
void verify_run(const RunContext& context, const SourceJob& job, std::int64_t run_id,
                const RunTally&, const Source<SensorReading>& source) {
  const OptionalStageTimer verifying(context.metrics, source.config().name, "verify");
  verify_after_sensor_run(context.db, context.config, source.config().name, run_id, job.run_hour,
                          context.log);
}

void verify_run(const RunContext& context, const SourceJob& job, std::int64_t,
                const RunTally& tally, const Source<WeatherObservation>& source) {
  if (job.window) return;
  verify_after_station_run(context.db, context.config, source.config().name, job.run_hour,
                           tally.observed, context.log);
}

template <class Record>
RunCounts run_units(const RunContext& context, Source<Record>& source, const SourceJob& job,
                    const SourceRegions& regions, std::int64_t run_id, sources::Lander& lander,
                    RunTally& tally) {
  const SourceConfig& config = source.config();
  const sources::WatermarkReader watermark = [&](const std::string& partition) {
    return read_watermark(context.db, config.name, partition);
  };
  const sources::RunPlan plan =
      source.plan({job.now, job.window, watermark}, job.dry_run ? nullptr : &lander);
  if (job.dry_run) {
    source.print_plan(plan, context.out);
    return {};
  }
  place_stations(context, config, regions, plan);
  const auto progress = start_progress(job.progress, plan.units.size(), "windows");
  const LogFields run = run_fields(config.name, run_id, job.run_hour);
  const UnitLoad load{context.db,   config,          regions,    run_id,
                      job.run_hour, context.metrics, context.log};
  for (const auto& unit : plan.units) {
    auto records = source.fetch(unit, lander, job.shard);
    const RunCounts counts = load_unit(load, unit, *records, tally.observed);
    tally.total += counts;
    report_unit(context, *progress, run, unit, counts, source);
  }
  close_run(context, job, run_id, plan, tally.total, source);
  return tally.total;
}

template <class Record>
RunCounts run_source(const RunContext& context, Source<Record>& source, const SourceJob& job) {
  const SourceConfig& config = source.config();
  auto lock = SourceLock::try_acquire(context.db, source_lock_key(config.name, job.shard));
  if (!lock) {
    throw Error(ExitCode::temporary, describe_worker(config.name, job.shard) +
                                         ": another run holds its lock; try again later");
  }
  if (!job.dry_run) recover_abandoned_runs(context.db, config.name, context.log);
  const SourceRegions regions =
      load_source_regions(context.db, context.config, config, context.log);
  // Every failure past this point, the source's included, leaves a failed ledger row.
  const std::int64_t run_id = job.dry_run ? 0 : begin_run(context.db, config.name, job.run_hour);
  ArchiveLander lander(context.db, context.archive,
                       {config.name, job.run_hour, run_id, 0, {}, {}, 0}, context.metrics,
                       context.log);
  RunTally tally;
  try {
    run_units(context, source, job, regions, run_id, lander, tally);
  } catch (const std::exception& error) {
    if (!job.dry_run) record_run_failure(context.db, run_id, config.name, error, context.log);
    throw;
  }
  if (!job.dry_run) verify_run(context, job, run_id, tally, source);
  return tally.total;
}

}  // namespace

RunCounts run_source(Database& db, const Config& config, const RawArchive& archive,
                     const SourceConfig& source, const SourceJob& job, metrics::Registry* metrics,
                     spdlog::logger& log, std::ostream& out) {
  const RunContext context{db, config, archive, metrics, log, out};
  sources::AnySource typed_source = sources::make_source(source, log);
  return std::visit([&](auto& typed) { return run_source(context, *typed, job); }, typed_source);
}

RunCounts backfill_source(Database& db, const Config& config, const SourceConfig& source,
                          const SourceJob& job, spdlog::logger& log, std::ostream& out) {
  if (replayable(source)) {
    ReplayRequest request{*job.window, 1, job.dry_run, job.shard, job.progress};
    return replay_source(db, config, source, request, log, out);
  }
  const RawArchive archive(config.archive);
  return run_source(db, config, archive, source, job, nullptr, log, out);
}

}  // namespace meteo::pipeline
