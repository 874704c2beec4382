// Private to the dashboard: the "did it work?" panel's files (docs/dashboard-data.md):
// data/air-quality/normalised/<station>.json and data/air-quality-increment.json, built from the
// store's normalised readers and the configured interventions.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "meteo/analysis/settings.hpp"
#include "meteo/store/normalised_read.hpp"

namespace spdlog {
class logger;
}

namespace meteo::dashboard {

struct NormalisedFiles {
  // (station code, data/air-quality/normalised/<code>.json); codes that cannot be file names are
  // left out.
  std::vector<std::pair<std::string, nlohmann::json>> stations;
  nlohmann::json list = nlohmann::json::array();  // meta.json's stations: code, name, file...
};

// The source's station-pollutants with a daily normalised series, one document per station;
// nothing when there is none.
std::optional<NormalisedFiles> normalised_files(
    Database& db, const std::string& source,
    const std::vector<analysis::Intervention>& interventions, spdlog::logger& log);

// One station-pollutant's entry of its station's file: the card, the daily series (every day
// from the first to the last, null where there is no row), and the interventions concerning the
// station, oldest first, each with the effect estimated for that name and date, if any.
nlohmann::json normalised_pollutant_json(const NormalisationModelRow& model,
                                         const std::vector<NormalisedDayRow>& days,
                                         const std::vector<analysis::Intervention>& interventions,
                                         const std::vector<InterventionEffectRow>& effects);

// data/air-quality-increment.json from the increment's rows; nothing when there is none.
std::optional<nlohmann::json> increment_json(const std::string& source,
                                             const std::vector<IncrementDayRow>& rows);

}  // namespace meteo::dashboard
