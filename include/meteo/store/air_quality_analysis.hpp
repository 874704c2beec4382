// What `analyze` reads and writes: a station-pollutant's hours with the paired weather (the view
// air_quality_weather_hourly_v2), the station's pairing, and one analysis's result (model card,
// hourly and daily normalised series, intervention effects), replaced whole.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "meteo/analysis/impact.hpp"
#include "meteo/analysis/series.hpp"
#include "meteo/core/time.hpp"
#include "meteo/store/database.hpp"

namespace meteo {

// The weather station an air-quality station is paired with (air_quality_station_pairs).
struct WeatherPairing {
  std::string weather_source;
  std::string weather_dataset;
  double distance_km = 0;
};

// Nothing when the station has no pair (no weather station near enough, or none loaded).
std::optional<WeatherPairing> read_weather_pairing(Database& db, const std::string& source,
                                                   const std::string& station_code);

// Whether the source knows the station (air_quality_stations).
bool source_has_station(Database& db, const std::string& source, const std::string& station_code);

struct StationPollutant {
  std::string station_code;
  std::string pollutant;
  std::size_t hours = 0;
};

// The station-pollutants of `source` that have measurements, by station then pollutant; empty
// filters select all.
std::vector<StationPollutant> list_station_pollutants(Database& db, const std::string& source,
                                                      const std::string& station_code = {},
                                                      const std::string& pollutant = {});

// The hours of a station-pollutant in [from, to) (unbounded sides when absent), in hour order,
// each with its paired weather (kMissing where the weather station has no value).
analysis::PollutionSeries read_pollution_series(Database& db, const std::string& source,
                                                const std::string& station_code,
                                                const std::string& pollutant,
                                                std::optional<UtcSeconds> from = std::nullopt,
                                                std::optional<UtcSeconds> to = std::nullopt);

// What reproduces the figures (air_quality_normalisation_models).
struct NormalisationModelCard {
  std::int64_t run_id = 0;
  WeatherPairing weather;
  std::string learner;     // "xgboost gbtree"
  std::string parameters;  // "key=value" pairs separated by spaces
  std::uint64_t seed = 0;
  int threads = 1;
  UtcSeconds training_from;
  UtcSeconds training_to;  // exclusive
  analysis::ModelScore score;
};

struct InterventionEffect {
  std::string intervention;  // its configured name
  UtcSeconds date;
  analysis::ImpactMethod method = analysis::ImpactMethod::normalised;
  analysis::ImpactEstimate estimate;
};

struct AnalysisResult {
  std::string source;
  std::string station_code;
  std::string pollutant;
  NormalisationModelCard card;
  std::vector<analysis::NormalisedHour> hours;  // in hour order
  std::vector<InterventionEffect> effects;
};

// One UTC day of the normalised series: the means of its hours.
struct NormalisedDay {
  UtcSeconds day;
  double observed = 0;
  double predicted = 0;
  double normalised = 0;
  std::size_t hours = 0;
};

// A day is kept with at least 18 of its hours, as air_quality_daily's days.
inline constexpr std::size_t kMinHoursPerDay = 18;
std::vector<NormalisedDay> daily_means(const std::vector<analysis::NormalisedHour>& hours);

struct WrittenAnalysis {
  std::size_t hours = 0;
  std::size_t days = 0;
  std::size_t effects = 0;
  std::size_t rows() const { return 1 + hours + days + effects; }
};

// Replaces the (source, station, pollutant)'s previous result in one transaction (deleted, then
// inserted in multi-row statements): the same result always leaves the same rows.
WrittenAnalysis write_analysis_result(Database& db, const AnalysisResult& result);

}  // namespace meteo
