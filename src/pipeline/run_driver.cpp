#include "run_driver.hpp"

#include <spdlog/spdlog.h>

#include "meteo/core/log_fields.hpp"
#include "meteo/geo/match.hpp"
#include "run_failure.hpp"
#include "run_log_fields.hpp"
#include "unit_load.hpp"

namespace meteo::pipeline {
namespace {

using sources::Source;

// What every stage of one run reports to.
struct Driving {
  RunStore& store;
  const SourceJob& job;
  spdlog::logger& log;
  std::ostream& out;
};

// What a run learns unit by unit.
struct RunTally {
  RunCounts total;
  std::optional<HourSpan> observed;  // the measurement hours of what the run wrote (stations)
};

// Stations first, so that every observation's station has its regions; then what the plan skipped.
void place_stations(const Driving& driving, const std::string& source, const SourceRegions& regions,
                    const sources::RunPlan& plan) {
  if (plan.stations) {
    driving.store.sync_stations(source, regions.set_pointers(),
                                geo::match_stations(*plan.stations, regions.matcher_pointers()));
  }
  for (const auto& problem : plan.problems) driving.log.warn("source {}: {}", source, problem);
  for (const auto& [id, reason] : plan.skipped) {
    driving.log.warn("source {}: dataset {} skipped: {}", source, id, reason);
    driving.store.record_skipped_dataset(source, id, reason);
  }
}

// A sensor payload is the run: its log line closes it.
void report_unit(const Driving&, StepProgress&, const LogFields&, const sources::FetchUnit&,
                 const RunCounts&, const Source<SensorReading>&) {}

// A window of a station dataset or an air-quality layer: one line each.
void report_window(const Driving& driving, StepProgress& progress, const LogFields& run,
                   const sources::FetchUnit& unit, const RunCounts& counts,
                   std::string_view partition_field) {
  progress.step(unit.label);
  log_with(driving.log, progress.step_level(),
           LogFields(run)
               .add(std::string(partition_field), unit.partition)
               .add(counts_fields(counts, CountsScope::unit)),
           "{}: fetched {}, stored {}, corrections {}, unchanged {}, rejected {}", unit.label,
           counts.fetched, counts.stored, counts.corrections, counts.unchanged, counts.rejected);
}

void report_unit(const Driving& driving, StepProgress& progress, const LogFields& run,
                 const sources::FetchUnit& unit, const RunCounts& counts,
                 const Source<WeatherObservation>&) {
  report_window(driving, progress, run, unit, counts, "dataset");
}

void report_unit(const Driving& driving, StepProgress& progress, const LogFields& run,
                 const sources::FetchUnit& unit, const RunCounts& counts,
                 const Source<AirQualityMeasurement>&) {
  report_window(driving, progress, run, unit, counts, "layer");
}

// The sensor payload's transaction closed the ledger run already.
void close_run(const Driving& driving, std::int64_t run_id, const sources::RunPlan&,
               const RunCounts& total, const Source<SensorReading>& source) {
  const SourceJob& job = driving.job;
  const std::string& name = source.config().name;
  LogFields fields = run_fields(name, run_id, job.run_hour);
  if (!job.shard.whole()) fields.add("shard", job.shard.text());
  log_with(driving.log, spdlog::level::info, fields.add(counts_fields(total)),
           "{} hour {}: run {} succeeded: {}", describe_worker(name, job.shard),
           to_iso8601(job.run_hour), run_id, describe_counts(total));
}

// Station windows commit one by one: the ledger run closes after the last.
void close_run(const Driving& driving, std::int64_t run_id, const sources::RunPlan& plan,
               const RunCounts& total, const Source<WeatherObservation>& source) {
  driving.store.finish_run(run_id, total);
  const std::string& name = source.config().name;
  log_with(driving.log, spdlog::level::info,
           run_fields(name, run_id, driving.job.run_hour)
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

// Air-quality windows commit one by one, as station windows do: the run closes after the last.
void close_run(const Driving& driving, std::int64_t run_id, const sources::RunPlan& plan,
               const RunCounts& total, const Source<AirQualityMeasurement>& source) {
  driving.store.finish_run(run_id, total);
  const std::string& name = source.config().name;
  log_with(driving.log, spdlog::level::info,
           run_fields(name, run_id, driving.job.run_hour)
               .add("layers", plan.partitions.size())
               .add(counts_fields(total))
               .add("kept_negative", total.kept_negative)
               .add("requests", source.requests_made()),
           "source {}: run {} succeeded: {} layer(s), fetched {}, stored {}, corrections {}, "
           "unchanged {}, rejected {}, duplicates {}, negatives kept {}, {} request(s)",
           name, run_id, plan.partitions.size(), total.fetched, total.stored, total.corrections,
           total.unchanged, total.rejected, total.duplicates, total.kept_negative,
           source.requests_made());
}

// Which table holds a partition's watermark.
SourceKind kind_of(const Source<SensorReading>&) {
  return SourceKind::sensor_feed;
}
SourceKind kind_of(const Source<WeatherObservation>&) {
  return SourceKind::station_network;
}
SourceKind kind_of(const Source<AirQualityMeasurement>&) {
  return SourceKind::air_quality;
}

template <class Record>
void run_units(const Driving& driving, RunStages<Record>& stages, Source<Record>& source,
               const SourceRegions& regions, std::int64_t run_id, sources::Lander& lander,
               RunTally& tally) {
  const SourceJob& job = driving.job;
  const std::string& name = source.config().name;
  const sources::WatermarkReader watermark = [&](const std::string& partition) {
    return driving.store.read_watermark(kind_of(source), name, partition);
  };
  const sources::RunPlan plan =
      source.plan({job.now, job.window, watermark}, job.dry_run ? nullptr : &lander);
  if (job.dry_run) {
    source.print_plan(plan, driving.out);
    return;
  }
  place_stations(driving, name, regions, plan);
  const auto progress = start_progress(job.progress, plan.units.size(), "windows");
  const LogFields run = run_fields(name, run_id, job.run_hour);
  for (const auto& unit : plan.units) {
    auto records = source.fetch(unit, lander, job.shard);
    const RunCounts counts = stages.load_unit(run_id, regions, unit, *records, tally.observed);
    tally.total += counts;
    report_unit(driving, *progress, run, unit, counts, source);
  }
  close_run(driving, run_id, plan, tally.total, source);
}

}  // namespace

template <class Record>
RunCounts drive_run(RunStore& store, RunStages<Record>& stages, Source<Record>& source,
                    const SourceJob& job, spdlog::logger& log, std::ostream& out) {
  const Driving driving{store, job, log, out};
  const std::string& name = source.config().name;
  const auto lock = store.try_lock(source_lock_key(name, job.shard));
  if (!lock) throw lock_held_error(name, job.shard);
  if (!job.dry_run) recover_abandoned_runs(store, name, log);
  const SourceRegions regions = stages.load_regions();
  // Every failure past this point, the source's included, leaves a failed ledger row.
  const std::int64_t run_id = job.dry_run ? 0 : store.begin_run(name, job.run_hour);
  const auto lander = stages.lander(run_id);
  RunTally tally;
  try {
    run_units(driving, stages, source, regions, run_id, *lander, tally);
  } catch (const std::exception& error) {
    if (!job.dry_run) record_run_failure(store, run_id, name, error, log);
    throw;
  }
  if (!job.dry_run) stages.after_run(run_id, tally.observed);
  return tally.total;
}

template RunCounts drive_run(RunStore&, RunStages<SensorReading>&, Source<SensorReading>&,
                             const SourceJob&, spdlog::logger&, std::ostream&);
template RunCounts drive_run(RunStore&, RunStages<WeatherObservation>&, Source<WeatherObservation>&,
                             const SourceJob&, spdlog::logger&, std::ostream&);

template RunCounts drive_run(RunStore&, RunStages<AirQualityMeasurement>&,
                             Source<AirQualityMeasurement>&, const SourceJob&, spdlog::logger&,
                             std::ostream&);

}  // namespace meteo::pipeline
