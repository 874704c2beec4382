// [watch] and each source's poll_seconds: the cadences and backoff of `meteo-etl watch`.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "meteo/config/config.hpp"
#include "meteo/core/errors.hpp"

namespace meteo {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

EnvironmentLookup no_environment() {
  return [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
}

const std::string kSets = R"(
[[region_sets]]
name = "fr"
location = "/srv/regions.geojson"
)";

std::string sensor(const std::string& extra = "") {
  return "\n[[sources]]\nname = \"sensors\"\ntype = \"sensor-api\"\n"
         "url = \"https://sensors.example/t\"\nregion_sets = [\"fr\"]\n" +
         extra;
}

const std::string kStations = R"(
[[sources]]
name = "toulouse"
type = "opendatasoft-stations"
base_url = "https://data.example"
dataset_pattern = "station-meteo"
start = "2026-11-01T00"
region_sets = ["fr"]
)";

const std::string kLayer = R"(
[[sources]]
name = "atmo"
type = "arcgis-air-quality"
url = "https://services9.arcgis.com/7Sr9Ek9c1QTKmbwr/arcgis/rest/services/mesures_occitanie_72h_poll_princ/FeatureServer/0"
region_sets = ["fr"]
)";

void expect_error(const std::string& toml, const std::string& needle) {
  try {
    parse_config(toml, "test.toml", no_environment());
    ADD_FAILURE() << "accepted: " << toml;
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ExitCode::config);
    EXPECT_NE(std::string(error.what()).find(needle), std::string::npos) << error.what();
  }
}

TEST(WatchConfig, CadencesDefaultByTypeAndBackoffTo900Seconds) {
  const Config config =
      parse_config(kSets + sensor() + kStations + kLayer, "test.toml", no_environment());
  EXPECT_EQ(config.source("sensors").poll_interval, seconds(60));
  EXPECT_EQ(config.source("toulouse").poll_interval, seconds(300));
  EXPECT_EQ(config.source("atmo").poll_interval, seconds(3600));
  EXPECT_EQ(config.watch.backoff_max, seconds(900));
}

TEST(WatchConfig, ReadsPollSecondsFractionsIncludedAndTheWatchTable) {
  const Config config = parse_config(
      kSets + sensor("poll_seconds = 0.25\n") + "\n[watch]\nbackoff_max_seconds = 120\n",
      "test.toml", no_environment());
  EXPECT_EQ(config.source("sensors").poll_interval, milliseconds(250));
  EXPECT_EQ(config.watch.backoff_max, seconds(120));
}

TEST(WatchConfig, ACadenceOfZeroOrLessNamesTheSource) {
  expect_error(kSets + sensor("poll_seconds = 0\n"), "sources[0].poll_seconds: source \"sensors\"");
  expect_error(kSets + sensor("poll_seconds = -5\n"), "source \"sensors\": must be more than 0");
  expect_error(kSets + sensor("poll_seconds = \"fast\"\n"), "must be a number");
  expect_error(kSets + sensor() + "\n[watch]\nbackoff_max_seconds = 0\n",
               "watch.backoff_max_seconds");
  expect_error(kSets + sensor() + "\n[watch]\nbackof_max_seconds = 10\n", "backof_max_seconds");
}

}  // namespace
}  // namespace meteo
