// UTC hours: the unit of time of every aggregate.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace meteo {

using UtcSeconds = std::chrono::sys_seconds;
using UtcMicros = std::chrono::sys_time<std::chrono::microseconds>;  // when a payload was fetched

// Truncates a moment to the start of its UTC hour.
UtcSeconds floor_to_hour(std::chrono::system_clock::time_point moment);

// Accepts "2026-11-22T06", "2026-11-22T06:00", "2026-11-22T06:00:00Z" (and a space for the T).
// Minutes and seconds must be zero: an hour is an hour. Throws Error(usage) otherwise.
UtcSeconds parse_hour(std::string_view text);

// "2026-11-22 06:00:00": the DATETIME literal the database stores (the session runs in UTC).
std::string to_sql_datetime(UtcSeconds moment);

// "2026-11-22 06:00:00.123456": a DATETIME(6) literal.
std::string to_sql_datetime(UtcMicros moment);

// "2026-11-22T06:00:00Z".
std::string to_iso8601(UtcSeconds moment);

// Parses the DATETIME text the database returns ("2026-11-22 06:00:00"). Throws Error(software).
UtcSeconds parse_sql_datetime(std::string_view text);

}  // namespace meteo
