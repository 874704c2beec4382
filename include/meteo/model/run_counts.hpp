// What a run did, in numbers: one type for every source, filled stage by stage (the source's
// census, the matcher, the store's classification) and summed over a run's units with +=.
#pragma once

#include <cstddef>

namespace meteo {

struct RunCounts {
  std::size_t fetched = 0;        // records in the payload (of this shard, when sharded)
  std::size_t rejected = 0;       // failed validation
  std::size_t duplicates = 0;     // earlier occurrences of the same key within the payload
  std::size_t outside = 0;        // valid readings in no region of the source's first set
  std::size_t disagreements = 0;  // country label vs geometry, first set
  std::size_t stored = 0;         // records new to the database
  std::size_t corrections = 0;    // records already stored whose value changed
  std::size_t unchanged = 0;      // records already stored, identical
  // Records of the payload left to the other workers of a sharded run (`run --shard K/N`); not
  // in the ledger, whose `fetched` then counts this shard's records only.
  std::size_t other_shards = 0;
  // Hours of station aggregates recomputed by a station load; neither in the ledger nor logged.
  std::size_t hours_recomputed = 0;
  // Valid records whose value is below zero yet above the source's floor: kept, as measured (an
  // analyser's zero drifts), and counted so an operator sees how many. 0 for the sources that
  // reject a negative value.
  std::size_t kept_negative = 0;

  RunCounts& operator+=(const RunCounts& more) {
    fetched += more.fetched;
    rejected += more.rejected;
    duplicates += more.duplicates;
    outside += more.outside;
    disagreements += more.disagreements;
    stored += more.stored;
    corrections += more.corrections;
    unchanged += more.unchanged;
    other_shards += more.other_shards;
    hours_recomputed += more.hours_recomputed;
    kept_negative += more.kept_negative;
    return *this;
  }
};

}  // namespace meteo
