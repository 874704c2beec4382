// The partner's sensor feed: a JSON array of {id, timestamp, lat, lon, temperature, country}.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "meteo/model.hpp"

namespace meteo {

struct ParsedPayload {
  std::size_t record_count = 0;  // elements in the array, valid or not
  std::vector<SensorReading> readings;  // valid records in payload order (duplicates kept)
  std::vector<RejectedRecord> rejected;
};

// Validates one record (any JSON text). Returns the reading, or the reason it is rejected, e.g.
//   missing field "lat" / field "lat" is not a number (string "43.6") / lat 95 is outside [-90, 90]
std::variant<SensorReading, std::string> validate_sensor_record(std::string_view record_json);

// Parses a whole payload. Throws Error(data) naming `origin` (the URL or file) and the byte offset
// when the body is not valid JSON or not an array. Invalid elements land in `rejected`.
ParsedPayload parse_sensor_payload(std::string_view body, std::string_view origin);

}  // namespace meteo
