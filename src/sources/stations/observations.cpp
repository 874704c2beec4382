// Validation of the records of a station dataset: time with offset, units, physical ranges.
#include "observations.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <tuple>
#include <utility>

#include "../duplicate_keys.hpp"
#include "catalog.hpp"
#include "file_records.hpp"
#include "meteo/core/errors.hpp"

namespace meteo::stations_json {
namespace {

struct Range {
  double min;
  double max;
  const char* unit;
};

constexpr Range kTemperature{-60, 60, "°C"};
constexpr Range kHumidity{0, 100, "%"};
constexpr Range kPressure{850, 1100, "hPa"};
constexpr Range kRain{0, 500, "mm"};
constexpr Range kWind{0, 400, "km/h"};
constexpr Range kDirection{0, 360, "degrees"};

std::string format_number(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%g", value);
  return buffer;
}

std::string range_text(const Range& range) {
  return "[" + format_number(range.min) + ", " + format_number(range.max) + "] " + range.unit;
}

// A portal unit into the stored one: stored = value * scale / divisor + offset (Pa divides by
// 100, as it always has, so Toulouse's stored pressures stay the same to the last bit).
struct Conversion {
  double scale = 1;
  double divisor = 1;
  double offset = 0;
  bool identity() const { return scale == 1 && divisor == 1 && offset == 0; }
  double apply(double value) const { return value * scale / divisor + offset; }
};

// Units the config reader accepted; anything else is a configuration error naming the unit.
Conversion unit_conversion(const std::string& unit, const char* what) {
  if (unit == "degC" || unit == "hPa" || unit == "km/h") return {};
  if (unit == "K") return {1, 1, -273.15};
  if (unit == "Pa") return {1, 100, 0};
  if (unit == "m/s") return {3.6, 1, 0};
  throw Error(ExitCode::config, std::string(what) + " unit \"" + unit + "\" is not known");
}

// A rain accumulation this little below zero is how a trace is coded (SYNOP reports "-0.1"):
// less than 0.1 mm fell, stored as 0 mm.
constexpr double kRainTraceFloor = -0.1;

// Builds the observation field by field; the first problem stops it.
class RecordValidator {
 public:
  RecordValidator(const Json& record, const ObservationFields& fields)
      : record_(record), fields_(fields) {}

  std::optional<UtcSeconds> time(UtcSeconds now) {
    const auto it = record_.find(fields_.time);
    if (it == record_.end() || it->is_null()) return fail("missing field " + fields_.time);
    if (!it->is_string()) {
      return fail("field " + fields_.time + " is not a string (" + describe(*it) + ")");
    }
    const auto moment = parse_timestamp_with_offset(it->get_ref<const std::string&>());
    if (!moment) {
      return fail("field " + fields_.time + " is not a date-time with offset (" + describe(*it) +
                  ")");
    }
    if (*moment > now) {
      return fail("dated in the future (" + to_iso8601(*moment) + " > now " + to_iso8601(now) +
                  ")");
    }
    return moment;
  }

  // Missing or null: nothing measured. `conversion` turns the portal's unit into the stored one.
  std::optional<double> measure(const std::string& field, const Range& range,
                                Conversion conversion = {}) {
    if (field.empty() || failed()) return std::nullopt;
    const auto it = record_.find(field);
    if (it == record_.end() || it->is_null()) return std::nullopt;
    // is_number() is false for booleans, and a numeric string is still a string.
    if (!it->is_number()) {
      fail("field " + field + " is not a number (" + describe(*it) + ")");
      return std::nullopt;
    }
    const double value = conversion.apply(it->get<double>());
    if (!std::isfinite(value) || value < range.min || value > range.max) {
      fail(field + " " + compact(*it) + converted_note(value, conversion, range) + " is outside " +
           range_text(range));
      return std::nullopt;
    }
    return value;
  }

