#include <algorithm>
#include <cmath>
#include <string_view>

#include "meteo/aggregate/temperature_sum.hpp"
#include "meteo/core/errors.hpp"

namespace meteo {

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
