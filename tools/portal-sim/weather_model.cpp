#include "weather_model.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace portal_sim {
namespace {

constexpr double kTwoPi = 2 * std::numbers::pi;

// The Capitole: the heart of the heat island.
constexpr double kCentreLatitude = 43.6045;
constexpr double kCentreLongitude = 1.4440;
constexpr double kCityAltitudeM = 146.0;

double rounded(double value, int decimals) {
  const double scale = std::pow(10.0, decimals);
  return std::round(value * scale) / scale;
}

double wave(Seconds at, double period_days, double phase) {
  return std::sin(kTwoPi * static_cast<double>(at) / (period_days * kDay) + phase);
}

// -1 at 06:00, +1 at 15:00 local time: nine hours of warming, fifteen of cooling.
double daily_cycle(double local_hour) {
  if (local_hour >= 6 && local_hour < 15) return -std::cos(std::numbers::pi * (local_hour - 6) / 9);
  const double since_peak = std::fmod(local_hour - 15 + 24, 24.0);
  return std::cos(std::numbers::pi * since_peak / 15);
}

double distance_to_centre_km(const StationSite& site) {
  const double east = (site.longitude - kCentreLongitude) * 111.32 *
                      std::cos(kCentreLatitude * std::numbers::pi / 180);
  const double north = (site.latitude - kCentreLatitude) * 110.57;
  return std::hypot(east, north);
}

struct LocalClock {
  double hour;
  double season;  // radians: 0 in mid-January, the coldest time of year
};

LocalClock local_clock(Seconds at) {
  const CivilTime local = civil_from_seconds(at + paris_offset_seconds(at));
  return {local.hour + local.minute / 60.0, kTwoPi * (day_of_year(local) - 18) / 365.25};
}

}  // namespace

std::uint64_t mix(std::uint64_t value) {
  value += 0x9E3779B97F4A7C15ULL;
  value = (value ^ (value >> 30)) * 0xBF58476D1CE4E5B9ULL;
  value = (value ^ (value >> 27)) * 0x94D049BB133111EBULL;
  return value ^ (value >> 31);
}

std::uint64_t hash_text(std::string_view text) {
  std::uint64_t hash = 14695981039346656037ULL;
  for (const unsigned char c : text) hash = (hash ^ c) * 1099511628211ULL;
  return hash;
}

std::uint64_t hash_of(std::uint64_t a, std::uint64_t b, std::uint64_t c, std::uint64_t d) {
  return mix(mix(mix(mix(a) ^ b) ^ c) ^ d);
}

double unit_interval(std::uint64_t bits) {
  return static_cast<double>(bits >> 11) * 0x1.0p-53;
}

WeatherModel::WeatherModel(std::uint64_t seed) : seed_(seed) {
  for (std::uint64_t i = 0; i < std::size(phase_); ++i) {
    phase_[i] = kTwoPi * unit_interval(hash_of(seed, 0xC17, i));
  }
}

// Fronts passing over the city: a few incommensurate waves of several days.
double WeatherModel::anomaly_c(Seconds at) const {
  return 2.6 * wave(at, 6.7, phase_[0]) + 1.6 * wave(at, 2.9, phase_[1]) +
         0.7 * wave(at, 1.37, phase_[2]);
}

double WeatherModel::sea_level_pressure_pa(Seconds at) const {
  return 101700 + 900 * wave(at, 5.3, phase_[3]) + 350 * wave(at, 2.1, phase_[4]);
}

double WeatherModel::city_wind_kmh(Seconds at) const {
  return std::max(0.0, 9 + 6 * wave(at, 3.7, phase_[5]) + 3 * wave(at, 1.1, phase_[0] * 2));
}

// Toulouse's two regimes: the Autan from the south-east, or westerlies.
double WeatherModel::city_wind_direction_deg(Seconds at) const {
  const bool autan = wave(at, 4.3, phase_[1] * 1.7) > 0.2;
  return (autan ? 125.0 : 290.0) + 20 * wave(at, 0.8, phase_[2]);
}

// Showers come in three-hour cells, more often when the pressure is low.
double WeatherModel::shower_mm(Seconds at) const {
  const auto cell = static_cast<std::uint64_t>(at / (3 * kHour));
  const double probability = sea_level_pressure_pa(at) < 101400 ? 0.14 : 0.04;
  const auto channel = static_cast<std::uint64_t>(Channel::rain_cell);
  if (unit_interval(hash_of(seed_, cell, channel)) >= probability) return 0;
  return 0.2 + 0.4 * unit_interval(hash_of(seed_, cell, channel, 1));
}

