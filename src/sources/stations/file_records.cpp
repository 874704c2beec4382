#include "file_records.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <set>
#include <string>

#include "../csv_reader.hpp"
#include "meteo/core/errors.hpp"

namespace meteo::stations_json {
namespace {

bool ends_with_ignoring_case(std::string_view text, std::string_view suffix) {
  if (text.size() < suffix.size()) return false;
  return std::equal(suffix.begin(), suffix.end(), text.end() - suffix.size(),
                    [](char wanted, char given) {
                      return std::tolower(static_cast<unsigned char>(given)) == wanted;
                    });
}

Json json_lines(std::string_view body, std::string_view name) {
  Json records = Json::array();
  std::size_t line_number = 0;
  for (std::size_t at = 0; at < body.size();) {
    const std::size_t end = std::min(body.find('\n', at), body.size());
    const std::string_view line = body.substr(at, end - at);
    at = end + 1;
    ++line_number;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    const std::string origin = std::string(name) + ": line " + std::to_string(line_number);
    records.push_back(parse_records(line, origin, "record"));
  }
  return records;
}

// A cell that reads whole as a number becomes one: an integer as an integer, as JSON would have
// it, so a record's stored text is the same whichever format carried it.
Json cell_value(const std::string& cell, bool numeric) {
  if (cell.empty()) return nullptr;
  if (!numeric) return cell;
  const char* first = cell.data();
  const char* last = first + cell.size();
  std::int64_t integer = 0;
  if (auto [end, error] = std::from_chars(first, last, integer);
      error == std::errc() && end == last) {
    return integer;
  }
  double real = 0;
  if (auto [end, error] = std::from_chars(first, last, real); error == std::errc() && end == last) {
    return real;
  }
  return cell;  // the validation names it: "field t is not a number (string ...)"
}

Json csv_rows(std::string_view body, std::string_view name, const ObservationFields& fields,
              const StationListFields& station_fields) {
  const std::set<std::string> numeric = {fields.temperature,       fields.humidity,
                                         fields.pressure,          fields.rain,
                                         fields.wind_speed,        fields.gust,
                                         fields.wind_direction,    station_fields.latitude,
                                         station_fields.longitude, station_fields.altitude,
                                         fields.rain_intensity_max};
  sources_csv::CsvReader reader(body, ';');
  const auto header = reader.next(name);
  Json records = Json::array();
  if (!header) return records;
  while (auto row = reader.next(name)) {
    const std::string where = std::string(name) + ": line " + std::to_string(row->line);
    if (row->problem) throw Error(ExitCode::data, where + ": " + *row->problem);
    if (row->fields.size() != header->fields.size()) {
      throw Error(ExitCode::data, where + ": " + std::to_string(row->fields.size()) +
                                      " fields, the header has " +
                                      std::to_string(header->fields.size()));
    }
    Json record = Json::object();
    for (std::size_t i = 0; i < row->fields.size(); ++i) {
      const std::string& field = header->fields[i];
      record[field] = cell_value(row->fields[i], numeric.count(field) > 0);
    }
    records.push_back(std::move(record));
  }
  return records;
}

}  // namespace

sources::FileFormat file_format_of_name(std::string_view name) {
  if (ends_with_ignoring_case(name, ".json")) return sources::FileFormat::json;
  if (ends_with_ignoring_case(name, ".jsonl")) return sources::FileFormat::json_lines;
  if (ends_with_ignoring_case(name, ".csv")) return sources::FileFormat::csv;
  throw Error(ExitCode::usage, std::string(name) +
                                   ": a station file is .json (the portal's exports/json), .jsonl "
                                   "(JSON Lines) or .csv (the portal's CSV export)");
}

Json file_records(std::string_view body, std::string_view name, sources::FileFormat format,
                  const ObservationFields& fields, const StationListFields& station_fields) {
  using sources::FileFormat;
  switch (format) {
    case FileFormat::json:
      return parse_records(body, name, "file");
    case FileFormat::json_lines:
      return json_lines(body, name);
    case FileFormat::csv:
      return csv_rows(body, name, fields, station_fields);
  }
  return Json::array();
}

}  // namespace meteo::stations_json
