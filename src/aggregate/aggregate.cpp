#include "meteo/aggregate.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <functional>
#include <queue>
#include <string_view>
#include <unordered_map>

#include "meteo/errors.hpp"
#include "meteo/geo.hpp"
#include "meteo/hashing.hpp"

namespace meteo {
namespace {

constexpr std::size_t kNotKept = static_cast<std::size_t>(-1);
constexpr std::size_t kHashesPerChunk = std::size_t{1} << 20;  // 8 MB

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

bool is_home_label(const std::string& label, const std::vector<std::string>& home_labels) {
  return std::any_of(home_labels.begin(), home_labels.end(),
                     [&](const std::string& home) { return equals_ignoring_case(label, home); });
}

// The label is not trusted, only compared: an empty or missing label says nothing.
bool label_disagrees(const std::optional<std::string>& label, bool inside,
                     const std::vector<std::string>& home_labels) {
  if (!label || label->empty()) return false;
  return is_home_label(*label, home_labels) != inside;
}

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

MatchSummary match_readings(std::vector<SensorReading> readings,
                            const std::vector<const RegionMatcher*>& matchers,
                            const std::vector<std::string>& home_labels) {
  MatchSummary summary;
  summary.outside.assign(matchers.size(), 0);
  summary.disagreements.assign(matchers.size(), 0);
  summary.readings.reserve(readings.size());
  for (auto& reading : readings) {
    MatchedReading matched{std::move(reading), {}};
    matched.region_index.reserve(matchers.size());
    for (std::size_t set = 0; set < matchers.size(); ++set) {
      const auto region = matchers[set]->match(matched.reading.longitude, matched.reading.latitude);
      summary.outside[set] += region ? 0 : 1;
      summary.disagreements[set] +=
          label_disagrees(matched.reading.country, region.has_value(), home_labels) ? 1 : 0;
      matched.region_index.push_back(region);
    }
    summary.readings.push_back(std::move(matched));
  }
  return summary;
}

void TemperatureSum::add(double value) {
  constexpr double kLimit = 4096.0;  // 2^12
  if (!(std::fabs(value) < kLimit)) {
    throw Error(ExitCode::software, "a temperature of " + std::to_string(value) +
                                        " °C is beyond what the aggregates sum exactly (2^12)");
  }
  // floor(value * 2^80) in two halves of 40 bits, with the very operations the store's SQL runs
  // (region_aggregates.cpp), so both give the same integer for every double.
  constexpr double kHalf = 1099511627776.0;  // 2^40
  const double scaled = value * kHalf;
  const double high = std::floor(scaled);
  const double low = std::floor((scaled - high) * kHalf);
  const Units units =
      static_cast<Units>(high) * static_cast<Units>(kHalf) + static_cast<Units>(low);
  if (__builtin_add_overflow(units_, units, &units_)) {
    throw Error(ExitCode::software, "a temperature sum overflowed 128 bits");
  }
  ++count_;
}

void TemperatureSum::merge(const TemperatureSum& other) {
  if (__builtin_add_overflow(units_, other.units_, &units_)) {
    throw Error(ExitCode::software, "a temperature sum overflowed 128 bits");
  }
  count_ += other.count_;
}

std::optional<double> TemperatureSum::mean() const {
  if (count_ == 0) return std::nullopt;
  return std::ldexp(static_cast<double>(units_) / static_cast<double>(count_), -kFractionBits);
}

std::string TemperatureSum::units_text() const {
  if (units_ == 0) return "0";
  std::string digits;
  for (Units rest = units_; rest != 0; rest /= 10) {
    const auto digit = static_cast<int>(rest % 10);
    digits.push_back(static_cast<char>('0' + (digit < 0 ? -digit : digit)));
  }
  if (units_ < 0) digits.push_back('-');
  std::reverse(digits.begin(), digits.end());
  return digits;
}

TemperatureSum TemperatureSum::from_units(std::string_view units_text, std::size_t count) {
  const auto invalid = [&] {
    return Error(ExitCode::software,
                 "'" + std::string(units_text) + "' is not a temperature sum in units of 2^-80");
  };
  const bool negative = !units_text.empty() && units_text.front() == '-';
  const std::string_view digits = units_text.substr(negative ? 1 : 0);
  if (digits.empty()) throw invalid();
  TemperatureSum sum;
  for (const char c : digits) {
    if (c < '0' || c > '9') throw invalid();
    const Units digit = negative ? -(c - '0') : (c - '0');
    if (__builtin_mul_overflow(sum.units_, 10, &sum.units_) ||
        __builtin_add_overflow(sum.units_, digit, &sum.units_)) {
      throw invalid();
    }
  }
  sum.count_ = count;
  return sum;
}

std::vector<TemperatureSum> sum_by_region(const std::vector<MatchedReading>& readings,
                                          std::size_t set_index, std::size_t region_count) {
  std::vector<TemperatureSum> sums(region_count);
  for (const auto& matched : readings) {
    const auto& region = matched.region_index.at(set_index);
    if (region) sums.at(*region).add(matched.reading.temperature);
  }
  return sums;
}

}  // namespace meteo
