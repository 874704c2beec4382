#include "synop_records.hpp"

namespace meteo::testing::synop_records {
namespace {

// Columns of the portal's export, in its order; the records, one cell per column ("" is null).
const std::vector<std::string> kColumns = {
    "numer_sta", "date", "nom", "t",   "u",        "pmer",      "ff",       "dd",
    "raf10",     "rr1",  "rr3", "rr6", "latitude", "longitude", "altitude", "libgeo"};
// Text columns: quoted in JSON; the others are numbers.
bool is_text(const std::string& column) {
  return column == "numer_sta" || column == "date" || column == "nom" || column == "libgeo";
}

const std::vector<std::vector<std::string>> kRows = {
    {"07630", "2026-11-20T00:00:00+00:00", "TOULOUSE-BLAGNAC", "281.55", "91", "101320", "2.5",
     "230", "6", "0", "0.4", "0.6", "43.621", "1.378667", "151", "Blagnac"},
    {"07630", "2026-11-20T03:00:00+00:00", "TOULOUSE-BLAGNAC", "280.15", "94", "101290", "1.5",
     "210", "", "0", "-0.1", "0.4", "43.621", "1.378667", "151", "Blagnac"},
    {"07240", "2026-11-20T00:00:00+00:00", "TOURS", "279.35", "", "101850", "4", "180", "8.2", "",
     "1.2", "2", "47.4445", "0.727333", "108", "Parçay-Meslay"},
    {"07240", "2026-11-20T03:00:00+00:00", "TOURS", "", "88", "101800", "3.1", "190", "7", "0", "0",
     "1.2", "47.4445", "0.727333", "108", "Parçay-Meslay"},
    {"07486", "2026-11-20T03:00:00+00:00", "GRENOBLE-ST GEOIRS", "276.45", "97", "102010", "0.5",
     "", "", "", "", "", "45.362667", "5.312833", "384", "Saint-Étienne-de-Saint-Geoirs"},
    // No station: rejected with its reason.
    {"", "2026-11-20T03:00:00+00:00", "", "280", "90", "", "", "", "", "", "", "", "", "", "", ""},
    // A negative accumulation larger than a trace: rejected.
    {"07486", "2026-11-20T00:00:00+00:00", "GRENOBLE-ST GEOIRS", "276.85", "96", "102030", "0", "",
     "", "", "-2", "", "45.362667", "5.312833", "384", "Saint-Étienne-de-Saint-Geoirs"},
};

}  // namespace

const std::vector<std::string>& columns() {
  return kColumns;
}

const std::vector<std::vector<std::string>>& rows() {
  return kRows;
}

std::string json_record(const std::vector<std::string>& row) {
  std::string json = "{";
  for (std::size_t i = 0; i < kColumns.size(); ++i) {
    if (i > 0) json += ", ";
    json += "\"" + kColumns[i] + "\": ";
    if (row[i].empty()) {
      json += "null";
    } else if (is_text(kColumns[i])) {
      json += "\"" + row[i] + "\"";
    } else {
      json += row[i];
    }
  }
  return json + "}";
}

std::string export_json() {
  std::string json = "[\n";
  for (std::size_t i = 0; i < kRows.size(); ++i) {
    json += (i > 0 ? ",\n" : "") + json_record(kRows[i]);
  }
  return json + "\n]\n";
}

std::string json_lines() {
  std::string lines;
  for (const auto& row : kRows) lines += json_record(row) + "\n";
  return lines;
}

std::string export_csv() {
  const auto joined = [](const std::vector<std::string>& cells) {
    std::string line;
    for (std::size_t i = 0; i < cells.size(); ++i) line += (i > 0 ? ";" : "") + cells[i];
    return line + "\r\n";
  };
  std::string csv = "\xEF\xBB\xBF" + joined(kColumns);  // the portal's export starts with a BOM
  for (const auto& row : kRows) csv += joined(row);
  return csv;
}

}  // namespace meteo::testing::synop_records
