// Internal to the sources module: JSON helpers shared by the Opendatasoft station parsers.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace meteo::stations_json {

// Insertion-ordered: a rejected record is stored in the key order the portal sent.
using Json = nlohmann::ordered_json;

// Parses a whole body that has no records to reject one by one (a catalogue page, a dataset).
// Throws Error(data) "<origin>: <what> is not valid JSON at byte N: ...", or "<origin>: <what>:
// number 1e309 is out of range (past a double's ±1.8e308)" for a number past a double's range.
Json parse(std::string_view body, std::string_view origin, std::string_view what);

// The same for a body of records validated one by one: a number past a double's range is kept
// as an overflow marker (duplicate_keys.hpp) that rejects the record holding it, not the body.
Json parse_records(std::string_view body, std::string_view origin, std::string_view what);

// The records of a body that is either a bare array (exports/json) or a page {"results": [...]}.
// Throws Error(data) naming `origin` for any other shape, or for an overflow marker outside the
// records (in "total_count", say).
const Json& record_array(const Json& body, std::string_view origin, std::string_view what);

// The compact JSON text of a value, invalid UTF-8 replaced rather than thrown on, and `null` in
// the place of an overflow marker (the number's text is in the rejection's reason).
std::string compact(const Json& value);

// "string \"1013\"", "boolean true", "null": how a reason quotes an offending value.
std::string describe(const Json& value);

}  // namespace meteo::stations_json
