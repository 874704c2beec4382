// [monitoring]: the staleness `status` judges by and the Prometheus textfile `run` writes.
#include <gtest/gtest.h>

#include "config_text.hpp"

namespace meteo {
namespace {

const std::string kSources = R"(
[[region_sets]]
name = "fr-regions"
location = "/srv/regions.geojson"

[[sources]]
name = "sensors"
type = "sensor-api"
url = "https://sensors.example/temperatures"
region_sets = ["fr-regions"]

[[sources]]
name = "partner"
type = "sensor-api"
url = "https://partner.example/temperatures"
region_sets = ["fr-regions"]
)";

Config parse(const std::string& tables) {
  return config_test::parse(kSources + tables);
}

void expect_config_error(const std::string& tables, const std::string& needle) {
  config_test::expect_config_error(kSources + tables, needle);
}

TEST(MonitoringConfig, DefaultsToNinetyMinutesAndNoMetricsFile) {
  const Config config = parse("");
  EXPECT_EQ(config.monitoring.stale_after_minutes, 90);
  EXPECT_EQ(config.monitoring.stale_after_minutes_for("sensors"), 90);
  EXPECT_TRUE(config.monitoring.metrics_file.empty());
}

TEST(MonitoringConfig, FollowsTheDashboardUnlessSetItself) {
  EXPECT_EQ(parse("[dashboard]\nstale_after_minutes = 120\n").monitoring.stale_after_minutes, 120);
  const Config both =
      parse("[dashboard]\nstale_after_minutes = 120\n[monitoring]\nstale_after_minutes = 30\n");
  EXPECT_EQ(both.monitoring.stale_after_minutes, 30);
  EXPECT_EQ(both.dashboard->stale_after_minutes, 120) << "the dashboard keeps its own value";
}

TEST(MonitoringConfig, PerSourceOverrideAndMetricsFile) {
  const Config config = parse(
      "[monitoring]\nstale_after_minutes = 60\n"
      "metrics_file = \"/var/lib/node_exporter/textfile/meteo-etl.prom\"\n"
      "[monitoring.stale_after_minutes_by_source]\npartner = 180\n");
  EXPECT_EQ(config.monitoring.stale_after_minutes_for("sensors"), 60);
  EXPECT_EQ(config.monitoring.stale_after_minutes_for("partner"), 180);
  EXPECT_EQ(config.monitoring.metrics_file, "/var/lib/node_exporter/textfile/meteo-etl.prom");
}

TEST(MonitoringConfig, ARelativeMetricsFileIsTakenFromTheConfigFilesDirectory) {
  const Config config = parse("[monitoring]\nmetrics_file = \"metrics/meteo-etl.prom\"\n");
  EXPECT_EQ(config.monitoring.metrics_file, "/etc/meteo-etl/metrics/meteo-etl.prom");
}

TEST(MonitoringConfig, RefusesMistakesNamingTheKey) {
  expect_config_error("[monitoring]\nstale_after_minutes = 0\n", "monitoring.stale_after_minutes");
  expect_config_error("[monitoring]\nstale_minutes = 5\n", "monitoring.stale_minutes: unknown key");
  expect_config_error("[monitoring]\nmetrics_file = \"/tmp/meteo.txt\"\n",
                      "monitoring.metrics_file: must end in .prom");
  expect_config_error("[monitoring.stale_after_minutes_by_source]\nnobody = 5\n",
                      "monitoring.stale_after_minutes_by_source.nobody");
  expect_config_error("[monitoring.stale_after_minutes_by_source]\nsensors = \"5\"\n",
                      "monitoring.stale_after_minutes_by_source.sensors: must be an integer");
}

}  // namespace
}  // namespace meteo
