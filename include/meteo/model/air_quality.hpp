// Air-quality records of an ATMO-style source (ArcGIS layer or hub CSV), as they flow down the
// pipeline: stations found in the records themselves, and one hourly value per record.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "meteo/core/time.hpp"

namespace meteo {

// A measuring station, as its records describe it (no separate station list is read).
struct AirQualityStation {
  std::string code;  // code_station ("FR50044"); every text here is trimmed
  std::string name, commune, insee, department, typology, influence;
  double latitude = 0;   // the geometry (outSR=4326) or the CSV's Y
  double longitude = 0;  // the geometry or the CSV's X
};

// The normalised pollutant codes: what parsers produce and what readers accept.
inline constexpr std::array<std::string_view, 10> kAirQualityPollutants{
    "NO2", "NO", "NOX", "O3", "PM10", "PM2.5", "SO2", "H2S", "CO", "C6H6"};

// One hourly value of one pollutant at one station.
struct AirQualityMeasurement {
  std::string station_code;
  std::string pollutant;       // one of kAirQualityPollutants
  UtcSeconds measured_at;      // date_debut: the start of the hour, UTC
  double value_ugm3 = 0;       // may be negative, down to the source's floor
  bool validated = false;      // statut_valid: false while provisional
  std::int64_t object_id = 0;  // the source's row id: messages and duplicate order only
};

}  // namespace meteo
