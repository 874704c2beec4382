// The transactional load of a run: readings upserted, rejects recorded, aggregates recomputed.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "meteo/core/time.hpp"
#include "meteo/model/records.hpp"
#include "meteo/model/run_counts.hpp"
#include "meteo/store/database.hpp"

namespace meteo {

// What one run loads, besides its readings.
struct RunHeader {
  std::int64_t run_id = 0;
  std::string source;
  UtcSeconds hour;
  UtcMicros fetched_at;  // of the payload: a reading keeps the values of its newest payload
  std::vector<const RegionSet*> region_sets;  // same order as MatchedReading::region_index
};

// Where a run's producer puts its batches, inside the load's transaction. Each reading id appears
// once in the whole run (the producer deduplicates), so a batch never sees another's readings.
class RunSink {
 public:
  virtual ~RunSink() = default;
  virtual void add_readings(const std::vector<MatchedReading>& readings) = 0;
  virtual void add_rejected(const std::vector<RejectedRecord>& rejected) = 0;
};

// Puts every batch of a run into the sink and returns the counts known upstream (fetched,
// rejected, duplicates, outside, disagreements, other_shards). Called again from the start when
// the transaction is retried, so it must produce the same batches each time.
using RunProducer = std::function<RunCounts(RunSink&)>;

// In one transaction: upserts readings (a stored id keeps its hour, the earliest that carried it;
// its values and matches are those of the newest payload that carried it, so payloads may be
// loaded in any order), records rejects (a record already rejected for this source and hour is not
// stored twice), recomputes the aggregate of every touched hour from the stored readings, and
// marks the ledger row succeeded with the final counts. Rolls back and rethrows on any error. The
// readings stream through in batches: memory is bounded by the biggest batch, not by the run.
RunCounts load_run(Database& db, const RunHeader& run, const RunProducer& produce);

// A whole run held in memory: one batch.
struct RunBatch {
  std::int64_t run_id = 0;
  std::string source;
  UtcSeconds hour;
  UtcMicros fetched_at;
  std::vector<const RegionSet*> region_sets;
  std::vector<MatchedReading> readings;  // one per id (already deduplicated)
  std::vector<RejectedRecord> rejected;
  RunCounts counts;  // fetched, rejected, duplicates, outside, disagreements filled by the caller
};

RunCounts load_run(Database& db, const RunBatch& batch);

}  // namespace meteo
