// From validated, matched readings to per-region means. Pure arithmetic: no I/O.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "meteo/model.hpp"

namespace meteo {

class RegionMatcher;

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

struct MatchSummary {
  std::vector<MatchedReading> readings;
  std::vector<std::size_t> outside;        // per region set: readings in no region of it
  std::vector<std::size_t> disagreements;  // per region set: country label says otherwise
};

// Matches every reading against every region set (same order as `matchers`). A label counts as a
// disagreement when it is one of `home_labels` (case-insensitive) but the point is outside, or it
// is another non-empty label but the point is inside.
MatchSummary match_readings(std::vector<SensorReading> readings,
                            const std::vector<const RegionMatcher*>& matchers,
                            const std::vector<std::string>& home_labels);

// A partial mean that merges exactly, in any order: each temperature counts as the integer
// floor(t * 2^80) in a 128-bit sum. Batches, shards and runs that add their parts in any order
// reach the same bits, so the store can keep a sum and add to it. A value loses only what lies
// below 2^-80 °C (none, from 2^-28 °C up); it must stay under 2^12 °C in magnitude, so
// that 2^35 values fit.
class TemperatureSum {
 public:
  static constexpr int kFractionBits = 80;

  void add(double value);  // throws Error (software) for a value out of range
  void merge(const TemperatureSum& other);
  std::optional<double> mean() const;
  std::size_t count() const { return count_; }
  // The sum in units of 2^-80 °C, as decimal digits (with a '-' when negative), and back.
  std::string units_text() const;
  static TemperatureSum from_units(std::string_view units_text, std::size_t count);

  friend bool operator==(const TemperatureSum&, const TemperatureSum&) = default;

 private:
  __extension__ using Units = __int128;
  Units units_ = 0;
  std::size_t count_ = 0;
};

// Per region of set `set_index`: the sum and count of its readings (index = region ordinal).
std::vector<TemperatureSum> sum_by_region(const std::vector<MatchedReading>& readings,
                                          std::size_t set_index, std::size_t region_count);

}  // namespace meteo
