// Timestamps with a UTC offset.
#include <charconv>
#include <chrono>
#include <optional>
#include <string_view>
#include <vector>

#include "meteo/core/errors.hpp"
#include "meteo/sources/stations/portal.hpp"

namespace meteo {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

// Reads exactly `width` digits at `pos` and advances past them.
bool read_digits(std::string_view text, std::size_t& pos, std::size_t width, int& value) {
  if (pos + width > text.size()) return false;
  const char* begin = text.data() + pos;
  for (std::size_t i = 0; i < width; ++i) {
    if (begin[i] < '0' || begin[i] > '9') return false;  // from_chars would accept a sign
  }
  std::from_chars(begin, begin + width, value);
  pos += width;
  return true;
}

bool skip(std::string_view text, std::size_t& pos, char expected) {
  if (pos >= text.size() || text[pos] != expected) return false;
  ++pos;
  return true;
}

struct LocalTime {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
};

// "YYYY-MM-DDTHH:MM[:SS[.fraction]]" (a space for the T allowed); the fraction is dropped.
bool read_local_time(std::string_view text, std::size_t& pos, LocalTime& t) {
  if (!read_digits(text, pos, 4, t.year) || !skip(text, pos, '-') ||
      !read_digits(text, pos, 2, t.month) || !skip(text, pos, '-') ||
      !read_digits(text, pos, 2, t.day)) {
    return false;
  }
  if (!skip(text, pos, 'T') && !skip(text, pos, ' ')) return false;
  if (!read_digits(text, pos, 2, t.hour) || !skip(text, pos, ':') ||
      !read_digits(text, pos, 2, t.minute)) {
    return false;
  }
  if (!skip(text, pos, ':')) return true;
  if (!read_digits(text, pos, 2, t.second)) return false;
  if (skip(text, pos, '.') || skip(text, pos, ',')) {
    const std::size_t first_digit = pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
    if (pos == first_digit) return false;
  }
  return true;
}

// "Z", "+HH:MM", "+HHMM" or "+HH" (or '-') up to the end of the text.
std::optional<minutes> read_offset(std::string_view text, std::size_t pos) {
  if (pos < text.size() && text[pos] == 'Z' && pos + 1 == text.size()) return minutes{0};
  int sign = 0;
  if (skip(text, pos, '+')) {
    sign = 1;
  } else if (skip(text, pos, '-')) {
    sign = -1;
  } else {
    return std::nullopt;
  }
  int offset_hours = 0;
  int offset_minutes = 0;
  if (!read_digits(text, pos, 2, offset_hours)) return std::nullopt;
  if (pos < text.size()) {
    skip(text, pos, ':');
    if (!read_digits(text, pos, 2, offset_minutes)) return std::nullopt;
  }
  if (pos != text.size() || offset_hours > 23 || offset_minutes > 59) return std::nullopt;
  return sign * (hours{offset_hours} + minutes{offset_minutes});
}

std::optional<UtcSeconds> to_utc(const LocalTime& t, minutes offset) {
  const std::chrono::year_month_day date{std::chrono::year{t.year},
                                         std::chrono::month{static_cast<unsigned>(t.month)},
                                         std::chrono::day{static_cast<unsigned>(t.day)}};
  if (!date.ok() || t.hour > 23 || t.minute > 59 || t.second > 59) return std::nullopt;
  const UtcSeconds local_as_if_utc =
      std::chrono::sys_days{date} + hours{t.hour} + minutes{t.minute} + seconds{t.second};
  return local_as_if_utc - offset;
}

}  // namespace

std::optional<UtcSeconds> parse_timestamp_with_offset(std::string_view text) {
  std::size_t pos = 0;
  LocalTime local;
  if (!read_local_time(text, pos, local)) return std::nullopt;
  const auto offset = read_offset(text, pos);
  if (!offset) return std::nullopt;
  return to_utc(local, *offset);
}

}  // namespace meteo
