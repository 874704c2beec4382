// An ATMO-style air-quality source's settings (an arcgis-air-quality source): plain structs.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace meteo {

// Where each value sits in a record: the layer's attribute names, which are also the hub CSV's
// column names. ATMO Occitanie's by default.
struct AirQualityFields {
  std::string station_code = "code_station";
  std::string station_name = "nom_station";
  std::string commune = "nom_com";
  std::string insee = "insee_com";
  std::string department = "nom_dept";
  std::string typology = "typologie";
  std::string influence = "influence";
  std::string pollutant = "nom_poll";
  std::string pollutant_id = "id_poll_ue";  // the EU code, checked against the name
  std::string value = "valeur";
  std::string unit = "unite";
  std::string metric = "metrique";
  std::string start = "date_debut";
  std::string end = "date_fin";
  std::string validation = "statut_valid";
  std::string object_id = "ObjectId";
  // The hub CSV's position columns (WGS84); a query page carries a geometry {x, y} instead.
  std::string longitude = "X";
  std::string latitude = "Y";
};

// What a record must satisfy beyond its shape.
struct AirQualityRules {
  // Analysers drift a little below zero near the detection limit: such values are kept (and
  // counted); anything lower is a fault.
  double negative_floor = -5.0;
  std::vector<std::string> accepted_units = {"ug.m-3"};
};

// One ArcGIS layer: its URL (".../services/<service>/FeatureServer/<id>") and the key the
// database knows it by ("<service>/<id>"), derived once by the config reader.
struct AirQualityLayer {
  std::string url;
  std::string key;
};

// An arcgis-air-quality source: layers read window by window, checked by `rules`.
struct AirQualityConfig {
  std::vector<AirQualityLayer> layers;
  std::string where = "1=1";                      // the layer filter, ANDed with each window
  std::optional<std::chrono::sys_seconds> start;  // where the first run begins; none: catch-up
  std::chrono::hours lookback{48};                // validations come late: re-read this far back
  std::chrono::hours max_catch_up{72};            // a layer's span: the rest follows next run
  std::chrono::hours backfill_window{24};         // one unit of a backfill
  AirQualityRules rules;
  AirQualityFields fields;
  // The opendatasoft-stations source whose stations are paired with these; empty: no pairing.
  std::string weather_source;
  double max_pair_distance_km = 10;
};

}  // namespace meteo
