// How the page names a weather station. The store keeps no name (the portal's station list has
// none: only `id_nom`, which is the dataset id, and `ville`), so the name is read from the dataset
// id the network gives every station: "01-station-meteo-toulouse-meteopole" -> "Meteopole".
#pragma once

#include <string>

namespace meteo::dashboard {

// The dataset id without its number, "station-meteo" and the commune, dashes as spaces, first
// letter capitalised; the commune when nothing is left.
std::string station_display_name(const std::string& dataset_id, const std::string& commune);

// "Meteopole (Toulouse)": the name and its commune, as lists and alerts show a station.
std::string station_label(const std::string& dataset_id, const std::string& commune);

}  // namespace meteo::dashboard
