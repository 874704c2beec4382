// Weather-normalised air quality read back for the dashboard's "did it work?" panel: the model
// cards, the daily observed and normalised series, the estimated effects of the interventions
// (tables of migration 0007), and the traffic minus background increment from the daily means.
// Read-only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "meteo/core/time.hpp"
#include "meteo/store/database.hpp"

namespace meteo {

// A station-pollutant with a daily normalised series, and the card of the model behind it.
struct NormalisationModelRow {
  std::string source, station_code, pollutant;
  std::string station_name;  // empty when the station is not (or no longer) in the source
  std::int64_t run_id = 0;
  std::string weather_source, weather_dataset, learner, parameters;
  std::uint64_t seed = 0;
  int threads = 0;
  UtcSeconds training_from, training_to;  // to: exclusive
  std::int64_t training_hours = 0, holdout_hours = 0;
  double r2 = 0, rmse_ugm3 = 0;
  UtcSeconds created_at;  // to the second
};

// The models of a source that have at least one daily row, by station code then pollutant.
std::vector<NormalisationModelRow> query_normalisation_models(Database& db,
                                                              const std::string& source);

struct NormalisedDayRow {
  std::string day;  // "2026-11-22" (UTC)
  double observed_ugm3 = 0, predicted_ugm3 = 0, normalised_ugm3 = 0;
  int hours = 0;
};

// The daily rows of one station-pollutant, oldest first.
std::vector<NormalisedDayRow> query_normalised_days(Database& db, const std::string& source,
                                                    const std::string& station_code,
                                                    const std::string& pollutant);

struct InterventionEffectRow {
  std::string source, station_code, pollutant, intervention;
  UtcSeconds intervention_date;
  std::string method;
  std::int64_t hours_before = 0, hours_after = 0;
  double raw_effect_percent = 0, effect_percent = 0;
  double effect_ci_low_percent = 0, effect_ci_high_percent = 0;
};

// The estimated effects of a source, by station, pollutant, date and name.
std::vector<InterventionEffectRow> query_intervention_effects(Database& db,
                                                              const std::string& source);

// Per pollutant and day, the mean of the representative daily means of the source's traffic
// stations (influence "Trafic") and of its background stations ("Fond"), on the days when both
// kinds have one. Influence compares without case, as its column's collation does.
struct IncrementDayRow {
  std::string pollutant;
  std::string day;
  double traffic_mean_ugm3 = 0, background_mean_ugm3 = 0;
  int traffic_stations = 0, background_stations = 0;
  double increment_ugm3() const { return traffic_mean_ugm3 - background_mean_ugm3; }
};

// By pollutant, then day, oldest first.
std::vector<IncrementDayRow> query_traffic_increment(Database& db, const std::string& source);

}  // namespace meteo
