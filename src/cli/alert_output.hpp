// `query alerts` and `query forecast-skill`: their options and views.
#pragma once

#include <CLI/CLI.hpp>
#include <ostream>
#include <string>

#include "meteo/store/database.hpp"

namespace meteo {

struct AlertQueryOptions {
  bool active = false;
  bool withdrawn = false;
  std::string from, to;
  std::string format = "table";
  std::size_t limit = 100;
};

struct ForecastSkillOptions {
  std::string source, station;
  std::string format = "table";
};

void add_alert_query_options(CLI::App& app, AlertQueryOptions& options);
void add_forecast_skill_options(CLI::App& app, ForecastSkillOptions& options);

// A table reader is told the alerts are indicative; CSV and JSON stay plain rows.
void run_alert_query(Database& db, const AlertQueryOptions& options, std::ostream& out);
void run_forecast_skill_query(Database& db, const ForecastSkillOptions& options, std::ostream& out);

}  // namespace meteo
