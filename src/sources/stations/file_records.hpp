// Internal to the sources module: the records of a file saved from an Opendatasoft portal
// (`ingest --file`), whatever its export format, as the JSON array the portal's exports/json is.
#pragma once

#include <string_view>

#include "json_fields.hpp"
#include "meteo/sources/file_format.hpp"
#include "meteo/sources/stations/settings.hpp"

namespace meteo::stations_json {

// The format a file's name tells by its extension (any case): .json, .jsonl, .csv. Throws
// Error(usage) naming the file for another extension.
sources::FileFormat file_format_of_name(std::string_view name);

// json: the portal's exports/json array (or a records page); json_lines: one record per line
// (blank lines skipped); csv: the portal's CSV export (';'-separated, a header row of field names;
// an empty cell is null, a measurement or coordinate cell a number when it reads whole as one, any
// other cell text, so "07630" keeps its zero). Throws Error(data) naming `name` and the line for
// a malformed line or row.
Json file_records(std::string_view body, std::string_view name, sources::FileFormat format,
                  const ObservationFields& fields, const StationListFields& station_fields);

}  // namespace meteo::stations_json
