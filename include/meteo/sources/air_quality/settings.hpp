// An ATMO-style air-quality source's settings (an arcgis-air-quality source): plain structs.
#pragma once

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

}  // namespace meteo
