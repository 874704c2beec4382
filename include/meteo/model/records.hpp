// Plain data that flows down the pipeline: fetch -> parse/validate -> match -> aggregate -> load.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace meteo {

// One valid record of the partner's sensor feed.
struct SensorReading {
  std::string id;
  double latitude = 0;
  double longitude = 0;
  double temperature = 0;                // degrees Celsius
  std::optional<std::string> timestamp;  // stored as given (JSON text when not a string)
  std::optional<std::string> country;    // stored as given, never trusted for matching
};

// A record that failed validation, kept verbatim with the reason.
struct RejectedRecord {
  std::size_t position = 0;  // index in the payload array
  std::string reason;
  std::string record_json;
};

// One area of a region set, in source order (its index in RegionSet::regions is its ordinal).
struct Region {
  std::string code;
  std::string name;
  std::string geometry_geojson;  // a GeoJSON Polygon or MultiPolygon geometry object
};

struct RegionSet {
  std::string name;
  std::string checksum;  // of the document it was loaded from: identifies the version
  std::vector<Region> regions;
};

// A valid reading with, for each region set of its source (same order), the index of the region
// that covers it, or nothing when it lies outside every region of that set.
struct MatchedReading {
  SensorReading reading;
  std::vector<std::optional<std::size_t>> region_index;
};

// A weather station of an Opendatasoft network.
struct WeatherStation {
  std::string dataset_id;  // lower-cased: the portal mixes cases between the list and the catalogue
  std::string number;      // id_numero as text (not unique across the network)
  std::string commune;     // as the portal names it
  std::string type;        // ISS, TH...
  double latitude = 0;
  double longitude = 0;
  std::optional<double> altitude;
  std::string name;  // the source's own (SYNOP's nom, "TOULOUSE-BLAGNAC"); empty when it has none
};

// One record, units normalised: hPa, mm, km/h, degrees, °C, %.
struct WeatherObservation {
  std::string dataset_id;
  std::chrono::sys_seconds observed_at;
  std::optional<double> temperature_c, humidity_pct, pressure_hpa, rain_mm, rain_intensity_max_mm,
      wind_speed_kmh, gust_kmh, wind_direction_deg;
};

// A station with, per region set of its source (in the source's order), the index of the
// area that covers it, or nothing.
struct MatchedStation {
  WeatherStation station;
  std::vector<std::optional<std::size_t>> region_index;
};

}  // namespace meteo
