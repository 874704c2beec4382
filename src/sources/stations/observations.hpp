// Internal to the sources module: validation of station records and the gathering of several
// bodies (pages of one window) into one ParsedObservations.
#pragma once

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
// duplicate times (the later record wins) and orders by time.
class ObservationCollector {
 public:
  ObservationCollector(std::string dataset_id, const ObservationFields& fields, UtcSeconds now);

  // `body` is a records page or an export array; throws Error(data) naming `origin`.
  void add(const Json& body, std::string_view origin);
  ParsedObservations finish() &&;

 private:
  std::string dataset_id_;
  const ObservationFields& fields_;
  UtcSeconds now_;
  ParsedObservations parsed_;
};

}  // namespace meteo::stations_json
