// Internal to the sources module: JSON helpers shared by the Opendatasoft station parsers.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace meteo::stations_json {

// Insertion-ordered: a rejected record is stored in the key order the portal sent.
using Json = nlohmann::ordered_json;

// Parses a whole body. Throws Error(data) "<origin>: <what> is not valid JSON at byte N: ...".
Json parse(std::string_view body, std::string_view origin, std::string_view what);

// The records of a body that is either a bare array (exports/json) or a page {"results": [...]}.
// Throws Error(data) naming `origin` for any other shape.
const Json& record_array(const Json& body, std::string_view origin, std::string_view what);

// The compact JSON text of a value, invalid UTF-8 replaced rather than thrown on.
std::string compact(const Json& value);

// "string \"1013\"", "boolean true", "null": how a reason quotes an offending value.
std::string describe(const Json& value);

}  // namespace meteo::stations_json
