// The control flow of a run, whatever its source: lock, abandoned runs, ledger row, plan, each
// unit fetched and loaded, close; a failure marks the run failed and goes on up. The ledger comes
// in as a RunStore and the stages that need more of the database as RunStages, so that a unit
// test drives the flow with fakes of both.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <ostream>

#include "meteo/pipeline/run_store.hpp"
#include "meteo/pipeline/source_regions.hpp"
#include "meteo/pipeline/source_run.hpp"
#include "meteo/sources/source.hpp"
#include "verify_after_run.hpp"

namespace spdlog {
class logger;
}

namespace meteo::pipeline {

// A run's stages past its ledger, for one record family.
template <class Record>
class RunStages {
 public:
  virtual ~RunStages() = default;
  // The source's region sets with their matchers, read once the lock is held.
  virtual SourceRegions load_regions() = 0;
  // What lands the answers of ledger run `run_id` (0 in a dry run, which lands nothing).
  virtual std::unique_ptr<sources::Lander> lander(std::int64_t run_id) = 0;
  // One fetched unit in its own transaction (unit_load.hpp); widens `observed` by its hours.
  virtual RunCounts load_unit(std::int64_t run_id, const SourceRegions& regions,
                              const sources::FetchUnit& unit, sources::UnitRecords<Record>& records,
                              std::optional<HourSpan>& observed) = 0;
  // After a run that succeeded, still under its lock: what derives from the loads (forecasts)
  // and verify after run.
  virtual void after_run(std::int64_t run_id, const std::optional<HourSpan>& observed) = 0;
};

// Runs `source` as `job` says and returns what its units counted. Throws Error(temporary) when
// another run holds the lock; a failure once the ledger row is begun is recorded on it (fail_run)
// and rethrown. A dry run prints the plan to `out` and writes nothing.
template <class Record>
RunCounts drive_run(RunStore& store, RunStages<Record>& stages, sources::Source<Record>& source,
                    const SourceJob& job, spdlog::logger& log, std::ostream& out);

}  // namespace meteo::pipeline
