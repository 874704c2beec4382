// The features the simulated layer serves: the hub's CSV download of the ATMO Occitanie layer,
// moved to the simulator's present by whole days, with the overrides tests ask for.
#pragma once

#include <cstddef>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "utc_time.hpp"

namespace arcgis_sim {

enum class FieldType { text, integer, real, date, object_id };

struct Field {
  std::string name;
  FieldType type;
};

// One row: the point (WGS84 lon, lat, as written in the file) and one text per attribute field,
// dates as `format_iso8601_utc` writes them.
struct Feature {
  std::string x;
  std::string y;
  std::vector<std::string> values;
};

// --set STATION,POLL,HOURS_BEFORE_NOW,VALUE: the measure of code_station STATION, nom_poll POLL,
// for the hour starting HOURS_BEFORE_NOW hours before the hour of `now`; added when missing.
struct ValueOverride {
  std::string station;
  std::string pollutant;
  int hours_before_now = 0;
  std::string value;
  bool provisional = false;  // --provisional-set: statut_valid 'f' as well
};

// Parses "STATION,POLL,HOURS,VALUE"; throws std::invalid_argument.
ValueOverride parse_value_override(const std::string& text, bool provisional);

struct TableOptions {
  Millis now = 0;             // rows starting at or after it are not served
  int provisional_hours = 0;  // rows starting in the last N hours: statut_valid 'f', value x 1.1
  std::vector<ValueOverride> overrides;
};

class FeatureTable {
 public:
  // Reads the hub CSV (UTF-8 with or without BOM, double-quoted fields allowed); throws
  // std::runtime_error when it cannot be read or is not the expected layer.
  static FeatureTable load(const std::string& csv_path, const TableOptions& options);

  const std::vector<Field>& fields() const { return fields_; }
  // File order; added rows last.
  const std::vector<Feature>& features() const { return features_; }
  // The index of the field named `name` (case-insensitive, as ArcGIS compares names).
  std::optional<std::size_t> field_index(std::string_view name) const;
  std::size_t object_id_field() const { return object_id_field_; }
  // The newest date_fin served: when the simulated hub last rewrote the layer.
  Millis last_edit() const { return last_edit_; }
  // The same features as the hub writes them anew: ObjectIds renumbered in file order after the
  // last one, lastEditDate a minute later.
  FeatureTable rewritten() const;
  // What is served, written as the hub writes its CSV download.
  void write_csv(std::ostream& out) const;

 private:
  FeatureTable() = default;
  std::size_t required_field(std::string_view name) const;
  Millis start_of(const Feature& feature) const;
  void shift_before(Millis now);
  void mark_provisional(Millis since);
  void apply_override(const ValueOverride& change, const TableOptions& options);
  Feature* find_measure(const std::string& station, const std::string& pollutant,
                        std::optional<Millis> start);
  long long last_object_id() const;
  void drop_from(Millis now);

  std::vector<Field> fields_;
  std::vector<Feature> features_;
  std::size_t object_id_field_ = 0;
  Millis last_edit_ = 0;
};

}  // namespace arcgis_sim
