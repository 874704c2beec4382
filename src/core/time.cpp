#include "meteo/core/time.hpp"

#include <charconv>
#include <cstdio>
#include <string>

#include "meteo/core/errors.hpp"

namespace meteo {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

// Reads exactly `width` digits at `pos`; false when they are not all digits.
bool read_digits(std::string_view text, std::size_t pos, std::size_t width, int& value) {
  if (pos + width > text.size()) return false;
  const char* begin = text.data() + pos;
  auto [end, error] = std::from_chars(begin, begin + width, value);
  return error == std::errc() && end == begin + width;
}

UtcSeconds make_moment(int year, int month, int day, int hour, int minute, int second) {
  const std::chrono::year_month_day date{std::chrono::year{year},
                                         std::chrono::month{static_cast<unsigned>(month)},
                                         std::chrono::day{static_cast<unsigned>(day)}};
  if (!date.ok() || hour > 23 || minute > 59 || second > 59) {
    throw Error(ExitCode::software, "not a calendar date");
  }
  return std::chrono::sys_days{date} + hours{hour} + minutes{minute} + seconds{second};
}

struct Fields {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
};

// "YYYY-MM-DD[T ]HH[:MM[:SS]][Z]"; returns false on any deviation.
bool split_hour_text(std::string_view text, Fields& f) {
  if (!read_digits(text, 0, 4, f.year) || text.size() < 13 || text[4] != '-' ||
      !read_digits(text, 5, 2, f.month) || text[7] != '-' || !read_digits(text, 8, 2, f.day) ||
      (text[10] != 'T' && text[10] != ' ') || !read_digits(text, 11, 2, f.hour)) {
    return false;
  }
  std::size_t pos = 13;
  if (pos < text.size() && text[pos] == ':') {
    if (!read_digits(text, pos + 1, 2, f.minute)) return false;
    pos += 3;
    if (pos < text.size() && text[pos] == ':') {
      if (!read_digits(text, pos + 1, 2, f.second)) return false;
      pos += 3;
    }
  }
  if (pos < text.size() && text[pos] == 'Z') ++pos;
  return pos == text.size();
}

std::string format(UtcSeconds moment, const char* pattern) {
  const auto day_start = std::chrono::floor<days>(moment);
  const std::chrono::year_month_day date{day_start};
  const std::chrono::hh_mm_ss clock{moment - day_start};
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, pattern, static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                static_cast<int>(clock.hours().count()), static_cast<int>(clock.minutes().count()),
                static_cast<int>(clock.seconds().count()));
  return buffer;
}

}  // namespace

UtcSeconds floor_to_hour(std::chrono::system_clock::time_point moment) {
  return std::chrono::floor<hours>(std::chrono::time_point_cast<seconds>(moment));
}

UtcSeconds parse_hour(std::string_view text) {
  const std::string quoted = "\"" + std::string(text) + "\"";
  Fields f;
  if (!split_hour_text(text, f)) {
    throw Error(ExitCode::usage, "hour " + quoted +
                                     " is not of the form 2026-11-22T06, 2026-11-22T06:00 or "
                                     "2026-11-22T06:00:00Z (UTC)");
  }
  if (f.minute != 0 || f.second != 0) {
    throw Error(ExitCode::usage, "hour " + quoted + " is not at the start of an hour");
  }
  try {
    return make_moment(f.year, f.month, f.day, f.hour, 0, 0);
  } catch (const Error&) {
    throw Error(ExitCode::usage, "hour " + quoted + " is not a valid date and hour");
  }
}

std::string to_sql_datetime(UtcSeconds moment) {
  return format(moment, "%04d-%02u-%02u %02d:%02d:%02d");
}

std::string to_sql_datetime(UtcMicros moment) {
  const auto seconds = std::chrono::floor<std::chrono::seconds>(moment);
  char fraction[16];
  std::snprintf(fraction, sizeof fraction, ".%06lld",
                static_cast<long long>((moment - seconds).count()));
  return to_sql_datetime(seconds) + fraction;
}

std::string to_iso8601(UtcSeconds moment) {
  return format(moment, "%04d-%02u-%02uT%02d:%02d:%02dZ");
}

UtcSeconds parse_sql_datetime(std::string_view text) {
  Fields f;
  // DATETIME(3) values carry a fractional part: the seconds are what we keep.
  const std::string_view whole = text.substr(0, std::min<std::size_t>(text.size(), 19));
  if (whole.size() != 19 || !split_hour_text(whole, f)) {
    throw Error(ExitCode::software, "unexpected DATETIME from the database: " + std::string(text));
  }
  return make_moment(f.year, f.month, f.day, f.hour, f.minute, f.second);
}

}  // namespace meteo
