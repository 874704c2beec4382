// Rows written with plain SQL, for tests that seed tables no store function of theirs writes.
#pragma once

#include <string>

#include "meteo/store/database.hpp"

namespace meteo::testing {

// Runs one statement (no result set) on `db`.
void execute_sql(Database& db, const std::string& statement);

}  // namespace meteo::testing
