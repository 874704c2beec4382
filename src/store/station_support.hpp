// Private helpers shared by the station store's files.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "meteo/model/records.hpp"
#include "meteo/store/reports.hpp"
#include "sql_support.hpp"
#include "transaction.hpp"  // lock_region_sets, for the station sync

namespace meteo::store {

// The stored form of a dataset id: ASCII lower case, as the station list gives it (the catalogue
// and the observations may spell it otherwise).
std::string dataset_key(std::string_view dataset_id);

// `table_alias`.name of weather_stations as a SELECT expression, or NULL on a schema before
// migration 0010: the dashboard of a database not yet migrated still names its stations.
std::string station_name_column(sql::Connection& connection, const std::string& table_alias);

// The UTC hour an observation counts in (floor_to_hour), as SQL over
// weather_observations.observed_at.
inline constexpr const char* kObservationHour =
    "TIMESTAMP(DATE(observed_at), MAKETIME(HOUR(observed_at), 0, 0))";

// Bind a value that may be missing (NULL).
void bind_measurement(Binder& binder, const std::optional<double>& value);
void bind_optional_datetime(Binder& binder, const std::optional<UtcSeconds>& value);

// A DATETIME column read as CAST(... AS CHAR); nullopt when NULL.
std::optional<UtcSeconds> optional_datetime(const sql::ResultSet& row, unsigned column);

// The per-dataset states of `status`, ordered by source and dataset.
std::vector<DatasetState> read_dataset_states(sql::Connection& connection);

}  // namespace meteo::store
