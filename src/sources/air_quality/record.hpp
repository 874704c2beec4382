// Internal to the sources module: one air-quality record as a front end (CSV row, JSON feature)
// reads it, and its validation into a station and a measurement, common to both.
#pragma once

#include <chrono>
#include <cstddef>
#include <iterator>
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

// Each attribute of a RawRecord with the setting that names it: the one list both front ends
// walk. `required`: a CSV without the column is malformed; `position`: the CSV's X/Y columns,
// a query page's geometry instead of an attribute.
struct RawField {
  std::string AirQualityFields::*name;
  std::optional<std::string> RawRecord::*value;
  bool required;
  bool position;
};

inline constexpr RawField kRawFields[] = {
    {&AirQualityFields::station_code, &RawRecord::station_code, true, false},
    {&AirQualityFields::station_name, &RawRecord::station_name, false, false},
    {&AirQualityFields::commune, &RawRecord::commune, false, false},
    {&AirQualityFields::insee, &RawRecord::insee, false, false},
    {&AirQualityFields::department, &RawRecord::department, false, false},
    {&AirQualityFields::typology, &RawRecord::typology, false, false},
    {&AirQualityFields::influence, &RawRecord::influence, false, false},
    {&AirQualityFields::pollutant, &RawRecord::pollutant, true, false},
    {&AirQualityFields::pollutant_id, &RawRecord::pollutant_id, true, false},
    {&AirQualityFields::value, &RawRecord::value, true, false},
    {&AirQualityFields::unit, &RawRecord::unit, true, false},
    {&AirQualityFields::metric, &RawRecord::metric, true, false},
    {&AirQualityFields::start, &RawRecord::start, true, false},
    {&AirQualityFields::end, &RawRecord::end, true, false},
    {&AirQualityFields::validation, &RawRecord::validation, true, false},
    {&AirQualityFields::object_id, &RawRecord::object_id, true, false},
    {&AirQualityFields::longitude, &RawRecord::longitude, true, true},
    {&AirQualityFields::latitude, &RawRecord::latitude, true, true},
};
inline constexpr std::size_t kRawFieldCount = std::size(kRawFields);

// A RawRecord filled by `read(field, index)` (index into kRawFields): the front end's reader of
// one attribute, given its table row.
template <class Read>
RawRecord read_raw_record(Read&& read) {
  RawRecord raw;
  for (std::size_t i = 0; i < kRawFieldCount; ++i)
    raw.*kRawFields[i].value = read(kRawFields[i], i);
  return raw;
}

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
