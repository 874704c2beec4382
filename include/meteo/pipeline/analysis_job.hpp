// `analyze`: the weather-normalised series of an air-quality source's station-pollutants and the
// effect of the city's interventions (Grange et al. 2018). Reads what the store holds (the hours
// with the paired weather station's), runs the analysis module, and, for `normalise`, writes each
// result under a ledger run of kind "analyze".
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "meteo/analysis/impact.hpp"
#include "meteo/config/config.hpp"
#include "meteo/store/air_quality_analysis.hpp"
#include "meteo/store/database.hpp"

namespace spdlog {
class logger;
}

namespace meteo::pipeline {

// "YYYY-MM-DD" -> midnight UTC; Error(usage) naming the text otherwise.
UtcSeconds parse_day(std::string_view text);

// Error(usage) unless the source is an air-quality source (Error(config) when not configured is
// Config::source's).
void require_air_quality_source(const SourceConfig& source);

struct ImpactQuery {
  std::string station_code;
  std::string pollutant;  // one of kAirQualityPollutants
  UtcSeconds intervention;
  int before_days = 365;
  int after_days = 365;
  analysis::ImpactMethod method = analysis::ImpactMethod::normalised;
  std::optional<std::uint64_t> seed;  // else [analysis] seed
};

struct ImpactReport {
  WeatherPairing weather;
  analysis::ImpactEstimate estimate;
};

// Read-only. Reads [D - before_days, D + after_days) and estimates the effect. Errors: the
// station unknown to the source (65), no paired weather station (78), too little history or
// weather (65, the analysis's reason prefixed with the station and pollutant).
ImpactReport estimate_station_impact(Database& db, const Config& config, const SourceConfig& source,
                                     const ImpactQuery& query, spdlog::logger& log);

struct NormaliseRequest {
  std::string station_code;  // empty: every station with measurements
  std::string pollutant;     // empty: every pollutant
};

struct NormalisedStationPollutant {
  std::string station_code;
  std::string pollutant;
  std::size_t hours_read = 0;
  std::string skipped;  // why it was skipped (too little data, no pair); empty when written
  analysis::ModelScore score;
  WrittenAnalysis written;
  std::vector<InterventionEffect> effects;
};

struct NormaliseSummary {
  std::int64_t run_id = 0;
  std::vector<NormalisedStationPollutant> results;
  std::size_t written = 0;  // station-pollutants whose result was written
  std::size_t skipped = 0;
  std::size_t rows = 0;  // rows written (cards, hours, days, effects)
};

// Holds the source's analysis lock ("<source>:analyze"), begins a ledger run (kind "analyze"),
// normalises every selected station-pollutant and estimates each configured intervention that
// concerns its station and falls inside its series, writing each result (replacing the previous
// one). A station-pollutant with too little data or no paired weather station is skipped with a
// warning; any other failure fails the run (recorded) and is rethrown. Error(data) when the
// selection names nothing with measurements.
NormaliseSummary normalise_source(Database& db, const Config& config, const SourceConfig& source,
                                  const NormaliseRequest& request, spdlog::logger& log);

}  // namespace meteo::pipeline
