// How the page names a weather station: by the name its source gives it (SYNOP's `nom`,
// "TOULOUSE-BLAGNAC") when there is one. Toulouse's station list has none (only `id_nom`, which is
// the dataset id, and `ville`), so there the name is read from the dataset id the network gives
// every station: "01-station-meteo-toulouse-meteopole" -> "Meteopole".
#pragma once

#include <string>

namespace meteo::dashboard {

// `stored_name` when not empty; else the dataset id without its number, "station-meteo" and the
// commune, dashes as spaces, first letter capitalised; the commune when nothing is left.
std::string station_display_name(const std::string& dataset_id, const std::string& commune,
                                 const std::string& stored_name);

// "Meteopole (Toulouse)": the name and its commune, as lists and alerts show a station.
std::string station_label(const std::string& dataset_id, const std::string& commune,
                          const std::string& stored_name);

}  // namespace meteo::dashboard
