// The fast path of the sensor payload: a valid record read straight from simdjson's on-demand
// values, with nothing left that nlohmann would read otherwise.
#include "fast_record.hpp"

#include <cmath>
#include <optional>
#include <string_view>

#include "sensor_record.hpp"

namespace meteo::sensor_feed {
namespace {

namespace ondemand = simdjson::ondemand;

// The text of a string holding neither an escape nor a control character, consumed; or nothing,
// and the value left unread. simdjson does not refuse control characters in strings, which
// nlohmann does; escapes (and their surrogate rules) are left to nlohmann too.
std::optional<std::string_view> plain_string(ondemand::value& value) {
  // The string's JSON text and the whitespace after it.
  const std::string_view token = value.raw_json_token();
  if (token.empty() || token.front() != '"') return std::nullopt;
  const std::size_t close = token.find_last_of('"');
  if (close == 0) return std::nullopt;
  const std::string_view text = token.substr(1, close - 1);
  for (const char c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == '\\') return std::nullopt;
  }
  ondemand::raw_json_string consumed;
  if (value.get_raw_json_string().get(consumed)) return std::nullopt;
  return text;
}

// A number as nlohmann reads it, consumed; or nothing, and the value left unread. Both round
// correctly; only zero differs: nlohmann reads "-0" as the integer 0, "-0.0" as a float -0.0.
std::optional<double> plain_number(ondemand::value& value) {
  const std::string_view token = value.raw_json_token();
  double number = 0;
  if (value.get_double().get(number)) return std::nullopt;
  if (number == 0) {
    const bool is_float = token.find_first_of(".eE") != std::string_view::npos;
    number = token.front() == '-' && is_float ? -0.0 : 0.0;
  }
  return number;
}

// Any other field's value: a plain scalar is read here (as validation), anything else is not.
bool plain_scalar(ondemand::value& value) {
  ondemand::json_type type;
  if (value.type().get(type)) return false;
  switch (type) {
    case ondemand::json_type::string:
      return plain_string(value).has_value();
    case ondemand::json_type::number: {
      const auto number = plain_number(value);
      // Near a double's limit, the overflow filter's verdict is left to it.
      return number && std::abs(*number) <= 1e308;
    }
    case ondemand::json_type::boolean: {
      bool ignored = false;
      return !value.get_bool().get(ignored);
    }
    case ondemand::json_type::null: {
      bool null = false;
      return !value.is_null().get(null) && null;
    }
    default:
      return false;
  }
}

// A key of no field the record uses, when plain: its text, with no escape (which could spell
// one of the fields) nor control character.
std::optional<std::string_view> plain_other_key(const ondemand::raw_json_string& key) {
  const char* const start = key.raw();
  for (const char* at = start;; ++at) {
    if (*at == '"') return std::string_view(start, static_cast<std::size_t>(at - start));
    if (static_cast<unsigned char>(*at) < 0x20 || *at == '\\') return std::nullopt;
  }
}

// The fields of a record as the fast path finds them (views into the batch).
struct FastFields {
  enum Seen : unsigned {
    kId = 1,
    kLat = 2,
    kLon = 4,
    kTemperature = 8,
    kTimestamp = 16,
    kCountry = 32
  };
  static constexpr unsigned kRequired = kId | kLat | kLon | kTemperature;
  static constexpr std::size_t kMaxOtherKeys = 8;

  unsigned seen = 0;
  std::string_view id;
  double lat = 0;
  double lon = 0;
  double temperature = 0;
  std::optional<std::string_view> timestamp;
  std::optional<std::string_view> country;
  std::string_view other_keys[kMaxOtherKeys];
  std::size_t other_count = 0;

  // False for a key given twice (or too many other keys to check cheaply).
  bool first_time(unsigned field) {
    if (seen & field) return false;
    seen |= field;
    return true;
  }
  bool first_other(std::string_view key) {
    if (other_count == kMaxOtherKeys) return false;
    for (std::size_t i = 0; i < other_count; ++i) {
      if (other_keys[i] == key) return false;
    }
    other_keys[other_count++] = key;
    return true;
  }
};

bool read_number(ondemand::value& value, double& into) {
  const auto number = plain_number(value);
  if (!number) return false;
  into = *number;
  return true;
}

// timestamp and country: a plain string, or null (absent).
bool read_free_text(ondemand::value& value, std::optional<std::string_view>& into) {
  bool null = false;
  if (!value.is_null().get(null) && null) return true;
  into = plain_string(value);
  return into.has_value();
}

// Reads one field; false when the record is left to the exact reader.
bool read_field(ondemand::field& field, FastFields& fields) {
  const ondemand::raw_json_string key = field.key();
  ondemand::value& value = field.value();
  if (key.unsafe_is_equal("id")) {
    if (!fields.first_time(FastFields::kId)) return false;
    const auto id = plain_string(value);
    if (!id) return false;
    fields.id = *id;
    return true;
  }
  if (key.unsafe_is_equal("lat")) {
    return fields.first_time(FastFields::kLat) && read_number(value, fields.lat);
  }
  if (key.unsafe_is_equal("lon")) {
    return fields.first_time(FastFields::kLon) && read_number(value, fields.lon);
  }
  if (key.unsafe_is_equal("temperature")) {
    return fields.first_time(FastFields::kTemperature) && read_number(value, fields.temperature);
  }
  if (key.unsafe_is_equal("timestamp")) {
    return fields.first_time(FastFields::kTimestamp) && read_free_text(value, fields.timestamp);
  }
  if (key.unsafe_is_equal("country")) {
    return fields.first_time(FastFields::kCountry) && read_free_text(value, fields.country);
  }
  const auto other = plain_other_key(key);
  return other && fields.first_other(*other) && plain_scalar(value);
}

// Whether the fields make a valid reading: any doubt (a reject) is the exact reader's to word.
bool valid_reading(const FastFields& fields) {
  const auto fits = [](const std::optional<std::string_view>& text) {
    return !text || text->size() <= kMaxStoredTextBytes;
  };
  return (fields.seen & FastFields::kRequired) == FastFields::kRequired && !fields.id.empty() &&
         fields.id.size() <= kMaxStoredTextBytes && kLatitude.contains(fields.lat) &&
         kLongitude.contains(fields.lon) && kTemperature.contains(fields.temperature) &&
         fits(fields.timestamp) && fits(fields.country);
}

}  // namespace

FastOutcome read_fast(ondemand::value& element, SensorReading& reading) {
  ondemand::object object;
  if (element.get_object().get(object)) return FastOutcome::exact;
  FastFields fields;
  for (auto result : object) {
    ondemand::field field;
    if (std::move(result).get(field)) return FastOutcome::broken;
    if (!read_field(field, fields)) return FastOutcome::exact;
  }
  if (!valid_reading(fields)) return FastOutcome::exact;
  reading.id.assign(fields.id);
  reading.latitude = fields.lat;
  reading.longitude = fields.lon;
  reading.temperature = fields.temperature;
  if (fields.timestamp) reading.timestamp.emplace(*fields.timestamp);
  if (fields.country) reading.country.emplace(*fields.country);
  return FastOutcome::reading;
}

}  // namespace meteo::sensor_feed
