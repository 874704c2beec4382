#include "utc_time.hpp"

#include <cctype>
#include <cstdio>
#include <ctime>

namespace arcgis_sim {
namespace {

// Digits where `pattern` has 'd', the very character elsewhere.
bool matches_shape(std::string_view text, std::string_view pattern) {
  if (text.size() != pattern.size()) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool digit = std::isdigit(static_cast<unsigned char>(text[i])) != 0;
    if (pattern[i] == 'd' ? !digit : text[i] != pattern[i]) return false;
  }
  return true;
}

int number_at(std::string_view text, std::size_t position, std::size_t digits) {
  int value = 0;
  for (std::size_t i = position; i < position + digits; ++i) value = value * 10 + (text[i] - '0');
  return value;
}

// Fields at the positions both forms share: YYYY-MM-DD?HH:MM:SS.
std::optional<Millis> civil_to_millis(std::string_view text) {
  std::tm civil{};
  civil.tm_year = number_at(text, 0, 4) - 1900;
  civil.tm_mon = number_at(text, 5, 2) - 1;
  civil.tm_mday = number_at(text, 8, 2);
  civil.tm_hour = number_at(text, 11, 2);
  civil.tm_min = number_at(text, 14, 2);
  civil.tm_sec = number_at(text, 17, 2);
  if (civil.tm_mon > 11 || civil.tm_mday < 1 || civil.tm_mday > 31 || civil.tm_hour > 23 ||
      civil.tm_min > 59 || civil.tm_sec > 59) {
    return std::nullopt;
  }
  const std::tm asked = civil;
  const Millis seconds = static_cast<Millis>(::timegm(&civil));
  if (civil.tm_mday != asked.tm_mday) return std::nullopt;  // 31 April rolled over into May
  return seconds * 1000;
}

}  // namespace

std::optional<Millis> parse_iso8601_utc(std::string_view text) {
  if (matches_shape(text, "dddd-dd-ddTdd:dd:ddZ")) return civil_to_millis(text);
  if (!matches_shape(text, "dddd-dd-ddTdd:dd:dd.dddZ")) return std::nullopt;
  const auto whole = civil_to_millis(text);
  if (!whole) return std::nullopt;
  return *whole + number_at(text, 20, 3);
}

std::optional<Millis> parse_sql_timestamp(std::string_view text) {
  if (!matches_shape(text, "dddd-dd-dd dd:dd:dd")) return std::nullopt;
  return civil_to_millis(text);
}

std::string format_iso8601_utc(Millis at) {
  // Floor division: an instant before 1970 still prints its own second.
  const Millis seconds = at >= 0 ? at / 1000 : -((-at + 999) / 1000);
  const auto millis = static_cast<int>(at - seconds * 1000);
  const auto time = static_cast<std::time_t>(seconds);
  std::tm civil{};
  ::gmtime_r(&time, &civil);
  char text[64];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", civil.tm_year + 1900,
                civil.tm_mon + 1, civil.tm_mday, civil.tm_hour, civil.tm_min, civil.tm_sec, millis);
  return text;
}

}  // namespace arcgis_sim
