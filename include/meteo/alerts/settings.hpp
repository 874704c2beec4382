// Indicative weather and pollution alerts ([alerts]): each rule's thresholds, when an alert
// closes, and the city's notification command. Indicative, not Météo-France's vigilance, which
// forecasters decide.
#pragma once

#include <string>

namespace meteo::alerts {

// A gust of at least these speeds (km/h) during one record.
struct StrongWindRule {
  bool enabled = true;
  double yellow_gust_kmh = 80;
  double orange_gust_kmh = 100;
};

// The wind-chill temperature (JAG/TI: 13.12 + 0.6215 T - 11.37 V^0.16 + 0.3965 T V^0.16, V the
// mean wind in km/h) of one record: "grand froid" at or below grand_froid_c, "froid extrême"
// strictly below extreme_cold_c.
struct SevereColdRule {
  bool enabled = true;
  double grand_froid_c = -10;
  double extreme_cold_c = -18;
};

// Toulouse's (Haute-Garonne's) heat-wave rule: the running mean over `days` days of the daily
// minima at or above min_mean_c and of the daily maxima at or above max_mean_c. The days are
// climatological: the minimum of day J over [J-1 18:00, J 18:00) UTC, its maximum over
// [J 06:00, J+1 06:00) UTC.
struct HeatWaveRule {
  bool enabled = true;
  double min_mean_c = 21;
  double max_mean_c = 36;
  int days = 3;
};

// Rain summed per UTC hour, and over the 24 hours ending with each hour (mm).
struct HeavyRainRule {
  bool enabled = true;
  double yellow_hourly_mm = 20;
  double orange_hourly_mm = 40;
  double yellow_24h_mm = 50;
  double orange_24h_mm = 100;
};

struct AlertSettings {
  StrongWindRule strong_wind;
  SevereColdRule severe_cold;
  HeatWaveRule heat_wave;
  HeavyRainRule heavy_rain;
  bool pollution = true;  // the air-quality exceedances become alerts too
  // An alert closes once this many hours of a station's data pass without its condition (days
  // for the heat wave: the first complete day without it). Until then it is open.
  int quiet_hours = 3;
  // Run with the alert as JSON on stdin when an alert opens, escalates, closes or is withdrawn
  // (through /bin/sh -c). Empty: no notification.
  std::string command;
  int command_timeout_s = 30;
  // Changes to alerts that ended longer ago than this (a backfill of last winter) are recorded
  // but not sent.
  int notify_max_age_h = 24;
};

}  // namespace meteo::alerts
