// Internal to the sources module: the records of a file saved from an Opendatasoft portal
// (`ingest --file`), whatever its export format, as the JSON array the portal's exports/json is.
#pragma once

#include <string_view>

#include "json_fields.hpp"
#include "meteo/sources/stations/settings.hpp"

namespace meteo::stations_json {

// By the name's extension (any case): .json, the portal's exports/json array (or a records page);
// .jsonl, one record per line (blank lines skipped); .csv, the portal's CSV export (';'-separated,
// a header row of field names; an empty cell is null, a measurement or coordinate cell a number
// when it reads whole as one, any other cell text, so "07630" keeps its zero). Throws Error(usage)
// for another extension, Error(data) naming `name` and the line for a malformed line or row.
Json file_records(std::string_view body, std::string_view name, const ObservationFields& fields,
                  const StationListFields& station_fields);

}  // namespace meteo::stations_json
