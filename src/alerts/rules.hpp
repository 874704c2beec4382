// Each weather rule of settings.hpp over a station's records (sorted by time): its episodes.
#pragma once

#include <vector>

#include "meteo/alerts/alerts.hpp"
#include "meteo/alerts/settings.hpp"

namespace meteo::alerts {

// The JAG/TI wind-chill temperature (°C) of an air temperature (°C) and a mean wind (km/h at
// 10 m). The formula is defined only at or below 10 °C and from 4.8 km/h of wind; elsewhere the
// wind chill is the temperature itself. NaN when either input is missing.
double wind_chill_c(double temperature_c, double wind_kmh);

std::vector<Episode> strong_wind_episodes(const std::vector<Observation>& records,
                                          const StrongWindRule& rule, int quiet_hours);
std::vector<Episode> severe_cold_episodes(const std::vector<Observation>& records,
                                          const SevereColdRule& rule, int quiet_hours);
std::vector<Episode> heavy_rain_episodes(const std::vector<Observation>& records,
                                         const HeavyRainRule& rule, int quiet_hours);
std::vector<Episode> heat_wave_episodes(const std::vector<Observation>& records,
                                        const HeatWaveRule& rule);

}  // namespace meteo::alerts
