// Plausible Toulouse weather as pure functions of (seed, station, instant): nothing is stored, so
// a year of quarter-hours costs nothing until a request asks for it, and the same options always
// give the same numbers.
#pragma once

#include <cstdint>
#include <string_view>

#include "civil_time.hpp"

namespace portal_sim {

// Stateless randomness: splitmix64 over the inputs. Stable across compilers and libraries,
// unlike std::hash and the std::*_distribution classes.
std::uint64_t mix(std::uint64_t value);
std::uint64_t hash_text(std::string_view text);  // FNV-1a
std::uint64_t hash_of(std::uint64_t a, std::uint64_t b, std::uint64_t c = 0, std::uint64_t d = 0);
double unit_interval(std::uint64_t bits);  // [0, 1)

// Independent random streams, so adding a quantity never shifts the others.
enum class Channel : std::uint64_t {
  gap = 1,
  duplicate,
  temperature,
  humidity,
  pressure,
  wind,
  gust,
  direction,
  gust_direction,
  rain_cell,
  rain_amount,
  rain_peak,
  station_offset,
  exposure,
  generic_field,
};

// Where a station stands, as far as its climate is concerned.
struct StationSite {
  bool known = false;         // listed in the stations file
  double latitude = 43.6045;  // unknown stations sit at the Capitole
  double longitude = 1.4440;
  double altitude_m = 146.0;
};

struct Reading {
  double temperature_c = 0;  // one decimal
  int humidity_percent = 0;
  int pressure_pa = 0;
  double rain_mm = 0;       // in the quarter-hour: tipping-bucket steps of 0.2 mm
  double rain_peak_mm = 0;  // the wettest minute
  int wind_mean_kmh = 0;
  int gust_kmh = 0;            // >= wind_mean_kmh
  int wind_direction_deg = 0;  // where the mean wind comes from, 0..359
  int gust_sector = 0;         // 0..15, sixteenths of the compass
};

// The city's weather (fronts, pressure, wind regime) from the seed, and each station's reading
// on top of it: a seasonal mean, a daily cycle (coldest about 06:00 local time, warmest about
// 15:00), an urban heat island strongest at night, altitude, and a little sensor noise.
class WeatherModel {
 public:
  explicit WeatherModel(std::uint64_t seed);
  Reading reading(std::uint64_t station_key, const StationSite& site, Seconds at) const;

 private:
  double anomaly_c(Seconds at) const;
  double sea_level_pressure_pa(Seconds at) const;
  double city_wind_kmh(Seconds at) const;
  double city_wind_direction_deg(Seconds at) const;
  double shower_mm(Seconds at) const;                             // 0 when it is dry over the city
  double station_draw(std::uint64_t key, Channel channel) const;  // fixed per station, [0, 1)
  double slot_draw(std::uint64_t key, Seconds at, Channel channel) const;  // per reading
  double station_temperature(std::uint64_t key, const StationSite& site, Seconds at) const;
  void add_rain(std::uint64_t key, Seconds at, Reading& r) const;
  void add_wind(std::uint64_t key, Seconds at, double cycle, Reading& r) const;

  std::uint64_t seed_;
  double phase_[6];
};

}  // namespace portal_sim
