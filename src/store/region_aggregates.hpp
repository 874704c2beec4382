// The product table, rebuilt from what is stored: one function for every kind of source.
#pragma once

#include <string>

#include "meteo/time.hpp"

namespace sql {
class Connection;
}

namespace meteo::store {

// Makes region_hourly_temperature's rows of (set, hour) equal to the mean and count of every
// stored measurement matched to a region of the set in that hour. Rows whose values do not change
// are left untouched (updated_at included), so re-running an hour changes nothing; regions left
// with no measurement lose their row.
void recompute_region_hour(sql::Connection& connection, const std::string& region_set,
                           UtcSeconds hour);

}  // namespace meteo::store
