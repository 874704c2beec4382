// Internal to the sources module: one air-quality record as a front end (CSV row, JSON feature)
// reads it, and its validation into a station and a measurement, common to both.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "meteo/core/time.hpp"
#include "meteo/model/air_quality.hpp"
#include "meteo/sources/air_quality/settings.hpp"

namespace meteo::air_quality {

// Each attribute as text, untrimmed, or nothing when absent (a JSON null or missing key). A
// JSON number or boolean comes as its JSON text ("17.8", "true"), so both front ends share
// one set of checks.
struct RawRecord {
  std::optional<std::string> station_code, station_name, commune, insee, department, typology,
      influence, pollutant, pollutant_id, value, unit, metric, start, end, validation, object_id,
      longitude, latitude;
};

// What differs between the front ends besides the attributes' types.
struct RecordForm {
  enum class Dates { iso_utc, epoch_millis } dates;
  std::string_view longitude_name;  // how a reason names the position: "X" or "geometry.x"
  std::string_view latitude_name;
};

struct ValidRecord {
  AirQualityStation station;
  AirQualityMeasurement measurement;
};

// The record, or why it is rejected (the first check that fails, naming field and value).
std::variant<ValidRecord, std::string> validate(const RawRecord& raw, const RecordForm& form,
                                                const AirQualityFields& fields,
                                                const AirQualityRules& rules, UtcSeconds now);

// "2020-03-14T10:00:00.000Z" (at most 3 fraction digits, or none), in milliseconds.
std::optional<std::chrono::sys_time<std::chrono::milliseconds>> parse_hub_time(
    std::string_view text);

}  // namespace meteo::air_quality
