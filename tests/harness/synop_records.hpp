// A few hand-made Météo-France SYNOP records (one dataset, many stations) with the portal's real
// field names, written as each format the portal exports and `ingest` reads: the exports/json
// array, JSON Lines and the ';'-separated CSV export. Seven records: three stations, five valid
// observations, two rejects (no station; a negative rain larger than a trace).
#pragma once

#include <string>
#include <vector>

namespace meteo::testing::synop_records {

// Columns of the portal's export, in its order; the records, one cell per column ("" is null).
const std::vector<std::string>& columns();
const std::vector<std::vector<std::string>>& rows();

// One record as a JSON object: the text columns quoted, the others numbers, "" as null.
std::string json_record(const std::vector<std::string>& row);

std::string export_json();  // [record, ...]
std::string json_lines();   // one record a line
std::string export_csv();   // the portal's CSV export: a BOM, a header, ';', CRLF

}  // namespace meteo::testing::synop_records
