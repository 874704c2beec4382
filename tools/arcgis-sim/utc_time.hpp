// UTC instants as ArcGIS gives them: epoch milliseconds. Parsing and printing the two text forms
// the simulator meets: the hub CSV's `2020-03-14T10:00:00.000Z` and the where clause's
// `TIMESTAMP '2020-03-14 10:00:00'`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace arcgis_sim {

using Millis = std::int64_t;  // since 1970-01-01T00:00:00Z

inline constexpr Millis kMillisPerHour = 3'600'000;
inline constexpr Millis kMillisPerDay = 24 * kMillisPerHour;

// `YYYY-MM-DDTHH:MM:SS` then `Z` or `.sssZ`; nothing else.
std::optional<Millis> parse_iso8601_utc(std::string_view text);

// `YYYY-MM-DD HH:MM:SS` exactly, read as UTC (the body of a TIMESTAMP literal).
std::optional<Millis> parse_sql_timestamp(std::string_view text);

// `YYYY-MM-DDTHH:MM:SS.000Z`, as the hub CSV writes dates.
std::string format_iso8601_utc(Millis at);

}  // namespace arcgis_sim
