// Internal to the sources module: gathers the records of one payload into a ParsedAirQuality,
// one station per code and one measurement per (station, pollutant, hour).
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <tuple>
#include <utility>
#include <variant>

#include "meteo/sources/air_quality/parse.hpp"
#include "record.hpp"

namespace meteo::air_quality {

class Census {
 public:
  // One record read: valid (kept or a duplicate) or the reason it is rejected, with the text
  // `stored_text()` gives, built only then (most records are valid).
  template <class StoredText>
  void add(std::variant<ValidRecord, std::string>&& outcome, std::size_t position,
           StoredText&& stored_text) {
    ++parsed_.record_count;
    if (auto* record = std::get_if<ValidRecord>(&outcome)) {
      keep(std::move(*record));
    } else {
      parsed_.rejected.push_back(
          {position, std::move(std::get<std::string>(outcome)), stored_text()});
    }
  }
  // The records of a page parsed alone, merged under the same rule as within a page; its
  // rejects' positions (feature index in the page) moved by `position_offset` (its resultOffset).
  void absorb(ParsedAirQuality&& page, std::size_t position_offset);
  ParsedAirQuality finish() &&;

 private:
  using Key = std::tuple<std::string, std::string, UtcSeconds>;  // station, pollutant, hour
  void keep(ValidRecord&& record);
  void keep_station(AirQualityStation&& station);
  void keep_measurement(AirQualityMeasurement&& measurement);

  ParsedAirQuality parsed_;
  std::map<std::string, std::size_t, std::less<>> station_at_;  // code -> index in stations
  std::map<Key, std::size_t> measurement_at_;                   // key -> index in measurements
};

// Whether `candidate` should replace `kept`, of the same key: a validated value beats a
// provisional one (a correction), then the higher ObjectId (the later row).
bool supersedes(const AirQualityMeasurement& candidate, const AirQualityMeasurement& kept);

}  // namespace meteo::air_quality
