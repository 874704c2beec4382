// From validated, matched readings to per-region means. Pure arithmetic: no I/O.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "meteo/model.hpp"

namespace meteo {

class RegionMatcher;

// Keeps the last occurrence of each id (the later record wins) in first-seen order.
// Returns how many earlier occurrences were dropped.
std::size_t keep_latest_per_id(std::vector<SensorReading>& readings);

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

// A partial mean that merges exactly: shards sum their parts.
struct TemperatureSum {
  double sum = 0;
  std::size_t count = 0;
  void add(double value) { sum += value, ++count; }
  void merge(const TemperatureSum& other) { sum += other.sum, count += other.count; }
  std::optional<double> mean() const {
    return count == 0 ? std::nullopt : std::optional<double>(sum / count);
  }
};

// Per region of set `set_index`: the sum and count of its readings (index = region ordinal).
std::vector<TemperatureSum> sum_by_region(const std::vector<MatchedReading>& readings,
                                          std::size_t set_index, std::size_t region_count);

}  // namespace meteo
