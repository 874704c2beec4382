#include "number_overflow.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <limits>
#include <system_error>

#include "quoted_text.hpp"

namespace meteo::sources_json {
namespace {

constexpr std::size_t kMaxQuotedChars = 40;

bool digit(char c) {
  return c >= '0' && c <= '9';
}

// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? and nothing else: a malformed number is left
// to the parser, which reports it where it is.
bool json_number(std::string_view text) {
  std::size_t at = 0;
  const auto digits = [&] {
    const std::size_t start = at;
    while (at < text.size() && digit(text[at])) ++at;
    return at > start;
  };
  if (at < text.size() && text[at] == '-') ++at;
  if (at < text.size() && text[at] == '0') {
    ++at;
  } else if (!digits()) {
    return false;
  }
  if (at < text.size() && text[at] == '.') {
    ++at;
    if (!digits()) return false;
  }
  if (at < text.size() && (text[at] == 'e' || text[at] == 'E')) {
    ++at;
    if (at < text.size() && (text[at] == '+' || text[at] == '-')) ++at;
    if (!digits()) return false;
  }
  return at == text.size();
}

// The power of ten of the number's first significant digit (1e309: 309, 0.05: -2), saturated.
// Only its sign matters here: a number out of range with a positive power overflowed.
std::int64_t decimal_magnitude(std::string_view number) {
  constexpr std::int64_t kSaturated = std::numeric_limits<std::int32_t>::max();
  if (number.front() == '-') number.remove_prefix(1);
  const std::size_t exponent_at = number.find_first_of("eE");
  const std::string_view mantissa = number.substr(0, exponent_at);
  const std::size_t dot = std::min(mantissa.find('.'), mantissa.size());
  const std::size_t first_significant = mantissa.find_first_not_of("0.");
  if (first_significant == std::string_view::npos) return -kSaturated;  // zero
  std::int64_t magnitude = first_significant < dot
                               ? static_cast<std::int64_t>(dot - first_significant) - 1
                               : -static_cast<std::int64_t>(first_significant - dot);
  if (exponent_at == std::string_view::npos) return magnitude;
  std::string_view exponent = number.substr(exponent_at + 1);
  const bool negative = exponent.front() == '-';
  if (exponent.front() == '+' || negative) exponent.remove_prefix(1);
  std::int64_t value = 0;
  for (const char c : exponent) value = std::min(kSaturated, value * 10 + (c - '0'));
  return magnitude + (negative ? -value : value);
}

}  // namespace

bool overflows_a_double(std::string_view number) {
  if (!json_number(number)) return false;
  double value = 0;
  const auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), value);
  return error == std::errc::result_out_of_range && decimal_magnitude(number) > 0;
}

std::string out_of_range_reason(std::string_view number, const std::string* field) {
  std::string reason = "number " + sources_text::shortened(std::string(number), kMaxQuotedChars) +
                       " is out of range (past a double's ±1.8e308)";
  return field ? "field \"" + *field + "\": " + reason : reason;
}

}  // namespace meteo::sources_json
