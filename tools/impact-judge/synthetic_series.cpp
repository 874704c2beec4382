#include "synthetic_series.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <random>

#include "../common/persistent_noise.hpp"

namespace meteo::synthetic {
namespace {

constexpr double kPi = 3.14159265358979323846;

using judge::Persistent;

struct DayWeather {
  double temperature_anomaly;
  double wind_log_anomaly;
  double pressure_anomaly;
  double direction;  // the day's prevailing direction
  bool rainy;
  double pollution_log_anomaly;
};

double traffic(int hour, unsigned iso_weekday) {
  const double h = hour;
  const double profile =
      0.55 + 0.9 * std::exp(-(h - 8) * (h - 8) / 4.0) + 0.8 * std::exp(-(h - 18) * (h - 18) / 5.0);
  const double week = iso_weekday == 6 ? 0.75 : iso_weekday == 7 ? 0.6 : 1.0;
  return profile * week;
}

}  // namespace

SyntheticSeries generate_series(const SeriesSpec& spec) {
  namespace chrono = std::chrono;
  std::mt19937_64 random(spec.seed * 0x9e37'79b9'7f4a'7c15ULL + 17);
  std::normal_distribution<double> normal(0, 1);
  std::uniform_real_distribution<double> uniform(0, 1);
  Persistent temperature_days(0.8, 2.5), wind_days(0.6, 0.35), pressure_days(0.85, 6.0),
      pollution_days(0.7, 0.15);

  SyntheticSeries out;
  out.step_date = spec.start + chrono::days(spec.days_before);
  out.true_effect_percent = 100.0 * spec.step;
  const int days = spec.days_before + spec.days_after;
  out.series.reserve(static_cast<std::size_t>(days) * 24);
  double direction = 290;
  for (int d = 0; d < days; ++d) {
    const auto day = chrono::floor<chrono::days>(spec.start) + chrono::days(d);
    const chrono::year_month_day date{day};
    const int day_of_year = (day - chrono::sys_days{date.year() / chrono::January / 1}).count() + 1;
    const unsigned weekday = chrono::weekday{day}.iso_encoding();
    const double season = std::sin(2 * kPi * (day_of_year - 105) / 365.25);
    // Westerlies most days; a south-easterly spell now and then (Toulouse's autan).
    if (uniform(random) < 0.3) direction = uniform(random) < 0.65 ? 290 : 120;
    const DayWeather weather{temperature_days.next(random), wind_days.next(random),
                             pressure_days.next(random),    direction,
                             uniform(random) < 0.25,        pollution_days.next(random)};
    const bool after = d >= spec.days_before;
    Persistent pollution_hours(0.6, 0.15);
    for (int h = 0; h < 24; ++h) {
      const double diurnal = std::sin(2 * kPi * (h - 9) / 24.0);
      analysis::PollutionHour hour;
      hour.hour = UtcSeconds{day.time_since_epoch()} + chrono::hours(h);
      hour.temperature =
          13.5 + 8.5 * season + weather.temperature_anomaly + 4.5 * diurnal + 0.7 * normal(random);
      hour.wind_speed = (after ? spec.windier_after : 1.0) * 11.0 *
                        (1 + 0.25 * std::cos(2 * kPi * day_of_year / 365.25)) *
                        std::exp(weather.wind_log_anomaly + 0.15 * normal(random)) *
                        (1 + 0.3 * std::sin(2 * kPi * (h - 8) / 24.0));
      hour.wind_direction = std::fmod(weather.direction + 25 * normal(random) + 720, 360);
      hour.rain = weather.rainy && uniform(random) < 0.3 ? -1.2 * std::log(1 - uniform(random)) : 0;
      hour.humidity = std::clamp(75 - 2.0 * (hour.temperature - 13.5 - 8.5 * season) -
                                     12 * diurnal + (hour.rain > 0 ? 10 : 0) + 5 * normal(random),
                                 15.0, 100.0);
      hour.pressure =
          1016 + weather.pressure_anomaly - (weather.rainy ? 3 : 0) + 0.5 * normal(random);

      const double dispersion = std::pow(12.0 / (hour.wind_speed + 4.0), 0.9);
      const double plume = 1 + 0.35 * std::cos((hour.wind_direction - 120) * kPi / 180);
      const double cold = std::exp(-0.025 * (hour.temperature - 13));
      const double washout = hour.rain > 0 ? 0.8 : 1.0;
      const double noise = std::exp(weather.pollution_log_anomaly + pollution_hours.next(random));
      hour.concentration = 30 * traffic(h, weekday) * dispersion * plume * cold * washout * noise *
                               (after ? 1 + spec.step : 1.0) +
                           2.0 * normal(random);
      if (uniform(random) < spec.missing_hours) continue;  // the analyser's gap, not the model's
      if (uniform(random) < 0.01) hour.wind_speed = hour.wind_direction = analysis::kMissing;
      out.series.push_back(hour);
    }
  }
  return out;
}

}  // namespace meteo::synthetic
