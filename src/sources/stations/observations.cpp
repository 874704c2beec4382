// Validation of the records of a station dataset: time with offset, units, physical ranges.
#include "observations.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <utility>

#include "../duplicate_keys.hpp"
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

// Pressure arrives in Pa on Toulouse's portal; everything is stored in hPa.
double pressure_divisor(const ObservationFields& fields) {
  if (fields.pressure_unit == "Pa") return 100;
  if (fields.pressure_unit == "hPa") return 1;
  throw Error(ExitCode::config, "pressure unit \"" + fields.pressure_unit + "\" is not Pa or hPa");
}

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

  // Missing or null: nothing measured. `divisor` converts the portal's unit into the stored one.
  std::optional<double> measure(const std::string& field, const Range& range, double divisor = 1) {
    if (field.empty() || failed()) return std::nullopt;
    const auto it = record_.find(field);
    if (it == record_.end() || it->is_null()) return std::nullopt;
    // is_number() is false for booleans, and a numeric string is still a string.
    if (!it->is_number()) {
      fail("field " + field + " is not a number (" + describe(*it) + ")");
      return std::nullopt;
    }
    const double value = it->get<double>() / divisor;
    if (!std::isfinite(value) || value < range.min || value > range.max) {
      fail(field + " " + compact(*it) + converted_note(value, divisor, range) + " is outside " +
           range_text(range));
      return std::nullopt;
    }
    return value;
  }

  bool failed() const { return reason_.has_value(); }
  std::string take_reason() { return std::move(*reason_); }

 private:
  static std::string converted_note(double value, double divisor, const Range& range) {
    if (divisor == 1) return "";
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
  observation.temperature_c = check.measure(fields.temperature, kTemperature);
  observation.humidity_pct = check.measure(fields.humidity, kHumidity);
  observation.pressure_hpa = check.measure(fields.pressure, kPressure, pressure_divisor(fields));
  observation.rain_mm = check.measure(fields.rain, kRain);
  observation.rain_intensity_max_mm = check.measure(fields.rain_intensity_max, kRain);
  observation.wind_speed_kmh = check.measure(fields.wind_speed, kWind);
  observation.gust_kmh = check.measure(fields.gust, kWind);
  observation.wind_direction_deg = check.measure(fields.wind_direction, kDirection);
  if (check.failed()) return check.take_reason();
  return observation;
}

ObservationCollector::ObservationCollector(std::string dataset_id, const ObservationFields& fields,
                                           UtcSeconds now)
    : dataset_id_(std::move(dataset_id)), fields_(fields), now_(now) {}

void ObservationCollector::add(const Json& body, std::string_view origin) {
  for (const Json& record : record_array(body, origin, "body")) {
    const std::size_t position = parsed_.record_count++;
    auto outcome = validate_record(record, dataset_id_, fields_, now_);
    if (auto* observation = std::get_if<WeatherObservation>(&outcome)) {
      parsed_.observations.push_back(std::move(*observation));
    } else {
      parsed_.rejected.push_back(
          {position, std::move(std::get<std::string>(outcome)), compact(record)});
    }
  }
}

ParsedObservations ObservationCollector::finish() && {
  auto& all = parsed_.observations;
  // Stable: among records of the same time, the one that came later stays later.
  std::stable_sort(all.begin(), all.end(),
                   [](const auto& a, const auto& b) { return a.observed_at < b.observed_at; });
  std::vector<WeatherObservation> unique;
  unique.reserve(all.size());
  for (auto& observation : all) {
    if (!unique.empty() && unique.back().observed_at == observation.observed_at) {
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

ParsedObservations parse_observations(std::string_view body, const std::string& dataset_id,
                                      const ObservationFields& fields, UtcSeconds now,
                                      std::string_view origin) {
  stations_json::ObservationCollector collector(dataset_id, fields, now);
  collector.add(stations_json::parse_records(body, origin, "body"), origin);
  return std::move(collector).finish();
}

}  // namespace meteo