  // One accumulation field, never a sum of several: a trace (kRainTraceFloor <= value < 0) is 0.
  std::optional<double> rain(const std::string& field) {
    if (field.empty() || failed()) return std::nullopt;
    const auto it = record_.find(field);
    if (it != record_.end() && it->is_number() && it->get<double>() < 0) {
      if (it->get<double>() >= kRainTraceFloor) return 0.0;
      fail(field + " " + compact(*it) + " is below " + format_number(kRainTraceFloor) +
           " mm, the trace code: a negative accumulation");
      return std::nullopt;
    }
    return measure(field, kRain);
  }

  bool failed() const { return reason_.has_value(); }
  std::string take_reason() { return std::move(*reason_); }

 private:
  static std::string converted_note(double value, Conversion conversion, const Range& range) {
    if (conversion.identity()) return "";
    return " (" + format_number(value) + " " + range.unit + ")";
  }

  std::nullopt_t fail(std::string reason) {
    if (!reason_) reason_ = std::move(reason);
    return std::nullopt;
  }

  const Json& record_;
  const ObservationFields& fields_;
  std::optional<std::string> reason_;
};

}  // namespace

std::variant<WeatherObservation, std::string> validate_record(const Json& record,
                                                              const std::string& dataset_id,
                                                              const ObservationFields& fields,
                                                              UtcSeconds now) {
  if (auto problem = sources_json::overflow_problem(record)) return std::move(*problem);
  if (!record.is_object()) return "record is not an object (" + describe(record) + ")";
  if (auto problem = sources_json::duplicate_key_problem(record)) return std::move(*problem);
  RecordValidator check(record, fields);
  const auto observed_at = check.time(now);
  if (!observed_at) return check.take_reason();
  WeatherObservation observation;
  observation.dataset_id = dataset_id;
  observation.observed_at = *observed_at;
  observation.temperature_c = check.measure(
      fields.temperature, kTemperature, unit_conversion(fields.temperature_unit, "temperature"));
  observation.humidity_pct = check.measure(fields.humidity, kHumidity);
  observation.pressure_hpa =
      check.measure(fields.pressure, kPressure, unit_conversion(fields.pressure_unit, "pressure"));
  observation.rain_mm = check.rain(fields.rain);
  observation.rain_intensity_max_mm = check.measure(fields.rain_intensity_max, kRain);
  observation.wind_speed_kmh = check.measure(fields.wind_speed, kWind,
                                             unit_conversion(fields.wind_speed_unit, "wind speed"));
  observation.gust_kmh =
      check.measure(fields.gust, kWind, unit_conversion(fields.gust_unit, "gust"));
  observation.wind_direction_deg = check.measure(fields.wind_direction, kDirection);
  if (check.failed()) return check.take_reason();
  return observation;
}

ObservationCollector::ObservationCollector(std::string dataset_id, const ObservationFields& fields,
                                           UtcSeconds now, StationKeying keying)
    : dataset_id_(std::move(dataset_id)), fields_(fields), now_(now), keying_(std::move(keying)) {
  // The station field is the key; the attributes are read beside it.
  keying_.attributes.dataset = keying_.field;
}

std::optional<std::string> ObservationCollector::station_key(const Json& record,
                                                             UtcSeconds observed_at,
                                                             std::string& reason) {
  if (keying_.field.empty()) return dataset_id_;
  const auto it = record.find(keying_.field);
  if (it == record.end() || it->is_null()) {
    reason = "missing field " + keying_.field + " (the station)";
    return std::nullopt;
  }
  // A WMO id is text: 07630 read as a number would lose its leading zero.
  if (!it->is_string()) {
    reason = "field " + keying_.field + " is not text (" + describe(*it) + ")";
    return std::nullopt;
  }
  auto station = read_station(record, keying_.attributes);
  if (auto* problem = std::get_if<std::string>(&station)) {
    reason = "station " + std::move(*problem);
    return std::nullopt;
  }
  auto& found = std::get<WeatherStation>(station);
  std::string key = found.dataset_id;
  const auto [seen, first] = seen_stations_.try_emplace(key, SeenStation{parsed_.stations.size()});
  // On equal times the later record names the station, as it wins among observations.
  auto& named_at = seen->second.named_at;
  const bool newer_name = !found.name.empty() && (!named_at || observed_at >= *named_at);
  if (newer_name) named_at = observed_at;
  if (first) {
    parsed_.stations.push_back(std::move(found));
  } else if (newer_name) {
    parsed_.stations[seen->second.index].name = std::move(found.name);
  }
  return key;
}

// The record is checked whole first (its shape, time and measurements), then its station.
void ObservationCollector::add(const Json& body, std::string_view origin) {
  for (const Json& record : record_array(body, origin, "body")) {
    const std::size_t position = parsed_.record_count++;
    auto outcome = validate_record(record, dataset_id_, fields_, now_);
    std::string reason;
    if (auto* observation = std::get_if<WeatherObservation>(&outcome)) {
      if (auto key = station_key(record, observation->observed_at, reason)) {
        observation->dataset_id = std::move(*key);
        parsed_.observations.push_back(std::move(*observation));
        continue;
      }
    } else {
      reason = std::move(std::get<std::string>(outcome));
    }
    parsed_.rejected.push_back({position, std::move(reason), compact(record)});
  }
}

ParsedObservations ObservationCollector::finish() && {
  auto& all = parsed_.observations;
  // Stable: among records of the same station and time, the one that came later stays later.
  std::stable_sort(all.begin(), all.end(), [](const auto& a, const auto& b) {
    return std::tie(a.dataset_id, a.observed_at) < std::tie(b.dataset_id, b.observed_at);
  });
  std::vector<WeatherObservation> unique;
  unique.reserve(all.size());
  for (auto& observation : all) {
    if (!unique.empty() && unique.back().observed_at == observation.observed_at &&
        unique.back().dataset_id == observation.dataset_id) {
      unique.back() = std::move(observation);  // the later record wins
      ++parsed_.duplicates;
    } else {
      unique.push_back(std::move(observation));
    }
  }
  all = std::move(unique);
  return std::move(parsed_);
}

}  // namespace meteo::stations_json

