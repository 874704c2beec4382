// The portal's catalogue, dataset schemas and the list of stations.
#include "catalog.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>

#include "../duplicate_keys.hpp"
#include "meteo/core/errors.hpp"
#include "meteo/sources/stations/portal.hpp"

namespace meteo {
namespace stations_json {

CatalogPage read_catalog_page(const Json& body, std::string_view origin) {
  CatalogPage page;
  const Json& results = record_array(body, origin, "catalogue");
  for (const Json& dataset : results) {
    const auto id = dataset.is_object() ? dataset.find("dataset_id") : dataset.end();
    if (!dataset.is_object() || id == dataset.end() || !id->is_string()) {
      throw Error(ExitCode::data, std::string(origin) + ": catalogue entry without a dataset_id: " +
                                      describe(dataset));
    }
    page.dataset_ids.push_back(id->get<std::string>());
  }
  const auto total = body.is_object() ? body.find("total_count") : body.end();
  const bool has_total = body.is_object() && total != body.end() && total->is_number_unsigned();
  page.total_count = has_total ? total->get<std::size_t>() : page.dataset_ids.size();
  return page;
}

}  // namespace stations_json

namespace {

using stations_json::describe;
using stations_json::Json;

std::string lower_case(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::optional<std::string> text_field(const Json& record, const std::string& field) {
  const auto it = record.find(field);
  if (it == record.end() || it->is_null()) return std::nullopt;
  if (it->is_string()) return it->get<std::string>();
  return stations_json::compact(*it);  // id_numero is a number: 63 -> "63"
}

std::optional<double> number_field(const Json& record, const std::string& field) {
  const auto it = record.find(field);
  if (it == record.end() || !it->is_number()) return std::nullopt;
  return it->get<double>();
}

// The dataset object: v2.1 answers it bare; older answers wrap it in {"dataset": {...}}.
const Json& dataset_object(const Json& body) {
  const auto wrapped = body.is_object() ? body.find("dataset") : body.end();
  if (body.is_object() && wrapped != body.end() && wrapped->is_object()) return *wrapped;
  return body;
}

bool has_field(const Json& field_list, const std::string& name) {
  return std::any_of(field_list.begin(), field_list.end(), [&](const Json& field) {
    if (!field.is_object()) return false;
    const auto field_name = field.find("name");
    return field_name != field.end() && field_name->is_string() && *field_name == name;
  });
}

}  // namespace

namespace stations_json {

std::variant<WeatherStation, std::string> read_station(const Json& record,
                                                       const StationListFields& fields) {
  if (auto problem = sources_json::overflow_problem(record)) return std::move(*problem);
  if (!record.is_object()) return "not an object (" + describe(record) + ")";
  if (auto problem = sources_json::duplicate_key_problem(record)) return std::move(*problem);
  const auto dataset = text_field(record, fields.dataset);
  if (!dataset || dataset->empty()) return "no " + fields.dataset;
  const auto latitude = number_field(record, fields.latitude);
  const auto longitude = number_field(record, fields.longitude);
  if (!latitude || *latitude < -90 || *latitude > 90) {
    return *dataset + ": no valid " + fields.latitude;
  }
  if (!longitude || *longitude < -180 || *longitude > 180) {
    return *dataset + ": no valid " + fields.longitude;
  }
  WeatherStation station;
  station.dataset_id = lower_case(*dataset);
  station.number = text_field(record, fields.number).value_or("");
  station.commune = text_field(record, fields.commune).value_or("");
  station.type = text_field(record, fields.type).value_or("");
  station.latitude = *latitude;
  station.longitude = *longitude;
  station.altitude = number_field(record, fields.altitude);
  station.name = text_field(record, fields.name).value_or("");
  return station;
}

}  // namespace stations_json

std::vector<WeatherStation> parse_station_list(std::string_view body,
                                               const StationListFields& fields,
                                               std::string_view origin,
                                               std::vector<std::string>* skipped) {
  const Json document = stations_json::parse_records(body, origin, "station list");
  std::vector<WeatherStation> stations;
  std::size_t position = 0;
  for (const Json& record : stations_json::record_array(document, origin, "station list")) {
    auto outcome = stations_json::read_station(record, fields);
    if (auto* station = std::get_if<WeatherStation>(&outcome)) {
      stations.push_back(std::move(*station));
    } else if (skipped) {
      skipped->push_back("station record " + std::to_string(position) + ": " +
                         std::get<std::string>(outcome));
    }
    ++position;
  }
  return stations;
}

std::vector<std::string> parse_catalog_dataset_ids(std::string_view body, std::string_view origin) {
  const Json document = stations_json::parse(body, origin, "catalogue");
  return stations_json::read_catalog_page(document, origin).dataset_ids;
}

DatasetSchema check_dataset_schema(std::string_view dataset_body, const ObservationFields& fields,
                                   std::string_view origin) {
  const Json document = stations_json::parse(dataset_body, origin, "dataset");
  const Json& dataset = dataset_object(document);
  const auto field_list = dataset.is_object() ? dataset.find("fields") : dataset.end();
  if (!dataset.is_object() || field_list == dataset.end() || !field_list->is_array()) {
    throw Error(ExitCode::data, std::string(origin) + ": dataset has no \"fields\" array");
  }
  std::string missing;
  for (const std::string* name : {&fields.time, &fields.temperature}) {
    if (has_field(*field_list, *name)) continue;
    missing += (missing.empty() ? "no field " : ", no field ") + *name;
  }
  return {missing.empty(), missing};
}

}  // namespace meteo
