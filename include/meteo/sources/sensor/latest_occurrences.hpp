// Later wins by id: when a sensor payload repeats an id, its last occurrence is the reading kept.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "meteo/model/records.hpp"

namespace meteo {

// Keeps the last occurrence of each id (the later record wins) in first-seen order.
// Returns how many earlier occurrences were dropped.
std::size_t keep_latest_per_id(std::vector<SensorReading>& readings);

// keep_latest_per_id for a payload too big to hold: which occurrence of each id to keep, learned
// from passes over the ids alone. Every pass must see the same ids in the same order.
//   1. count(id) for every reading, then seal();
//   2. only when seal() returned true (some id hash repeats): resolve(id) for every reading;
//   3. rewind(), then keep(id) for every reading while loading: true for the last occurrence of
//      its id. A retried load rewinds and runs pass 3 again.
// Memory: 8 bytes per reading during pass 1 (80 MB for 10 million), then only the ids whose
// hashes repeat.
class LatestOccurrences {
 public:
  void count(std::string_view id);
  bool seal();
  void resolve(std::string_view id);
  bool keep(std::string_view id);
  std::size_t size() const { return counted_; }           // readings seen by pass 1
  std::size_t duplicates() const { return duplicates_; }  // known after pass 2 (or 1)
  void rewind() { position_ = 0; }

 private:
  struct Occurrences {
    std::size_t last = 0;
    std::size_t count = 0;
  };
  bool may_repeat(std::uint64_t hash) const;

  // Pass 1 keeps every hash in fixed-size chunks: a single vector would, while growing, hold its
  // old and new copies at once (up to 3x the hashes' size).
  std::vector<std::vector<std::uint64_t>> chunks_;
  std::vector<std::uint64_t> repeated_hashes_;  // after seal: those seen more than once, sorted
  std::unordered_map<std::string, Occurrences> repeated_;  // pass 2: ids behind those hashes
  std::size_t counted_ = 0;
  std::size_t position_ = 0;
  std::size_t duplicates_ = 0;
};

}  // namespace meteo
