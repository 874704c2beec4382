// Air quality read back: the rows behind `query air-quality`, `export --what air-quality-hourly`
// and the dashboard's air-quality files. Read-only.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "meteo/core/time.hpp"
#include "meteo/store/database.hpp"

namespace meteo {

// Every reader of the index says so: it is not the official zone index.
inline constexpr std::string_view kIndicativeIndexNote =
    "indicative, computed from station measurements";

// The pollutant names a measurement may carry (the model's normalised names).
const std::vector<std::string>& air_quality_pollutant_names();

// What to read: every filter is optional; from/to are included (days: the days of those hours).
struct AirQualityFilter {
  std::optional<std::string> source, station, pollutant;
  std::optional<UtcSeconds> from, to;
  std::size_t limit = 1000;
};

struct AirQualityIndexRow {
  std::string source, station_code, station_name;
  std::string day;  // "2026-11-22"
  int index_class = 0;
  std::string label, dominant_pollutant, method;
  int sub_indices = 0;
};

struct AirQualityDailyRow {
  std::string source, station_code, pollutant;
  std::string day;
  double mean_ugm3 = 0, max_hourly_ugm3 = 0;
  int hours = 0, validated_hours = 0;
  bool representative = false;
  std::optional<int> sub_index;
};

struct AirQualityHourlyRow {
  std::string source, station_code, pollutant;
  UtcSeconds hour;
  double value_ugm3 = 0;
  bool validated = false;
};

struct AirQualityExceedanceRow {
  std::string source, station_code, pollutant, level, basis;
  UtcSeconds start_at, end_at;  // end exclusive
  int periods = 0;              // hours or days, as basis says
  double peak_ugm3 = 0;
  UtcSeconds peak_at;
};

struct AirQualityPairRow {
  std::string source, station_code, station_name, commune;
  std::optional<std::string> weather_source, weather_dataset;  // none: no station close enough
  std::optional<double> distance_km;
};

// Newest first (day, hour or start), then source, station and pollutant; at most filter.limit.
std::vector<AirQualityIndexRow> query_air_quality_index(Database& db,
                                                        const AirQualityFilter& filter);
std::vector<AirQualityDailyRow> query_air_quality_daily(Database& db,
                                                        const AirQualityFilter& filter);
std::vector<AirQualityHourlyRow> query_air_quality_hourly(Database& db,
                                                          const AirQualityFilter& filter);
// Runs overlapping [from, to]: starting at or before `to`, ending after `from`.
std::vector<AirQualityExceedanceRow> query_air_quality_exceedances(Database& db,
                                                                   const AirQualityFilter& filter);
// Every station (pollutant and times do not apply), with its pair if any, by source and code.
std::vector<AirQualityPairRow> query_air_quality_pairs(Database& db,
                                                       const AirQualityFilter& filter);

// One row of the view air_quality_weather_hourly, its names in comments.
struct AirQualityWeatherRow {
  std::string source;                          // AqSource
  std::string station_code;                    // StationCode
  std::string pollutant;                       // Pollutant
  UtcSeconds hour;                             // Hour
  double value_ugm3 = 0;                       // Value
  std::optional<std::string> weather_station;  // WeatherStation
  std::optional<double> distance_km;           // DistanceKm
  std::optional<double> temperature, humidity, wind_speed, wind_direction, rain;
};

// The view's rows with from <= Hour <= to (source and station when given), ascending by source,
// station, pollutant, hour; no limit.
std::vector<AirQualityWeatherRow> query_air_quality_weather(Database& db,
                                                            const AirQualityFilter& filter);

// A station of a source, as the dashboard lists it: its pair and its newest index, if any.
struct AirQualityStationSummary {
  std::string source, code, name, commune, typology, influence;
  double latitude = 0, longitude = 0;
  std::optional<std::string> weather_dataset;
  std::optional<double> distance_km;
  std::optional<AirQualityIndexRow> latest_index;
};
std::vector<AirQualityStationSummary> query_air_quality_stations(Database& db,
                                                                 const std::string& source);

// The sources with air-quality stations, by name.
std::vector<std::string> air_quality_sources(Database& db);
// The newest measurement of a source, if any.
std::optional<UtcSeconds> newest_air_quality_hour(Database& db, const std::string& source);
// Whether any source has a station with this code.
bool air_quality_station_exists(Database& db, const std::string& code);

}  // namespace meteo
