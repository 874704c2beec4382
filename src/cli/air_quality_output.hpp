// `query air-quality` and `export --what air-quality-hourly`: their options, checks and output.
#pragma once

#include <CLI/CLI.hpp>
#include <ostream>
#include <string>

#include "meteo/store/air_quality_read.hpp"

namespace meteo {

struct AirQualityQueryOptions {
  std::string view = "index";
  std::string station, pollutant, from, to;
  std::string format = "table";
  std::size_t limit = 1000;
};

// Adds the options of `query air-quality` to `app`.
void add_air_quality_query_options(CLI::App& app, AirQualityQueryOptions& options);

// Checks the options against the database (an unknown station or pollutant, a bad window: usage
// errors) and prints the chosen view.
void run_air_quality_query(Database& db, const AirQualityQueryOptions& options, std::ostream& out);

// The view air_quality_weather_hourly as CSV (its column names and order; empty: NULL) or JSON.
void print_air_quality_weather(std::ostream& out, const std::vector<AirQualityWeatherRow>& rows,
                               const std::string& format);

}  // namespace meteo
