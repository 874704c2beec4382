// Calendar arithmetic for the portal simulator: ISO 8601 in and out, and Europe/Paris offsets,
// computed by hand so answers never depend on the host's time-zone database.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace portal_sim {

using Seconds = std::int64_t;  // Unix time (UTC)

constexpr Seconds kMinute = 60;
constexpr Seconds kHour = 3600;
constexpr Seconds kDay = 86400;

struct CivilTime {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31
  int hour = 0;
  int minute = 0;
  int second = 0;
};

std::int64_t days_from_civil(int year, int month, int day);
CivilTime civil_from_seconds(Seconds t);  // the wall clock at UTC+0
int day_of_year(const CivilTime& civil);  // 1..366

// "2026-11-20", "2026-11-20T00:00:00Z", "...T01:00:00+01:00", "...+0100", "...T00:00Z",
// fractional seconds ignored. Without an offset the time is read as UTC (the API's default
// time zone). Nothing when the text is not exactly one such timestamp.
std::optional<Seconds> parse_iso8601(std::string_view text);

// "2026-11-22T06:15:00+01:00": the wall clock at `offset_seconds` east of UTC.
std::string format_iso8601(Seconds t, int offset_seconds);

// Europe/Paris under the EU rule: UTC+2 from the last Sunday of March 01:00 UTC to the last
// Sunday of October 01:00 UTC, UTC+1 otherwise.
int paris_offset_seconds(Seconds t);

}  // namespace portal_sim
