// `query period`: each named station's figures over local days [from, to) of
// station_daily_weather, and optionally those of an earlier period of the same length beside them.
#pragma once

#include <CLI/CLI.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "meteo/store/database.hpp"

namespace meteo {

struct PeriodQueryOptions {
  std::vector<std::string> stations;  // dataset ids or names
  std::string from, to, compare_to;   // local dates, YYYY-MM-DD; `to` exclusive
  std::string source;                 // only this source's stations
  std::string format = "table";
};

// Adds the options of `query period` to `app`.
void add_period_query_options(CLI::App& app, PeriodQueryOptions& options);

// Checks the dates and the stations against the database (usage errors: a bad date or period, an
// unknown or ambiguous station) and prints one row per station.
void run_period_query(Database& db, const PeriodQueryOptions& options, std::ostream& out);

}  // namespace meteo
