#include "civil_time.hpp"

#include <cstdio>

namespace portal_sim {
namespace {

bool is_leap(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int days_in_month(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap(year) ? 29 : kDays[month - 1];
}

Seconds floor_div(Seconds value, Seconds divisor) {
  const Seconds quotient = value / divisor;
  return (value % divisor != 0 && (value < 0) != (divisor < 0)) ? quotient - 1 : quotient;
}

// Reads exactly `width` digits at `pos`, advancing it.
std::optional<int> digits(std::string_view text, std::size_t& pos, std::size_t width) {
  if (pos + width > text.size()) return std::nullopt;
  int value = 0;
  for (std::size_t i = 0; i < width; ++i) {
    const char c = text[pos + i];
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  pos += width;
  return value;
}

bool expect(std::string_view text, std::size_t& pos, char c) {
  if (pos >= text.size() || text[pos] != c) return false;
  ++pos;
  return true;
}

// "Z", "+01:00", "+0100" or "+01"; an absent offset means UTC.
std::optional<int> offset_suffix(std::string_view text, std::size_t& pos) {
  if (pos == text.size()) return 0;
  if (text[pos] == 'Z' || text[pos] == 'z') {
    ++pos;
    return 0;
  }
  if (text[pos] != '+' && text[pos] != '-') return std::nullopt;
  const int sign = text[pos++] == '-' ? -1 : 1;
  const auto hours = digits(text, pos, 2);
  if (!hours || *hours > 23) return std::nullopt;
  int minutes = 0;
  if (pos < text.size()) {
    expect(text, pos, ':');
    const auto parsed = digits(text, pos, 2);
    if (!parsed || *parsed > 59) return std::nullopt;
    minutes = *parsed;
  }
  return sign * (*hours * 3600 + minutes * 60);
}

struct ClockParts {
  int hour = 0;
  int minute = 0;
  int second = 0;
};

// "HH:MM", "HH:MM:SS" or "HH:MM:SS.fff" (the fraction is dropped).
std::optional<ClockParts> clock_parts(std::string_view text, std::size_t& pos) {
  ClockParts parts;
  const auto hour = digits(text, pos, 2);
  if (!hour || !expect(text, pos, ':')) return std::nullopt;
  const auto minute = digits(text, pos, 2);
  if (!minute) return std::nullopt;
  parts.hour = *hour;
  parts.minute = *minute;
  if (expect(text, pos, ':')) {
    const auto second = digits(text, pos, 2);
    if (!second) return std::nullopt;
    parts.second = *second;
    if (expect(text, pos, '.')) {
      const std::size_t start = pos;
      while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
      if (pos == start) return std::nullopt;
    }
  }
  if (parts.hour > 23 || parts.minute > 59 || parts.second > 59) return std::nullopt;
  return parts;
}

Seconds last_sunday_at_one_utc(int year, int month) {
  const std::int64_t last_day = days_from_civil(year, month, days_in_month(year, month));
  const std::int64_t weekday = (last_day % 7 + 11) % 7;  // 0 = Sunday; day 0 was a Thursday
  return (last_day - weekday) * kDay + kHour;
}

}  // namespace

// Howard Hinnant's days-from-civil: proleptic Gregorian, day 0 = 1970-01-01.
std::int64_t days_from_civil(int year, int month, int day) {
  const int y = year - (month <= 2 ? 1 : 0);
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int year_of_era = y - era * 400;
  const int day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const int day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return static_cast<std::int64_t>(era) * 146097 + day_of_era - 719468;
}

CivilTime civil_from_seconds(Seconds t) {
  const std::int64_t days = floor_div(t, kDay);
  const Seconds in_day = t - days * kDay;
  const std::int64_t z = days + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t day_of_era = z - era * 146097;
  const std::int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const std::int64_t day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const std::int64_t shifted_month = (5 * day_of_year + 2) / 153;
  CivilTime civil;
  civil.day = static_cast<int>(day_of_year - (153 * shifted_month + 2) / 5 + 1);
  civil.month = static_cast<int>(shifted_month < 10 ? shifted_month + 3 : shifted_month - 9);
  civil.year = static_cast<int>(year_of_era + era * 400 + (civil.month <= 2 ? 1 : 0));
  civil.hour = static_cast<int>(in_day / kHour);
  civil.minute = static_cast<int>(in_day % kHour / kMinute);
  civil.second = static_cast<int>(in_day % kMinute);
  return civil;
}

int day_of_year(const CivilTime& civil) {
  return static_cast<int>(days_from_civil(civil.year, civil.month, civil.day) -
                          days_from_civil(civil.year, 1, 1)) +
         1;
}

std::optional<Seconds> parse_iso8601(std::string_view text) {
  std::size_t pos = 0;
  const auto year = digits(text, pos, 4);
  if (!year || !expect(text, pos, '-')) return std::nullopt;
  const auto month = digits(text, pos, 2);
  if (!month || *month < 1 || *month > 12 || !expect(text, pos, '-')) return std::nullopt;
  const auto day = digits(text, pos, 2);
  if (!day || *day < 1 || *day > days_in_month(*year, *month)) return std::nullopt;
  ClockParts clock;
  if (pos < text.size() && (text[pos] == 'T' || text[pos] == 't' || text[pos] == ' ')) {
    ++pos;
    const auto parts = clock_parts(text, pos);
    if (!parts) return std::nullopt;
    clock = *parts;
  }
  const auto offset = offset_suffix(text, pos);
  if (!offset || pos != text.size()) return std::nullopt;
  return days_from_civil(*year, *month, *day) * kDay + clock.hour * kHour + clock.minute * kMinute +
         clock.second - *offset;
}

std::string format_iso8601(Seconds t, int offset_seconds) {
  const CivilTime c = civil_from_seconds(t + offset_seconds);
  const int magnitude = offset_seconds < 0 ? -offset_seconds : offset_seconds;
  char text[40];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", c.year, c.month,
                c.day, c.hour, c.minute, c.second, offset_seconds < 0 ? '-' : '+', magnitude / 3600,
                magnitude % 3600 / 60);
  return text;
}

int paris_offset_seconds(Seconds t) {
  const int year = civil_from_seconds(t).year;
  const bool summer = t >= last_sunday_at_one_utc(year, 3) && t < last_sunday_at_one_utc(year, 10);
  return summer ? 2 * 3600 : 3600;
}

}  // namespace portal_sim
