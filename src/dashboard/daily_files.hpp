// Private to the dashboard: data/daily-<source>.json, each station's local days of
// station_daily_weather for the page's period view (docs/dashboard-data.md).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "meteo/store/database.hpp"

namespace meteo::dashboard {

// The days a file holds: the 400 that end with the source's newest day. Enough to compare any
// period of the last month with the same dates a year before, while a network of 60 stations
// stays near 4 MB (every digit of each double is kept, so the page's period figures equal those
// of `query period`).
inline constexpr unsigned kDailySpanDays = 400;

// True when the database has station_daily_weather (schema version 9 and later).
bool has_daily_weather(Database& db);

// The document of data/daily-<source>.json: per station with days its key (dataset id), name,
// commune and days in columns ("days", then one array per figure, nulls kept), and the newest
// day of all; nullopt when the source has no day.
std::optional<nlohmann::json> daily_json(Database& db, const std::string& source);

}  // namespace meteo::dashboard
