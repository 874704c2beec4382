// [alerts] and [forecast]: the rules' thresholds, the notification command, the forecast's
// history and backtest.
#include <gtest/gtest.h>

#include "config_text.hpp"

namespace meteo {
namespace {

using config_test::expect_config_error;
using config_test::parse;

TEST(AlertsConfig, DefaultsAreTheIssuesThresholdsAndNoCommand) {
  const Config config = parse("");
  EXPECT_DOUBLE_EQ(config.alerts.strong_wind.yellow_gust_kmh, 80);
  EXPECT_DOUBLE_EQ(config.alerts.strong_wind.orange_gust_kmh, 100);
  EXPECT_DOUBLE_EQ(config.alerts.severe_cold.grand_froid_c, -10);
  EXPECT_DOUBLE_EQ(config.alerts.severe_cold.extreme_cold_c, -18);
  EXPECT_DOUBLE_EQ(config.alerts.heat_wave.min_mean_c, 21);
  EXPECT_DOUBLE_EQ(config.alerts.heat_wave.max_mean_c, 36);
  EXPECT_EQ(config.alerts.heat_wave.days, 3);
  EXPECT_TRUE(config.alerts.command.empty());
  EXPECT_TRUE(config.alerts.pollution);
  EXPECT_TRUE(config.forecast.enabled);
  EXPECT_EQ(config.forecast.max_horizon_h, 6);
}

TEST(AlertsConfig, ReadsEveryKey) {
  const Config config = parse(R"(
[alerts]
quiet_hours = 6
command = "/usr/local/bin/city-webhook --alerts"
command_timeout_s = 10
notify_max_age_h = 48
pollution = false
[alerts.strong_wind]
yellow_gust_kmh = 70
orange_gust_kmh = 90.5
[alerts.severe_cold]
grand_froid_c = -8
extreme_cold_c = -15
[alerts.heat_wave]
min_mean_c = 20
max_mean_c = 35
days = 2
[alerts.heavy_rain]
enabled = false
yellow_hourly_mm = 15
orange_hourly_mm = 30
yellow_24h_mm = 40
orange_24h_mm = 80
[forecast]
max_horizon_h = 12
min_history_days = 30
backtest_days = 10
training_days = 21
min_skill = 0.05
)");
  EXPECT_EQ(config.alerts.quiet_hours, 6);
  EXPECT_EQ(config.alerts.command, "/usr/local/bin/city-webhook --alerts");
  EXPECT_EQ(config.alerts.command_timeout_s, 10);
  EXPECT_EQ(config.alerts.notify_max_age_h, 48);
  EXPECT_FALSE(config.alerts.pollution);
  EXPECT_DOUBLE_EQ(config.alerts.strong_wind.yellow_gust_kmh, 70);
  EXPECT_DOUBLE_EQ(config.alerts.strong_wind.orange_gust_kmh, 90.5);
  EXPECT_DOUBLE_EQ(config.alerts.severe_cold.grand_froid_c, -8);
  EXPECT_DOUBLE_EQ(config.alerts.severe_cold.extreme_cold_c, -15);
  EXPECT_DOUBLE_EQ(config.alerts.heat_wave.min_mean_c, 20);
  EXPECT_EQ(config.alerts.heat_wave.days, 2);
  EXPECT_FALSE(config.alerts.heavy_rain.enabled);
  EXPECT_DOUBLE_EQ(config.alerts.heavy_rain.orange_24h_mm, 80);
  EXPECT_EQ(config.forecast.max_horizon_h, 12);
  EXPECT_EQ(config.forecast.min_history_days, 30);
  EXPECT_EQ(config.forecast.backtest_days, 10);
  EXPECT_EQ(config.forecast.training_days, 21);
  EXPECT_DOUBLE_EQ(config.forecast.min_skill, 0.05);
}

TEST(AlertsConfig, RefusesUnknownKeysAndThresholdsOutOfOrder) {
  expect_config_error("[alerts]\nquiet = 3\n", "quiet");
  expect_config_error("[alerts.strong_wind]\ngust = 3\n", "alerts.strong_wind");
  expect_config_error("[alerts.strong_wind]\norange_gust_kmh = 70\n",
                      "alerts.strong_wind.orange_gust_kmh");
  expect_config_error("[alerts.severe_cold]\nextreme_cold_c = -5\n",
                      "alerts.severe_cold.extreme_cold_c");
  expect_config_error("[alerts.heavy_rain]\nyellow_hourly_mm = \"lots\"\n",
                      "alerts.heavy_rain.yellow_hourly_mm: must be a number");
  expect_config_error("[alerts]\nquiet_hours = 0\n", "alerts.quiet_hours");
  expect_config_error("[forecast]\nmax_horizon_h = 0\n", "forecast.max_horizon_h");
  expect_config_error("[forecast]\nmin_history_days = 5\nbacktest_days = 14\n",
                      "forecast.min_history_days");
}

}  // namespace
}  // namespace meteo
