// [alerts] (the rules' thresholds, the notification command) and [forecast] (horizons, history,
// backtest), both optional: the hourly run reads them.
#include <string>

#include "meteo/core/errors.hpp"
#include "sections.hpp"

namespace meteo::config_detail {
namespace {

constexpr double kAnySpeedKmh = 500;
constexpr double kAnyTemperatureC = 80;
constexpr double kAnyRainMm = 2000;

// Each level's threshold must be beyond the lower level's, or the higher one would never show.
void require_order(const ConfigReader& reader, const std::string& key, double lower, double higher,
                   const char* relation) {
  if (!(higher > lower)) {
    reader.fail(key, std::string("must be ") + relation + " the lower level's threshold");
  }
}

void read_strong_wind(const ConfigReader& reader, const toml::table& t, const std::string& where,
                      alerts::StrongWindRule& rule) {
  reader.expect_only(t, where, {"enabled", "yellow_gust_kmh", "orange_gust_kmh"});
  reader.read_bool(t, where, "enabled", rule.enabled);
  reader.read_number(t, where, "yellow_gust_kmh", rule.yellow_gust_kmh, 1, kAnySpeedKmh);
  reader.read_number(t, where, "orange_gust_kmh", rule.orange_gust_kmh, 1, kAnySpeedKmh);
  require_order(reader, where + ".orange_gust_kmh", rule.yellow_gust_kmh, rule.orange_gust_kmh,
                "above");
}

void read_severe_cold(const ConfigReader& reader, const toml::table& t, const std::string& where,
                      alerts::SevereColdRule& rule) {
  reader.expect_only(t, where, {"enabled", "grand_froid_c", "extreme_cold_c"});
  reader.read_bool(t, where, "enabled", rule.enabled);
  reader.read_number(t, where, "grand_froid_c", rule.grand_froid_c, -kAnyTemperatureC,
                     kAnyTemperatureC);
  reader.read_number(t, where, "extreme_cold_c", rule.extreme_cold_c, -kAnyTemperatureC,
                     kAnyTemperatureC);
  // Colder is higher: the extreme threshold lies below grand froid's.
  require_order(reader, where + ".extreme_cold_c", -rule.grand_froid_c, -rule.extreme_cold_c,
                "below");
}

void read_heat_wave(const ConfigReader& reader, const toml::table& t, const std::string& where,
                    alerts::HeatWaveRule& rule) {
  reader.expect_only(t, where, {"enabled", "min_mean_c", "max_mean_c", "days"});
  reader.read_bool(t, where, "enabled", rule.enabled);
  reader.read_number(t, where, "min_mean_c", rule.min_mean_c, -kAnyTemperatureC, kAnyTemperatureC);
  reader.read_number(t, where, "max_mean_c", rule.max_mean_c, -kAnyTemperatureC, kAnyTemperatureC);
  reader.read_integer(t, where, "days", rule.days, 1, 30);
}

void read_heavy_rain(const ConfigReader& reader, const toml::table& t, const std::string& where,
                     alerts::HeavyRainRule& rule) {
  reader.expect_only(
      t, where,
      {"enabled", "yellow_hourly_mm", "orange_hourly_mm", "yellow_24h_mm", "orange_24h_mm"});
  reader.read_bool(t, where, "enabled", rule.enabled);
  reader.read_number(t, where, "yellow_hourly_mm", rule.yellow_hourly_mm, 0.1, kAnyRainMm);
  reader.read_number(t, where, "orange_hourly_mm", rule.orange_hourly_mm, 0.1, kAnyRainMm);
  reader.read_number(t, where, "yellow_24h_mm", rule.yellow_24h_mm, 0.1, kAnyRainMm);
  reader.read_number(t, where, "orange_24h_mm", rule.orange_24h_mm, 0.1, kAnyRainMm);
  require_order(reader, where + ".orange_hourly_mm", rule.yellow_hourly_mm, rule.orange_hourly_mm,
                "above");
  require_order(reader, where + ".orange_24h_mm", rule.yellow_24h_mm, rule.orange_24h_mm, "above");
}

template <class Rule, class Read>
void read_rule(const ConfigReader& reader, const toml::table& alerts, const char* name, Rule& rule,
               Read read) {
  if (const toml::table* t = reader.subtable(alerts, "alerts", name)) {
    read(reader, *t, std::string("alerts.") + name, rule);
  }
}

void read_alert_settings(const ConfigReader& reader, const toml::table& t,
                         alerts::AlertSettings& settings) {
  const std::string where = "alerts";
  reader.expect_only(t, where,
                     {"strong_wind", "severe_cold", "heat_wave", "heavy_rain", "pollution",
                      "quiet_hours", "command", "command_timeout_s", "notify_max_age_h"});
  read_rule(reader, t, "strong_wind", settings.strong_wind, read_strong_wind);
  read_rule(reader, t, "severe_cold", settings.severe_cold, read_severe_cold);
  read_rule(reader, t, "heat_wave", settings.heat_wave, read_heat_wave);
  read_rule(reader, t, "heavy_rain", settings.heavy_rain, read_heavy_rain);
  reader.read_bool(t, where, "pollution", settings.pollution);
  reader.read_integer(t, where, "quiet_hours", settings.quiet_hours, 1, 72);
  reader.read_string(t, where, "command", settings.command);
  reader.read_integer(t, where, "command_timeout_s", settings.command_timeout_s, 1, 3600);
  reader.read_integer(t, where, "notify_max_age_h", settings.notify_max_age_h, 0, 24 * 366);
}

void read_forecast_settings(const ConfigReader& reader, const toml::table& t,
                            forecast::ForecastSettings& settings) {
  const std::string where = "forecast";
  reader.expect_only(t, where,
                     {"enabled", "max_horizon_h", "min_history_days", "backtest_days",
                      "training_days", "min_skill"});
  reader.read_bool(t, where, "enabled", settings.enabled);
  reader.read_integer(t, where, "max_horizon_h", settings.max_horizon_h, 1, 48);
  reader.read_integer(t, where, "backtest_days", settings.backtest_days, 1, 365);
  reader.read_integer(t, where, "training_days", settings.training_days, 2, 365);
  reader.read_integer(t, where, "min_history_days", settings.min_history_days, 2, 3660);
  reader.read_number(t, where, "min_skill", settings.min_skill, -1, 1);
  // The backtest's origins need a model trained before them, on their own past.
  if (settings.min_history_days < settings.backtest_days + 2) {
    reader.fail(where + ".min_history_days", "must be at least backtest_days + 2 (" +
                                                 std::to_string(settings.backtest_days + 2) + ")");
  }
}

}  // namespace

void read_alerts_and_forecast(const ConfigReader& reader, const toml::table& root, Config& config) {
  if (const toml::table* t = reader.subtable(root, "", "alerts")) {
    read_alert_settings(reader, *t, config.alerts);
  }
  if (const toml::table* t = reader.subtable(root, "", "forecast")) {
    read_forecast_settings(reader, *t, config.forecast);
  }
}

}  // namespace meteo::config_detail
