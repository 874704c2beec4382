#include "portal_catalogue.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <map>
#include <stdexcept>

#include "synop_dataset.hpp"

namespace portal_sim {
namespace {

struct StationListing {
  StationSite site;
  std::string type;
};

ordered_json read_json_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  try {
    return ordered_json::parse(in);
  } catch (const nlohmann::json::exception& error) {
    throw std::runtime_error(path + ": " + error.what());
  }
}

std::string lower_case(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

int leading_number(std::string_view id) {
  int number = 0;
  for (const char c : id) {
    if (c < '0' || c > '9') break;
    number = number * 10 + (c - '0');
  }
  return number;
}

double number_or(const ordered_json& object, const char* key, double fallback) {
  const auto it = object.find(key);
  return it != object.end() && it->is_number() ? it->get<double>() : fallback;
}

// The stations file names its datasets in mixed case; the catalogue in lower case.
std::map<std::string, StationListing> station_listings(const ordered_json& stations) {
  std::map<std::string, StationListing> listings;
  for (const auto& station : stations) {
    const auto id = station.find("id_nom");
    if (id == station.end() || !id->is_string()) continue;
    StationListing listing;
    listing.site.known = true;
    listing.site.latitude = number_or(station, "latitude", listing.site.latitude);
    listing.site.longitude = number_or(station, "longitude", listing.site.longitude);
    listing.site.altitude_m = number_or(station, "altitude", listing.site.altitude_m);
    listing.type = station.value("type_stati", std::string("ISS"));
    listings[lower_case(id->get<std::string>())] = listing;
  }
  return listings;
}

// v1 annotations are [{"name": "unit", "args": ["°C"]}]; v2.1 keys them by name.
ordered_json annotations_object(const ordered_json& v1_annotations) {
  ordered_json annotations = ordered_json::object();
  if (!v1_annotations.is_array()) return annotations;
  for (const auto& annotation : v1_annotations) {
    const auto args = annotation.value("args", ordered_json::array());
    ordered_json value = true;
    if (args.size() == 1) value = args[0];
    if (args.size() > 1) value = args;
    annotations[annotation.value("name", std::string("annotation"))] = value;
  }
  return annotations;
}

ordered_json field_object(const std::string& name, const std::string& label,
                          const std::string& type, const ordered_json& description,
                          const ordered_json& annotations) {
  return ordered_json{{"name", name},
                      {"label", label},
                      {"type", type},
                      {"description", description},
                      {"annotations", annotations}};
}

std::string first_datetime_field(const std::vector<Field>& fields) {
  for (const auto& field : fields) {
    if (field.name == kStandardTimeField) return field.name;
  }
  for (const auto& field : fields) {
    if (field.type == "datetime") return field.name;
  }
  return {};
}

Dataset measurement_dataset(const ordered_json& entry,
                            const std::map<std::string, StationListing>& listings) {
  Dataset dataset;
  dataset.id = entry.at("datasetid").get<std::string>();
  dataset.field_objects = ordered_json::array();
  for (const auto& field : entry.at("fields")) {
    const auto name = field.at("name").get<std::string>();
    const auto type = field.value("type", std::string("text"));
    dataset.fields.push_back({name, type});
    dataset.field_objects.push_back(field_object(
        name, field.value("label", name), type, field.value("description", ordered_json()),
        annotations_object(field.value("annotations", ordered_json()))));
  }
  dataset.metas = entry.value("metas", ordered_json::object());
  dataset.features = entry.value("features", ordered_json::array());
  dataset.time_field = first_datetime_field(dataset.fields);
  dataset.station_number = leading_number(dataset.id);
  dataset.key = hash_text(dataset.id);
  if (const auto it = listings.find(dataset.id); it != listings.end()) {
    dataset.site = it->second.site;
    dataset.station_type = it->second.type;
  }
  return dataset;
}

std::string type_of_values(const ordered_json& stations, const std::string& key) {
  bool any_float = false;
  bool any_integer = false;
  for (const auto& station : stations) {
    const auto it = station.find(key);
    if (it == station.end() || it->is_null()) continue;
    if (it->is_object() && it->contains("lon") && it->contains("lat")) return "geo_point_2d";
    if (it->is_number_float()) any_float = true;
    if (it->is_number_integer()) any_integer = true;
    if (it->is_string()) {
      const auto text = it->get<std::string>();
      return parse_iso8601(text) && text.size() == 10 ? "date" : "text";
    }
  }
  if (any_float) return "double";
  return any_integer ? "int" : "text";
}

// The stations dataset is not in the saved search: its schema is read off the export itself.
Dataset stations_dataset(const ordered_json& stations) {
  Dataset dataset;
  dataset.id = std::string(kStationsDatasetId);
  dataset.kind = DatasetKind::stations;
  dataset.field_objects = ordered_json::array();
  if (!stations.empty()) {
    for (const auto& [name, value] : stations.front().items()) {
      const std::string type = type_of_values(stations, name);
      dataset.fields.push_back({name, type});
      dataset.field_objects.push_back(
          field_object(name, name, type, ordered_json(), ordered_json::object()));
    }
  }
  dataset.metas = ordered_json{{"title", "Stations météo en place"},
                               {"publisher", "Toulouse Métropole"},
                               {"license", "Open Database License (ODbL)"},
                               {"language", "fr"}};
  dataset.features = ordered_json::array({"geo", "analyze"});
  return dataset;
}

bool has_standard_schema(const ordered_json& entry) {
  const auto& fields = entry.at("fields");
  return std::any_of(fields.begin(), fields.end(), [](const ordered_json& field) {
    return field.value("name", std::string()) == kStandardTimeField;
  });
}

}  // namespace

const Field* Dataset::field(std::string_view name) const {
  const auto it = std::find_if(fields.begin(), fields.end(),
                               [&](const Field& field) { return field.name == name; });
  return it == fields.end() ? nullptr : &*it;
}

Catalogue Catalogue::load(const std::string& stations_file, const std::string& catalog_file,
                          const CatalogueSelection& selection) {
  Catalogue catalogue;
  if (!stations_file.empty() || !catalog_file.empty()) {
    catalogue.load_toulouse(stations_file, catalog_file, selection);
  }
  if (selection.synop) catalogue.datasets_.push_back(synop_dataset());
  return catalogue;
}

void Catalogue::load_toulouse(const std::string& stations_file, const std::string& catalog_file,
                              const CatalogueSelection& selection) {
  stations_ = read_json_file(stations_file);
  if (!stations_.is_array()) {
    throw std::runtime_error(stations_file + ": expected a JSON array of stations");
  }
  const ordered_json search = read_json_file(catalog_file);
  if (!search.contains("datasets") || !search["datasets"].is_array()) {
    throw std::runtime_error(catalog_file + ": expected a v1 catalogue search with `datasets`");
  }
  const auto listings = station_listings(stations_);
  try {
    for (const auto& entry : search["datasets"]) {
      if (selection.datasets > 0 &&
          datasets_.size() >= static_cast<std::size_t>(selection.datasets)) {
        break;
      }
      if (!selection.include_odd_schema && !has_standard_schema(entry)) continue;
      datasets_.push_back(measurement_dataset(entry, listings));
    }
  } catch (const nlohmann::json::exception& error) {
    throw std::runtime_error(catalog_file + ": " + error.what());
  }
  datasets_.push_back(stations_dataset(stations_));
}

const Dataset* Catalogue::find(std::string_view id) const {
  const auto it = std::find_if(datasets_.begin(), datasets_.end(),
                               [&](const Dataset& dataset) { return dataset.id == id; });
  return it == datasets_.end() ? nullptr : &*it;
}

ordered_json dataset_object(const Dataset& dataset, std::size_t records_count, Seconds modified) {
  char uid[24];
  std::snprintf(uid, sizeof uid, "da_%06llx",
                static_cast<unsigned long long>(hash_text(dataset.id) & 0xFFFFFF));
  ordered_json metas = dataset.metas;
  metas["records_count"] = records_count;
  metas["modified"] = format_iso8601(modified, 0);
  metas["data_processed"] = format_iso8601(modified, 0);
  return ordered_json{{"visibility", "domain"},
                      {"dataset_id", dataset.id},
                      {"dataset_uid", uid},
                      {"has_records", records_count > 0},
                      {"features", dataset.features},
                      {"attachments", ordered_json::array()},
                      {"alternative_exports", ordered_json::array()},
                      {"data_visible", true},
                      {"fields", dataset.field_objects},
                      {"metas", ordered_json{{"default", metas}}}};
}

}  // namespace portal_sim