namespace meteo {

std::variant<WeatherObservation, std::string> validate_observation(std::string_view record_json,
                                                                   const std::string& dataset_id,
                                                                   const ObservationFields& fields,
                                                                   UtcSeconds now) {
  stations_json::Json record;
  try {
    // A number past a double's range is kept as a marker: validate_record names it.
    record =
        sources_json::parse_keeping_duplicate_keys(record_json, sources_json::Overflows::marked);
  } catch (const stations_json::Json::parse_error& error) {
    return "record is not valid JSON at byte " +
           std::to_string(error.byte > 0 ? error.byte - 1 : 0);
  }
  return stations_json::validate_record(record, dataset_id, fields, now);
}

StationKeying station_keying(const StationNetworkConfig& network) {
  return {network.station_field, network.station_fields};
}

ParsedObservations parse_observations(std::string_view body, const std::string& dataset_id,
                                      const ObservationFields& fields, UtcSeconds now,
                                      std::string_view origin, const StationKeying& keying) {
  stations_json::ObservationCollector collector(dataset_id, fields, now, keying);
  collector.add(stations_json::parse_records(body, origin, "body"), origin);
  return std::move(collector).finish();
}

ParsedObservations parse_observation_file(std::string_view body, std::string_view name,
                                          std::optional<sources::FileFormat> format,
                                          const std::string& dataset_id,
                                          const ObservationFields& fields, UtcSeconds now,
                                          const StationKeying& keying) {
  if (!format) format = stations_json::file_format_of_name(name);
  stations_json::ObservationCollector collector(dataset_id, fields, now, keying);
  collector.add(stations_json::file_records(body, name, *format, fields, keying.attributes), name);
  return std::move(collector).finish();
}

}  // namespace meteo
