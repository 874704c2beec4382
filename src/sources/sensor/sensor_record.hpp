// Internal to the sources module: validation of one already-parsed sensor record.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <variant>

#include "meteo/model/records.hpp"

namespace meteo::sensor_feed {

// Insertion-ordered objects: a rejected record is dumped in its original key order, and a small
// flat vector per object is cheaper to build than a std::map.
using Json = nlohmann::ordered_json;

// The range each number of a record must lie in (bounds included).
struct Bounds {
  double min;
  double max;
  const char* text;
  bool contains(double value) const { return value >= min && value <= max; }  // false for NaN
};
constexpr Bounds kLatitude{-90, 90, "[-90, 90]"};
constexpr Bounds kLongitude{-180, 180, "[-180, 180]"};
constexpr Bounds kTemperature{-90, 60, "[-90, 60]"};

// sensor_readings keeps ids, timestamps and countries in 255-wide columns: a longer value is
// rejected here rather than failing the whole run's transaction in strict SQL mode.
constexpr std::size_t kMaxStoredTextBytes = 255;

// Records nesting deeper are rejected unread: dumping them would recurse once per level.
constexpr int kMaxRecordNesting = 64;
std::string too_deep_reason();

// Returns the reading, or the short reason the record is rejected. Strings are moved out of
// `record` only when it is valid, so a rejected record can still be dumped verbatim.
std::variant<SensorReading, std::string> validate_record(Json& record);

// nlohmann's exception text without its "[json.exception...] parse error at line 1, column 7: "
// preamble: the byte offset is reported separately.
std::string json_error_detail(const std::string& what);

// The compact JSON text of a record, as stored with a rejection.
std::string compact_json(const Json& value);

}  // namespace meteo::sensor_feed
