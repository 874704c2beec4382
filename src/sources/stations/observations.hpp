// Internal to the sources module: validation of station records and the gathering of several
// bodies (pages of one window) into one ParsedObservations.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "json_fields.hpp"
#include "meteo/sources/stations/portal.hpp"

namespace meteo::stations_json {

// Validates one already-parsed record; see validate_observation.
std::variant<WeatherObservation, std::string> validate_record(const Json& record,
                                                              const std::string& dataset_id,
                                                              const ObservationFields& fields,
                                                              UtcSeconds now);

// Accumulates the records of one or more bodies (positions run on across bodies), then drops
// duplicate times of a station (the later record wins) and orders by station, then time. With a
// station field, each record's station is learnt from its own attributes, the first valid record
// of each station giving them but its name, which is the newest naming record's (a renamed
// station takes its new name whatever order the records came in); a record without the field is
// rejected.
class ObservationCollector {
 public:
  ObservationCollector(std::string dataset_id, const ObservationFields& fields, UtcSeconds now,
                       StationKeying keying = {});

  // `body` is a records page or an export array; throws Error(data) naming `origin`.
  void add(const Json& body, std::string_view origin);
  ParsedObservations finish() &&;

 private:
  // The record's station key (remembering its station when first seen), or why it has none.
  std::optional<std::string> station_key(const Json& record, UtcSeconds observed_at,
                                         std::string& reason);

  // A station learnt from the records: where it is in parsed_.stations, and the time of the
  // record its name came from.
  struct SeenStation {
    std::size_t index = 0;
    std::optional<UtcSeconds> named_at;
  };

  std::string dataset_id_;
  const ObservationFields& fields_;
  UtcSeconds now_;
  StationKeying keying_;
  std::map<std::string, SeenStation> seen_stations_;
  ParsedObservations parsed_;
};

}  // namespace meteo::stations_json
