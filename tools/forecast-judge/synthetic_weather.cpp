#include "synthetic_weather.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <numbers>
#include <random>
#include <vector>

#include "../common/persistent_noise.hpp"

namespace meteo::synthetic {
namespace {

constexpr double kPi = std::numbers::pi;

enum Regime { clear, mixed, cloudy };

// The next regime after each (rows: from clear, mixed, cloudy): a change of weather, mostly.
constexpr std::array<std::array<double, 3>, 3> kTransitions = {{
    {0.2, 0.5, 0.3},
    {0.4, 0.2, 0.4},
    {0.3, 0.5, 0.2},
}};
constexpr std::array<double, 3> kPressureMean = {1024, 1015, 1004};   // hPa
constexpr std::array<double, 3> kDiurnalAmplitude = {5.5, 3.5, 1.8};  // °C, half the day's range

// One stretch of a regime, from the front that brought it.
struct Episode {
  double front_hour;           // hours from the start when the temperature front passes
  double pressure;             // hPa, the episode's level
  double temperature_anomaly;  // °C against the season
  double diurnal_amplitude;    // °C
};

double logistic(double x) {
  return 1 / (1 + std::exp(-x));
}

std::vector<Episode> draw_episodes(double hours, std::mt19937_64& random) {
  std::normal_distribution<double> normal(0, 1);
  std::geometric_distribution<int> extra_days(0.35);
  std::uniform_real_distribution<double> uniform(0, 1);
  std::vector<Episode> episodes;
  Regime regime = mixed;
  Episode current{-1e9, kPressureMean[mixed], 0, kDiurnalAmplitude[mixed]};
  episodes.push_back(current);
  double front = 24 * uniform(random);
  while (front < hours + 48) {
    const double draw = uniform(random);
    const auto& row = kTransitions[regime];
    regime = draw < row[0] ? clear : draw < row[0] + row[1] ? mixed : cloudy;
    Episode next;
    next.front_hour = front;
    next.pressure = kPressureMean[regime] + 4 * normal(random);
    // Falling pressure brings milder air, rising pressure colder (a warm front, a cold front).
    next.temperature_anomaly = 0.6 * current.temperature_anomaly -
                               0.2 * (next.pressure - current.pressure) + 1.2 * normal(random);
    next.diurnal_amplitude = kDiurnalAmplitude[regime] * (0.85 + 0.3 * uniform(random));
    episodes.push_back(next);
    current = next;
    front += 24 * (1 + extra_days(random)) + 24 * uniform(random);
  }
  return episodes;
}

using judge::Persistent;

}  // namespace

forecast::HourlySeries generate_weather(const WeatherSpec& spec) {
  std::mt19937_64 random(spec.seed);
  const auto hours = static_cast<std::size_t>(std::max(0, spec.days)) * 24;
  const auto episodes = draw_episodes(static_cast<double>(hours), random);
  const auto start_days =
      std::chrono::floor<std::chrono::days>(spec.start).time_since_epoch().count();
  const std::chrono::year_month_day start_date{
      std::chrono::sys_days{std::chrono::days{start_days}}};
  const auto new_year = std::chrono::sys_days{start_date.year() / std::chrono::January / 1};
  const double first_day_of_year = static_cast<double>(
      (std::chrono::sys_days{std::chrono::days{start_days}} - new_year).count());

  forecast::HourlySeries series;
  series.first_hour = spec.start;
  series.temperature.resize(hours);
  series.pressure.resize(hours);
  Persistent temperature_noise(0.85, 0.7);
  Persistent pressure_noise(0.98, 0.8);
  std::normal_distribution<double> measurement(0, 0.05);
  std::size_t episode = 0;
  for (std::size_t hour = 0; hour < hours; ++hour) {
    const double t = static_cast<double>(hour);
    while (episode + 1 < episodes.size() && episodes[episode + 1].front_hour <= t) {
      ++episode;
    }
    // The level between the fronts around this hour: each front's change is a smooth step, the
    // temperature's over a few hours, the pressure's wider and about 6 hours ahead of it.
    const Episode& before = episodes[episode > 0 ? episode - 1 : 0];
    double anomaly = before.temperature_anomaly;
    double pressure = before.pressure;
    double amplitude = before.diurnal_amplitude;
    for (std::size_t k = episode; k < std::min(episode + 2, episodes.size()); ++k) {
      if (k == 0) {
        continue;
      }
      const Episode& from = episodes[k - 1];
      const Episode& to = episodes[k];
      const double temperature_step = logistic((t - to.front_hour) / 2.0);
      const double pressure_step = logistic((t - to.front_hour + 6) / 4.0);
      anomaly += (to.temperature_anomaly - from.temperature_anomaly) * temperature_step;
      pressure += (to.pressure - from.pressure) * pressure_step;
      amplitude += (to.diurnal_amplitude - from.diurnal_amplitude) * temperature_step;
    }
    const double day_of_year = first_day_of_year + t / 24;
    const double season = std::cos(2 * kPi * (day_of_year - 196) / 365.25);  // 1 mid-July
    const double hour_of_day = std::fmod(t, 24.0);
    // Warmest mid-afternoon UTC, coldest around dawn, the night flatter than the day.
    const double diurnal = 0.85 * std::cos(2 * kPi * (hour_of_day - 14.5) / 24) +
                           0.25 * std::cos(4 * kPi * (hour_of_day - 16) / 24);
    series.temperature[hour] = 13 + 8 * season + anomaly +
                               amplitude * (0.75 + 0.25 * season) * diurnal +
                               temperature_noise.next(random);
    series.pressure[hour] = pressure + pressure_noise.next(random) +
                            0.4 * std::cos(4 * kPi * (hour_of_day - 10) / 24) + measurement(random);
  }

  std::uniform_real_distribution<double> uniform(0, 1);
  for (std::size_t hour = 0; hour < hours; ++hour) {
    if (uniform(random) < spec.missing_hours) {
      series.temperature[hour] = forecast::kMissing;
      series.pressure[hour] = forecast::kMissing;
    }
  }
  std::uniform_int_distribution<std::size_t> outage_start(0, hours > 0 ? hours - 1 : 0);
  std::uniform_int_distribution<std::size_t> outage_length(3, 12);
  for (int outage = 0; outage < spec.outages && hours > 0; ++outage) {
    const std::size_t first = outage_start(random);
    const std::size_t last = std::min(hours, first + outage_length(random));
    for (std::size_t hour = first; hour < last; ++hour) {
      series.temperature[hour] = forecast::kMissing;
      series.pressure[hour] = forecast::kMissing;
    }
  }
  if (!spec.with_pressure) {
    std::fill(series.pressure.begin(), series.pressure.end(), forecast::kMissing);
  }
  return series;
}

}  // namespace meteo::synthetic
