// Validation rules of one record of the partner's sensor feed.
#include "sensor_record.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <string_view>
#include <utility>

#include "../duplicate_keys.hpp"
#include "../quoted_text.hpp"
#include "meteo/core/text.hpp"
#include "meteo/sources/sensor/payload.hpp"

namespace meteo::sensor_feed {
namespace {

using json = Json;

// Offending values are quoted in reasons; an object or a long string is shortened.
constexpr std::size_t kMaxQuotedChars = 40;

std::string shortened(std::string text) {
  return sources_text::shortened(std::move(text), kMaxQuotedChars);
}

// "string \"21.5\"", "number 12", "null": what a reader needs to find the culprit.
std::string describe(const json& value) {
  if (value.is_null()) return "null";
  return std::string(value.type_name()) + " " + shortened(compact_json(value));
}

std::string quoted(std::string_view field) {
  return "\"" + std::string(field) + "\"";
}

// The fields validation looks at, found in one pass over the object (a record with a repeated
// key was already rejected by the parser).
struct Fields {
  json* id = nullptr;
  json* lat = nullptr;
  json* lon = nullptr;
  json* temperature = nullptr;
  json* timestamp = nullptr;
  json* country = nullptr;
};

Fields fields_of(json& record) {
  Fields fields;
  for (auto& [key, value] : record.get_ref<json::object_t&>()) {
    if (key == "id") {
      fields.id = &value;
    } else if (key == "lat") {
      fields.lat = &value;
    } else if (key == "lon") {
      fields.lon = &value;
    } else if (key == "temperature") {
      fields.temperature = &value;
    } else if (key == "timestamp") {
      fields.timestamp = &value;
    } else if (key == "country") {
      fields.country = &value;
    }
  }
  return fields;
}

std::string too_long(const char* name, std::size_t size) {
  return "field " + quoted(name) + " is longer than " + std::to_string(kMaxStoredTextBytes) +
         " bytes (" + std::to_string(size) + ")";
}

std::optional<std::string> id_problem(const json* id) {
  if (id == nullptr) return "missing field \"id\"";
  if (!id->is_string()) return "field \"id\" is not a string (" + describe(*id) + ")";
  const auto& text = id->get_ref<const std::string&>();
  if (text.empty()) return std::string("field \"id\" is empty");
  if (text.size() > kMaxStoredTextBytes) return too_long("id", text.size());
  return std::nullopt;
}

// The kept-as-given fields must fit their columns too, whatever JSON type they arrive as.
std::optional<std::string> text_problem(const json* field, const char* name) {
  if (field == nullptr || field->is_null()) return std::nullopt;
  const std::size_t size = field->is_string() ? field->get_ref<const std::string&>().size()
                                              : compact_json(*field).size();
  if (size > kMaxStoredTextBytes) return too_long(name, size);
  return std::nullopt;
}

std::optional<std::string> number_problem(const json* field, const char* name, Bounds bounds) {
  if (field == nullptr) return "missing field " + quoted(name);
  // is_number() is false for booleans, and a numeric string is still a string.
  if (!field->is_number()) {
    return "field " + quoted(name) + " is not a number (" + describe(*field) + ")";
  }
  const double value = field->get<double>();
  // JSON cannot spell NaN or infinity, but a huge literal can overflow a double.
  if (!std::isfinite(value)) return "field " + quoted(name) + " is not a finite number";
  if (!bounds.contains(value)) {
    return std::string(name) + " " + compact_json(*field) + " is outside " + bounds.text;
  }
  return std::nullopt;
}

std::optional<std::string> first_problem(const Fields& fields) {
  if (auto problem = id_problem(fields.id)) return problem;
  if (auto problem = number_problem(fields.lat, "lat", kLatitude)) return problem;
  if (auto problem = number_problem(fields.lon, "lon", kLongitude)) return problem;
  if (auto problem = number_problem(fields.temperature, "temperature", kTemperature)) {
    return problem;
  }
  if (auto problem = text_problem(fields.timestamp, "timestamp")) return problem;
  return text_problem(fields.country, "country");
}

// Free text kept as given: a string verbatim, any other JSON value as its compact text.
std::optional<std::string> optional_text(json* field) {
  if (field == nullptr || field->is_null()) return std::nullopt;
  if (field->is_string()) return std::move(field->get_ref<std::string&>());
  return compact_json(*field);
}

SensorReading to_reading(const Fields& fields) {
  SensorReading reading;
  reading.id = std::move(fields.id->get_ref<std::string&>());
  reading.latitude = fields.lat->get<double>();
  reading.longitude = fields.lon->get<double>();
  reading.temperature = fields.temperature->get<double>();
  reading.timestamp = optional_text(fields.timestamp);
  reading.country = optional_text(fields.country);
  return reading;
}

// The deepest nesting of arrays and objects in JSON text, brackets inside strings excluded.
int nesting_depth(std::string_view text) {
  int depth = 0;
  int deepest = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;  // whatever is escaped cannot end the string
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return deepest;
}

}  // namespace

std::string too_deep_reason() {
  return "record nests deeper than " + std::to_string(kMaxRecordNesting) + " levels";
}

std::string json_error_detail(const std::string& what) {
  constexpr std::size_t kMaxDetailChars = 200;
  std::string detail = what;
  if (detail.rfind("[json.exception.", 0) == 0) {
    if (const auto end = detail.find("] "); end != std::string::npos) detail.erase(0, end + 2);
  }
  if (detail.rfind("parse error at line", 0) == 0) {
    if (const auto colon = detail.find(": "); colon != std::string::npos)
      detail.erase(0, colon + 2);
  }
  if (detail.size() > kMaxDetailChars) detail = detail.substr(0, kMaxDetailChars) + "...";
  // nlohmann quotes the offending bytes as read: an ill-formed UTF-8 byte would go out verbatim.
  return valid_utf8(detail);
}

std::string compact_json(const json& value) {
  // The parser already rejected invalid UTF-8; `replace` only guards against a future caller.
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::variant<SensorReading, std::string> validate_record(json& record) {
  if (!record.is_object()) {
    return "record is not an object (" + std::string(record.type_name()) + ")";
  }
  const Fields fields = fields_of(record);
  if (auto problem = first_problem(fields)) return std::move(*problem);
  return to_reading(fields);  // moves strings out: only once nothing can reject the record
}

}  // namespace meteo::sensor_feed

namespace meteo {

std::variant<SensorReading, std::string> validate_sensor_record(std::string_view record_json) {
  if (sensor_feed::nesting_depth(record_json) > sensor_feed::kMaxRecordNesting) {
    return sensor_feed::too_deep_reason();
  }
  sensor_feed::Json record;
  try {
    record = sources_json::parse_keeping_duplicate_keys(record_json);
  } catch (const sensor_feed::Json::parse_error& error) {
    // `byte` counts the offending character (or the end of input) itself.
    const std::size_t offset = error.byte > 0 ? error.byte - 1 : 0;
    return "record is not valid JSON at byte " + std::to_string(offset) + ": " +
           sensor_feed::json_error_detail(error.what());
  } catch (const sensor_feed::Json::exception& error) {  // e.g. a number overflowing a double
    return "record is not valid JSON: " + sensor_feed::json_error_detail(error.what());
  }
  if (auto problem = sources_json::duplicate_key_problem(record)) return std::move(*problem);
  return sensor_feed::validate_record(record);
}

}  // namespace meteo
