#include "meteo/sources/sensor/latest_occurrences.hpp"

#include <algorithm>
#include <functional>
#include <optional>
#include <queue>
#include <utility>

#include "meteo/core/hashing.hpp"

namespace meteo {
namespace {

constexpr std::size_t kNotKept = static_cast<std::size_t>(-1);
constexpr std::size_t kHashesPerChunk = std::size_t{1} << 20;  // 8 MB

}  // namespace

std::size_t keep_latest_per_id(std::vector<SensorReading>& readings) {
  // Where each id ends up: its first position, holding its last value. The ids are looked up as
  // views of the readings themselves, all before anything moves, so none is copied.
  std::vector<std::size_t> value_for(readings.size(), kNotKept);
  {
    std::unordered_map<std::string_view, std::size_t> first_position;
    first_position.reserve(readings.size());
    for (std::size_t i = 0; i < readings.size(); ++i) {
      const auto [it, inserted] = first_position.try_emplace(readings[i].id, i);
      value_for[it->second] = i;
    }
  }
  std::size_t kept = 0;
  for (std::size_t i = 0; i < readings.size(); ++i) {
    if (value_for[i] == kNotKept) continue;  // a later occurrence: its value already went up
    // value_for[i] >= i >= kept: the source is never a slot already filled.
    if (value_for[i] != kept) readings[kept] = std::move(readings[value_for[i]]);
    ++kept;
  }
  const std::size_t dropped = readings.size() - kept;
  readings.erase(readings.begin() + static_cast<std::ptrdiff_t>(kept), readings.end());
  return dropped;
}

void LatestOccurrences::count(std::string_view id) {
  if (chunks_.empty() || chunks_.back().size() == kHashesPerChunk) {
    chunks_.emplace_back().reserve(kHashesPerChunk);
  }
  chunks_.back().push_back(fnv1a64(id));
  ++counted_;
}

bool LatestOccurrences::seal() {
  // Each chunk sorted, then merged: equal hashes come out next to each other. Usually none
  // repeats, so pass 2 is usually skipped.
  for (auto& chunk : chunks_) std::sort(chunk.begin(), chunk.end());
  using Head = std::pair<std::uint64_t, std::size_t>;  // a chunk's smallest unmerged hash, chunk
  std::priority_queue<Head, std::vector<Head>, std::greater<>> heads;
  std::vector<std::size_t> merged(chunks_.size(), 0);
  for (std::size_t c = 0; c < chunks_.size(); ++c) {
    if (!chunks_[c].empty()) heads.emplace(chunks_[c].front(), c);
  }
  std::optional<std::uint64_t> previous;
  while (!heads.empty()) {
    const auto [hash, c] = heads.top();
    heads.pop();
    if (previous == hash && (repeated_hashes_.empty() || repeated_hashes_.back() != hash)) {
      repeated_hashes_.push_back(hash);
    }
    previous = hash;
    if (++merged[c] < chunks_[c].size()) heads.emplace(chunks_[c][merged[c]], c);
  }
  chunks_ = {};
  position_ = 0;
  return !repeated_hashes_.empty();
}

bool LatestOccurrences::may_repeat(std::uint64_t hash) const {
  return !repeated_hashes_.empty() &&
         std::binary_search(repeated_hashes_.begin(), repeated_hashes_.end(), hash);
}

void LatestOccurrences::resolve(std::string_view id) {
  const std::size_t position = position_++;
  if (!may_repeat(fnv1a64(id))) return;
  auto& seen = repeated_[std::string(id)];
  seen.last = position;
  if (seen.count++ > 0) ++duplicates_;  // two ids sharing a hash are not duplicates
}

bool LatestOccurrences::keep(std::string_view id) {
  const std::size_t position = position_++;
  if (!may_repeat(fnv1a64(id))) return true;
  return repeated_.at(std::string(id)).last == position;
}

}  // namespace meteo
