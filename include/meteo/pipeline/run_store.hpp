// The ledger as a run's driver sees it: the source's lock, the run's row, and the per-dataset
// state its plan reads and writes. An interface so that the driver's control flow is unit-tested
// against a fake; the database's implementation is DatabaseRunStore (src/pipeline/).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "meteo/core/time.hpp"
#include "meteo/model/records.hpp"
#include "meteo/model/run_counts.hpp"
#include "meteo/model/source_kind.hpp"

namespace meteo::pipeline {

class RunStore {
 public:
  // Held while one run of its key goes on; released when destroyed.
  class Lock {
   public:
    virtual ~Lock() = default;
  };

  virtual ~RunStore() = default;

  // Null when another run, of this process or another, holds `key`.
  virtual std::unique_ptr<Lock> try_lock(const std::string& key) = 0;
  // Marks failed the rows that dead runs of `source` left 'running'; returns how many.
  virtual std::size_t close_abandoned_runs(const std::string& source) = 0;
  // Opens the ledger row of a fetch run and returns its id.
  virtual std::int64_t begin_run(const std::string& source, UtcSeconds hour) = 0;
  // A partition's watermark in its family's table (station datasets, air-quality layers).
  virtual std::optional<UtcSeconds> read_watermark(SourceKind kind, const std::string& source,
                                                   const std::string& partition) = 0;
  virtual void sync_stations(const std::string& source,
                             const std::vector<const RegionSet*>& region_sets,
                             const std::vector<MatchedStation>& stations) = 0;
  virtual void record_skipped_dataset(const std::string& source, const std::string& dataset,
                                      const std::string& reason) = 0;
  // Closes a run whose units committed one by one (a sensor payload's transaction closes its own).
  virtual void finish_run(std::int64_t run_id, const RunCounts& counts) = 0;
  virtual void fail_run(std::int64_t run_id, const std::string& message) = 0;
};

}  // namespace meteo::pipeline
