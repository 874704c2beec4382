// From validated, matched readings to per-region means. Pure arithmetic: no I/O.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "meteo/model/records.hpp"

namespace meteo {

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
