// Private to the store: the figures derived from air-quality measurements (daily rows and their
// sub-indices, the daily index, the exceedance runs), rebuilt inside the load's transaction for
// the (station, pollutant, day)s whose measurements changed.
#pragma once

#include <compare>
#include <map>
#include <set>
#include <string>

#include "meteo/core/time.hpp"
#include "sql_support.hpp"

namespace meteo::store {

// One station's series of one pollutant.
struct AirQualitySeries {
  std::string station_code;
  std::string pollutant;
  auto operator<=>(const AirQualitySeries&) const = default;
};

// The UTC days (as their midnight) whose measurements changed, per series.
using TouchedDays = std::map<AirQualitySeries, std::set<UtcSeconds>>;

// Rebuilds daily rows, sub-indices, the index, and the hourly and daily exceedance runs of the
// touched days. `step` names the work in progress, for error messages.
void rebuild_air_quality_figures(sql::Connection& connection, const std::string& source,
                                 const TouchedDays& touched, std::string& step);

}  // namespace meteo::store
