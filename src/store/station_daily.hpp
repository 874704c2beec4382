// The station load's daily step: station_daily_weather rebuilt for the local days its changes
// touch (migration 0009).
#pragma once

#include <set>
#include <string>

#include "meteo/aggregate/settings.hpp"
#include "meteo/core/time.hpp"
#include "sql_support.hpp"

namespace meteo::store {

// Rebuilds, from the stored observations, the local days of one dataset that hold a moment of
// `changed` (the new and corrected observations). Every day of the dataset instead when it has
// observations but no daily row yet (stored before migration 0009) or rows built with other
// settings (their rows are deleted first). Names the day it works on in `step`. Returns the
// number of days rebuilt.
std::size_t rebuild_station_days(sql::Connection& connection, const std::string& source,
                                 const std::string& dataset, const aggregate::DailySettings& daily,
                                 const std::set<UtcSeconds>& changed, std::string& step);

}  // namespace meteo::store
