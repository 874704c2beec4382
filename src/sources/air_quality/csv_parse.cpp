// The hub's CSV download of an air-quality layer: header, columns, one record per row.
#include <array>
#include <cstddef>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "../csv_reader.hpp"
#include "census.hpp"
#include "meteo/core/errors.hpp"
#include "meteo/sources/air_quality/parse.hpp"
#include "record.hpp"

namespace meteo {
namespace air_quality {
namespace {

using Json = nlohmann::ordered_json;
using sources_csv::CsvRow;
using Column = std::optional<std::size_t>;

// Where each attribute of kRawFields is in a row (the same order).
using ColumnMap = std::array<Column, kRawFieldCount>;

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
  for (std::size_t i = 0; i < kRawFieldCount; ++i) {
    const std::string& name = fields.*kRawFields[i].name;
    map[i] = kRawFields[i].required ? columns.required(name) : columns.optional(name);
  }
  return map;
}

RawRecord raw_record(const CsvRow& row, const ColumnMap& map) {
  return read_raw_record([&](const RawField&, std::size_t i) -> std::optional<std::string> {
    if (!map[i]) return std::nullopt;
    return row.fields[*map[i]];
  });
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
  sources_csv::CsvReader reader(body);
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
