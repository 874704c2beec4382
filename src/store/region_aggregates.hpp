// The product table, rebuilt from what is stored or added to: one set of functions for every kind
// of source.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "meteo/aggregate/sums.hpp"
#include "meteo/core/time.hpp"

namespace sql {
class Connection;
}

namespace meteo::store {

// The exact sum of a DOUBLE column over a group, in units of 2^-80 °C, as a DECIMAL: the same
// integer TemperatureSum::add gives, computed by the server.
std::string exact_temperature_sum_sql(const std::string& column);

// The rows are aggregate's; the store reads and writes them.
using aggregate::HourTotal;
using aggregate::RegionTotal;

// Makes region_hourly_temperature's rows of (set, h), for every hour h of `hours`, equal to the
// mean and count of every stored measurement matched to a region of the set in that hour. Rows
// whose values do not change are left untouched (updated_at included), so re-running an hour
// changes nothing; regions left with no measurement lose their row. Consecutive hours are read
// in one pass.
void recompute_region_hours(sql::Connection& connection, const std::string& region_set,
                            const std::set<UtcSeconds>& hours);

inline void recompute_region_hour(sql::Connection& connection, const std::string& region_set,
                                  UtcSeconds hour) {
  recompute_region_hours(connection, region_set, {hour});
}

// Adds measurements new to (set, hour), summed per region, to the rows already stored: what
// recompute_region_hours would give, without reading the hour's measurements again. Returns false,
// writing nothing, when a row of the hours predates the stored sums (migration 0004): recompute
// those hours instead.
bool add_to_region_hours(sql::Connection& connection, const std::string& region_set,
                         std::vector<HourTotal> additions);
bool add_to_region_hour(sql::Connection& connection, const std::string& region_set, UtcSeconds hour,
                        std::vector<RegionTotal> additions);

}  // namespace meteo::store
