// How a saved file of records is written, for a source that reads more than one format (a station
// network whose records name their station: the portal's exports). `ingest --file` tells it by
// the file's extension; `serve` by the request's Content-Type, its scratch file having no name
// that could.
#pragma once

namespace meteo::sources {

enum class FileFormat {
  json,        // the portal's exports/json array, or a records page
  json_lines,  // one record per line
  csv,         // the portal's CSV export: ';'-separated, a header of field names
};

// The extension `ingest --file` tells the format by: a body saved under it says what it holds.
constexpr const char* extension_of(FileFormat format) {
  switch (format) {
    case FileFormat::json:
      return ".json";
    case FileFormat::json_lines:
      return ".jsonl";
    case FileFormat::csv:
      return ".csv";
  }
  return "";
}

}  // namespace meteo::sources