double WeatherModel::station_draw(std::uint64_t key, Channel channel) const {
  return unit_interval(hash_of(seed_, key, 0, static_cast<std::uint64_t>(channel)));
}

double WeatherModel::slot_draw(std::uint64_t key, Seconds at, Channel channel) const {
  return unit_interval(
      hash_of(seed_, key, static_cast<std::uint64_t>(at), static_cast<std::uint64_t>(channel)));
}

double WeatherModel::station_temperature(std::uint64_t key, const StationSite& site,
                                         Seconds at) const {
  const LocalClock clock = local_clock(at);
  const double seasonal = 14.0 - 8.5 * std::cos(clock.season);
  const double amplitude = 5.0 - 1.2 * std::cos(clock.season);
  const double cycle = daily_cycle(clock.hour);
  const double night = (1 - cycle) / 2;
  const double island = 2.4 * std::exp(-distance_to_centre_km(site) / 3.0) +
                        0.6 * (station_draw(key, Channel::station_offset) - 0.5);
  const double altitude = -0.0065 * (site.altitude_m - kCityAltitudeM);
  const double noise = 0.4 * (slot_draw(key, at, Channel::temperature) - 0.5);
  // Cities keep the day's heat: the island is strongest at night.
  return seasonal + amplitude * cycle + anomaly_c(at) + island * (0.4 + 1.2 * night) + altitude +
         noise;
}

// A passing shower wets most stations, not all; the gauge counts 0.2 mm tips.
void WeatherModel::add_rain(std::uint64_t key, Seconds at, Reading& r) const {
  const double shower = shower_mm(at);
  if (shower <= 0 || slot_draw(key, at, Channel::rain_cell) >= 0.8) return;
  const double amount = shower * (0.3 + slot_draw(key, at, Channel::rain_amount));
  const int tips = std::max(1, static_cast<int>(std::lround(amount / 0.2)));
  const int peak_tips =
      std::min(tips, 1 + static_cast<int>(slot_draw(key, at, Channel::rain_peak) * tips * 0.35));
  r.rain_mm = rounded(tips * 0.2, 1);
  r.rain_peak_mm = rounded(peak_tips * 0.2, 1);
}

// The city's wind, scaled by how exposed the station is and stirred up in the afternoon.
void WeatherModel::add_wind(std::uint64_t key, Seconds at, double cycle, Reading& r) const {
  const double exposure = 0.6 + 0.6 * station_draw(key, Channel::exposure);
  const double afternoon = 1 + 0.3 * std::max(0.0, cycle);
  const double mean =
      city_wind_kmh(at) * exposure * afternoon + 3 * (slot_draw(key, at, Channel::wind) - 0.5);
  r.wind_mean_kmh = static_cast<int>(std::lround(std::max(0.0, mean)));
  const double gust_excess = 3 + slot_draw(key, at, Channel::gust) * (6 + 0.6 * r.wind_mean_kmh);
  r.gust_kmh = r.wind_mean_kmh + static_cast<int>(std::lround(gust_excess));

  const double direction =
      city_wind_direction_deg(at) + 40 * (slot_draw(key, at, Channel::direction) - 0.5);
  r.wind_direction_deg = static_cast<int>(std::lround(std::fmod(direction + 360, 360.0))) % 360;
  const double gust_direction =
      std::fmod(direction + 50 * (slot_draw(key, at, Channel::gust_direction) - 0.5) + 360, 360.0);
  r.gust_sector = static_cast<int>(std::lround(gust_direction / 22.5)) % 16;
}

Reading WeatherModel::reading(std::uint64_t key, const StationSite& site, Seconds at) const {
  Reading r;
  r.temperature_c = rounded(station_temperature(key, site, at), 1);
  add_rain(key, at, r);
  const double cycle = daily_cycle(local_clock(at).hour);
  const double humidity = 74 - 16 * cycle + (r.rain_mm > 0 ? 12 : 0) +
                          8 * (slot_draw(key, at, Channel::humidity) - 0.5);
  r.humidity_percent = static_cast<int>(std::lround(std::clamp(humidity, 22.0, 100.0)));
  // About 12 Pa less per metre of altitude than at sea level.
  r.pressure_pa = static_cast<int>(std::lround(sea_level_pressure_pa(at) - 12.0 * site.altitude_m +
                                               30 * (slot_draw(key, at, Channel::pressure) - 0.5)));
  add_wind(key, at, cycle, r);
  return r;
}

}  // namespace portal_sim
