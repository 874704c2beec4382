#include "meteo/pipeline/source_run.hpp"

#include <spdlog/spdlog.h>

#include "database_run_store.hpp"
#include "forecast_after_run.hpp"
#include "lander.hpp"
#include "meteo/archive/raw_archive.hpp"
#include "meteo/pipeline/replay_job.hpp"
#include "meteo/pipeline/source_regions.hpp"
#include "meteo/sources/source_types.hpp"
#include "run_driver.hpp"
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
};

// Under the source's lock; a backfill is not the hourly job, so only the hourly run verifies.
void after_run(const RunContext& context, const SourceJob& job, std::int64_t run_id,
               const std::optional<HourSpan>&, const Source<SensorReading>& source) {
  const OptionalStageTimer verifying(context.metrics, source.config().name, "verify");
  verify_after_sensor_run(context.db, context.config, source.config().name, run_id, job.run_hour,
                          context.log);
}

// Forecasts follow the hourly run and a backfill alike: each issue sees only its own past.
void after_run(const RunContext& context, const SourceJob& job, std::int64_t run_id,
               const std::optional<HourSpan>& observed, const Source<WeatherObservation>& source) {
  {
    const OptionalStageTimer forecasting(context.metrics, source.config().name, "forecast");
    forecast_after_run(context.db, {context.config.forecast, source.config().name, run_id, job.now},
                       observed, context.log);
  }
  if (job.window) return;
  verify_after_station_run(context.db, context.config, source.config().name, job.run_hour, observed,
                           context.log);
}

// Nothing is checked after an air-quality run yet (design: left for later).
void after_run(const RunContext&, const SourceJob&, std::int64_t, const std::optional<HourSpan>&,
               const Source<AirQualityMeasurement>&) {}

// The stages of a run on the database: region sets, the raw archive, the loads, verify.
template <class Record>
class DatabaseStages final : public RunStages<Record> {
 public:
  DatabaseStages(const RunContext& context, const Source<Record>& source, const SourceJob& job)
      : context_(context), source_(source), job_(job) {}

  SourceRegions load_regions() override {
    return load_source_regions(context_.db, context_.config, source_.config(), context_.log);
  }

  std::unique_ptr<sources::Lander> lander(std::int64_t run_id) override {
    return std::make_unique<ArchiveLander>(
        context_.db, context_.archive,
        PayloadOrigin{source_.config().name, job_.run_hour, run_id, 0, {}, {}, 0}, context_.metrics,
        context_.log);
  }

  RunCounts load_unit(std::int64_t run_id, const SourceRegions& regions,
                      const sources::FetchUnit& unit, sources::UnitRecords<Record>& records,
                      std::optional<HourSpan>& observed) override {
    const UnitLoad load{context_.db,   source_.config(),
                        regions,       run_id,
                        job_.run_hour, context_.metrics,
                        context_.log,  &context_.config.alerts,
                        job_.now,      context_.config.daily_settings(source_.config().name)};
    return pipeline::load_unit(load, unit, records, observed);
  }

  void after_run(std::int64_t run_id, const std::optional<HourSpan>& observed) override {
    pipeline::after_run(context_, job_, run_id, observed, source_);
  }

 private:
  const RunContext& context_;
  const Source<Record>& source_;
  const SourceJob& job_;
};

}  // namespace

RunCounts run_source(Database& db, const Config& config, const RawArchive& archive,
                     const SourceConfig& source, const SourceJob& job, metrics::Registry* metrics,
                     spdlog::logger& log, std::ostream& out) {
  const RunContext context{db, config, archive, metrics, log};
  DatabaseRunStore store(db);
  sources::AnySource typed_source = sources::make_source(source, log);
  return std::visit(
      [&](auto& typed) {
        DatabaseStages stages(context, *typed, job);
        return drive_run(store, stages, *typed, job, log, out);
      },
      typed_source);
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
