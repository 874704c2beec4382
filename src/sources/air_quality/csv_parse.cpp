// The hub's CSV download of an air-quality layer: header, columns, one record per row.
#include <cstddef>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "census.hpp"
#include "csv_reader.hpp"
#include "meteo/core/errors.hpp"
#include "meteo/sources/air_quality/parse.hpp"
#include "record.hpp"

namespace meteo {
namespace air_quality {
namespace {

using Json = nlohmann::ordered_json;
using Column = std::optional<std::size_t>;

// Where each attribute is in a row; station descriptions are optional, the rest required.
struct ColumnMap {
  Column station_code, station_name, commune, insee, department, typology, influence, pollutant,
      pollutant_id, value, unit, metric, start, end, validation, object_id, longitude, latitude;
};

// Header names are compared as given, bar outer spaces.
void trim_names(CsvRow& header) {
  for (auto& name : header.fields) {
    const auto first = name.find_first_not_of(' ');
    name = first == std::string::npos ? ""
                                      : name.substr(first, name.find_last_not_of(' ') - first + 1);
  }
}

std::map<std::string, std::size_t, std::less<>> index_header(const CsvRow& header,
                                                             std::string_view origin) {
  std::map<std::string, std::size_t, std::less<>> index;
  for (std::size_t i = 0; i < header.fields.size(); ++i) {
    const std::string& name = header.fields[i];
    if (!index.emplace(name, i).second) {
      throw Error(ExitCode::data,
                  std::string(origin) + ": column \"" + name + "\" appears twice in the header");
    }
  }
  return index;
}

class HeaderReader {
 public:
  HeaderReader(const CsvRow& header, std::string_view origin)
      : index_(index_header(header, origin)), origin_(origin) {}

  Column optional(const std::string& name) const {
    const auto it = index_.find(name);
    return it == index_.end() ? Column() : Column(it->second);
  }
  Column required(const std::string& name) const {
    const Column column = optional(name);
    if (!column) {
      throw Error(ExitCode::data,
                  std::string(origin_) + ": no column \"" + name + "\" in the header");
    }
    return column;
  }

 private:
  std::map<std::string, std::size_t, std::less<>> index_;
  std::string_view origin_;
};

ColumnMap map_columns(const CsvRow& header, const AirQualityFields& fields,
                      std::string_view origin) {
  const HeaderReader columns(header, origin);
  ColumnMap map;
  map.station_code = columns.required(fields.station_code);
  map.station_name = columns.optional(fields.station_name);
  map.commune = columns.optional(fields.commune);
  map.insee = columns.optional(fields.insee);
  map.department = columns.optional(fields.department);
  map.typology = columns.optional(fields.typology);
  map.influence = columns.optional(fields.influence);
  map.pollutant = columns.required(fields.pollutant);
  map.pollutant_id = columns.required(fields.pollutant_id);
  map.value = columns.required(fields.value);
  map.unit = columns.required(fields.unit);
  map.metric = columns.required(fields.metric);
  map.start = columns.required(fields.start);
  map.end = columns.required(fields.end);
  map.validation = columns.required(fields.validation);
  map.object_id = columns.required(fields.object_id);
  map.longitude = columns.required(fields.longitude);
  map.latitude = columns.required(fields.latitude);
  return map;
}

std::optional<std::string> cell(const CsvRow& row, Column column) {
  if (!column) return std::nullopt;
  return row.fields[*column];
}

RawRecord raw_record(const CsvRow& row, const ColumnMap& map) {
  RawRecord raw;
  raw.station_code = cell(row, map.station_code);
  raw.station_name = cell(row, map.station_name);
  raw.commune = cell(row, map.commune);
  raw.insee = cell(row, map.insee);
  raw.department = cell(row, map.department);
  raw.typology = cell(row, map.typology);
  raw.influence = cell(row, map.influence);
  raw.pollutant = cell(row, map.pollutant);
  raw.pollutant_id = cell(row, map.pollutant_id);
  raw.value = cell(row, map.value);
  raw.unit = cell(row, map.unit);
  raw.metric = cell(row, map.metric);
  raw.start = cell(row, map.start);
  raw.end = cell(row, map.end);
  raw.validation = cell(row, map.validation);
  raw.object_id = cell(row, map.object_id);
  raw.longitude = cell(row, map.longitude);
  raw.latitude = cell(row, map.latitude);
  return raw;
}

// The row as stored with a reject: {header: text} when it fits the header, else its fields as
// an array (nothing the file held is dropped).
std::string row_json(const CsvRow& row, const CsvRow& header) {
  Json json;
  if (row.fields.size() == header.fields.size()) {
    json = Json::object();
    for (std::size_t i = 0; i < row.fields.size(); ++i) json[header.fields[i]] = row.fields[i];
  } else {
    json = row.fields;
  }
  return json.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::variant<ValidRecord, std::string> read_row(const CsvRow& row, const CsvRow& header,
                                                const ColumnMap& map,
                                                const AirQualityFields& fields,
                                                const AirQualityRules& rules, UtcSeconds now) {
  if (row.fields.size() != header.fields.size()) {
    return "row has " + std::to_string(row.fields.size()) + " fields, the header " +
           std::to_string(header.fields.size());
  }
  if (row.problem) return *row.problem;
  const RecordForm form{RecordForm::Dates::iso_utc, fields.longitude, fields.latitude};
  return validate(raw_record(row, map), form, fields, rules, now);
}

}  // namespace
}  // namespace air_quality

ParsedAirQuality parse_air_quality_csv(std::string_view body, const AirQualityFields& fields,
                                       const AirQualityRules& rules, UtcSeconds now,
                                       std::string_view origin) {
  air_quality::CsvReader reader(body);
  auto header = reader.next(origin);
  if (!header) throw Error(ExitCode::data, std::string(origin) + ": no CSV header (empty text)");
  air_quality::trim_names(*header);
  const auto columns = air_quality::map_columns(*header, fields, origin);
  air_quality::Census census;
  while (auto row = reader.next(origin)) {
    census.add(air_quality::read_row(*row, *header, columns, fields, rules, now), row->line,
               [&] { return air_quality::row_json(*row, *header); });
  }
  return std::move(census).finish();
}

}  // namespace meteo
