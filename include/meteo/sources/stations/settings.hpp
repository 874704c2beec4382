// The station network's settings (an opendatasoft-stations source): plain structs.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace meteo {

// Where an Opendatasoft station dataset keeps each measurement: Toulouse's names by default, so
// another city's portal is a [sources.fields] table away.
struct ObservationFields {
  std::string time = "heure_de_paris";  // ISO 8601 with offset
  std::string temperature = "temperature_en_degre_c";
  std::string humidity = "humidite";
  std::string pressure = "pression";
  std::string pressure_unit = "Pa";  // Pa or hPa; stored in hPa
  std::string rain = "pluie";        // mm over the record's interval
  std::string rain_intensity_max = "pluie_intensite_max";
  std::string wind_speed = "force_moyenne_du_vecteur_vent";        // km/h
  std::string gust = "force_rafale_max";                           // km/h
  std::string wind_direction = "direction_du_vecteur_vent_moyen";  // degrees
};

// Field names of the stations dataset (one record per station).
struct StationListFields {
  std::string dataset = "id_nom";  // the station's measurement dataset id (any case)
  std::string number = "id_numero";
  std::string latitude = "latitude";
  std::string longitude = "longitude";
  std::string altitude = "altitude";
  std::string type = "type_stati";
  std::string commune = "ville";
};

// An Opendatasoft portal publishing one dataset per weather station.
struct StationNetworkConfig {
  std::string base_url;  // https://data.toulouse-metropole.fr
  std::string stations_dataset = "stations-meteo-en-place";
  std::vector<std::string> datasets;          // explicit list, or:
  std::string dataset_pattern;                // discover: catalogue ids containing this text
  std::chrono::sys_seconds start{};           // where the first run begins
  std::chrono::hours lookback{2};             // re-read so late and corrected records land
  std::chrono::hours max_catch_up{24 * 7};    // per dataset and run: the rest follows next run
  std::chrono::hours export_window{24 * 31};  // backfill window of one exports/json request
  ObservationFields fields;
  StationListFields station_fields;
};

}  // namespace meteo
