// Private to the pipeline: after a station source's run, its forecasts. The forecasts whose
// targets the run observed are scored, and the stations issue forecasts at the hours the run
// completed (each issue sees only the hours up to it: a backfill issues what the hourly runs
// would have).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "meteo/forecast/settings.hpp"
#include "meteo/store/database.hpp"
#include "verify_after_run.hpp"

namespace spdlog {
class logger;
}

namespace meteo::pipeline {

struct ForecastRun {
  const forecast::ForecastSettings& settings;
  std::string source;
  std::int64_t run_id = 0;
  UtcSeconds now;
};

struct ForecastTally {
  std::size_t stations = 0, issues = 0, scored = 0, failed = 0;
};

// A station that fails is logged and skipped: forecasts never fail the ingestion run.
ForecastTally forecast_after_run(Database& db, const ForecastRun& run,
                                 const std::optional<HourSpan>& observed, spdlog::logger& log);

}  // namespace meteo::pipeline
