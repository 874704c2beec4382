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
  std::string temperature_unit = "degC";  // degC or K; stored in °C
  std::string humidity = "humidite";
  std::string pressure = "pression";
  std::string pressure_unit = "Pa";  // Pa or hPa; stored in hPa
  // mm over the record's interval, from this one field (never summed with another: overlapping
  // accumulations would count twice). -0.1 <= value < 0 is a trace, stored as 0.
  std::string rain = "pluie";
  std::string rain_intensity_max = "pluie_intensite_max";
  std::string wind_speed = "force_moyenne_du_vecteur_vent";
  std::string wind_speed_unit = "km/h";  // km/h or m/s; stored in km/h
  std::string gust = "force_rafale_max";
  std::string gust_unit = "km/h";                                  // km/h or m/s; stored in km/h
  std::string wind_direction = "direction_du_vecteur_vent_moyen";  // degrees
};

// Field names of the stations dataset (one record per station), or of the station attributes each
// record repeats in a dataset holding many stations (then `dataset` is unused: the station field
// names the station).
struct StationListFields {
  std::string dataset = "id_nom";  // the station's measurement dataset id (any case)
  std::string number = "id_numero";
  std::string latitude = "latitude";
  std::string longitude = "longitude";
  std::string altitude = "altitude";
  std::string type = "type_stati";
  std::string commune = "ville";
  std::string name;  // none: Toulouse's list names the commune, the dashboard reads the dataset id
};

// Météo-France's SYNOP dataset (donnees-synop-essentielles-omm): the defaults of a network whose
// datasets hold many stations (station_field set). Sea-level pressure (pmer), comparable between
// stations at any altitude; rain over the last 3 hours (rr3), the records' own interval, so no rain
// is counted twice.
inline ObservationFields synop_observation_fields() {
  ObservationFields fields;
  fields.time = "date";
  fields.temperature = "t";
  fields.temperature_unit = "K";
  fields.humidity = "u";
  fields.pressure = "pmer";
  fields.pressure_unit = "Pa";
  fields.rain = "rr3";
  fields.rain_intensity_max = "";
  fields.wind_speed = "ff";
  fields.wind_speed_unit = "m/s";
  fields.gust = "raf10";
  fields.gust_unit = "m/s";
  fields.wind_direction = "dd";
  return fields;
}

inline StationListFields synop_station_fields(const std::string& station_field) {
  StationListFields fields;
  fields.dataset = station_field;
  fields.number = station_field;
  fields.type = "";
  fields.commune = "libgeo";
  fields.name = "nom";
  return fields;
}

// An Opendatasoft portal publishing one dataset per weather station (Toulouse), or datasets each
// holding many stations told apart by a field (Météo-France SYNOP's numer_sta).
struct StationNetworkConfig {
  std::string base_url;  // https://data.toulouse-metropole.fr
  // Empty: one station per dataset, listed by `stations_dataset`. Set: each record's station is
  // this field's text ("07630", leading zeros kept), the station key stored as its dataset_id,
  // and the stations are learnt from the records (no stations dataset is read).
  std::string station_field;
  std::string stations_dataset = "stations-meteo-en-place";
  std::vector<std::string> datasets;          // explicit list, or:
  std::string dataset_pattern;                // discover: catalogue ids containing this text
  std::chrono::sys_seconds start{};           // where the first run begins
  std::chrono::hours lookback{2};             // re-read so late and corrected records land
  std::chrono::hours max_catch_up{24 * 7};    // per dataset and run: the rest follows next run
  std::chrono::hours export_window{24 * 31};  // backfill window of one exports/json request
  // A window needing more records pages than this is read whole by one exports/json request
  // (1: any window of more than one page); up to 100, the offset ceiling, to keep paging.
  int export_threshold_pages = 1;
  ObservationFields fields;
  StationListFields station_fields;
};

}  // namespace meteo
