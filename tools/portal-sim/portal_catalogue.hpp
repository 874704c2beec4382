// The datasets the simulated portal serves, read at start-up from the saved catalogue search and
// the stations export (reference files that stay outside the repository).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "civil_time.hpp"
#include "weather_model.hpp"

namespace portal_sim {

using ordered_json = nlohmann::ordered_json;

inline constexpr std::string_view kStationsDatasetId = "stations-meteo-en-place";
inline constexpr std::string_view kStandardTimeField = "heure_de_paris";

struct Field {
  std::string name;
  std::string type;  // text, int, double, date, datetime, geo_point_2d
};

// measurements: one Toulouse station per dataset; synop: Météo-France's many-station dataset.
enum class DatasetKind { stations, measurements, synop };

struct Dataset {
  std::string id;
  DatasetKind kind = DatasetKind::measurements;
  std::vector<Field> fields;   // catalogue order: the order of every record's keys
  ordered_json field_objects;  // the fields as the v2.1 catalogue describes them
  ordered_json metas;          // metas.default, records_count and modified left to the server
  ordered_json features;
  // What `where` and `order_by` may use: heure_de_paris, or for the odd schema its first
  // datetime field; empty for the stations dataset.
  std::string time_field;
  int station_number = 0;  // the id's numeric prefix: "01-station-..." is station 1
  std::uint64_t key = 0;   // the station's own random stream
  StationSite site;
  std::string station_type = "ISS";

  const Field* field(std::string_view name) const;
  bool standard_schema() const { return time_field == kStandardTimeField; }
};

struct CatalogueSelection {
  int datasets = 0;  // the first N measurement datasets in catalogue order, 0 = all
  bool include_odd_schema = true;
  bool synop = false;  // also serve Météo-France's SYNOP dataset (synop_dataset.hpp)
};

class Catalogue {
 public:
  // Throws std::runtime_error naming the file when one is missing or malformed. Both file names
  // empty: no Toulouse dataset at all (a SYNOP-only portal).
  static Catalogue load(const std::string& stations_file, const std::string& catalog_file,
                        const CatalogueSelection& selection);

  // The measurement datasets in catalogue order, then the stations dataset, then SYNOP.
  const std::vector<Dataset>& datasets() const { return datasets_; }
  const Dataset* find(std::string_view id) const;
  const ordered_json& station_objects() const { return stations_; }  // the file, verbatim

 private:
  void load_toulouse(const std::string& stations_file, const std::string& catalog_file,
                     const CatalogueSelection& selection);

  std::vector<Dataset> datasets_;
  ordered_json stations_ = ordered_json::array();
};

// One dataset as GET /catalog/datasets lists it and /catalog/datasets/{id} answers it.
ordered_json dataset_object(const Dataset& dataset, std::size_t records_count, Seconds modified);

}  // namespace portal_sim
