// `meteo-etl dashboard` and `meteo-etl export` as an operator runs them: the built binary, a
// config file, a scratch database filled by two real runs of the known points.
//
// With METEO_DASHBOARD_FIXTURE_DIR set, DashboardFixture.WritesTheBrowserFixture also writes the
// site into that directory and keeps it, for the page's browser test.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "config_files.hpp"
#include "meteo/core/time.hpp"
#include "paths.hpp"
#include "portal_sim.hpp"
#include "sensor_sim.hpp"
#include "subprocess.hpp"
#include "test_database.hpp"

namespace meteo::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kApiKey = "e2e-dashboard-key";
constexpr const char* kEarlyHour = "2026-11-22T03";
constexpr const char* kLateHour = "2026-11-22T06";

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

// Parses a file of the site, failing the test when it is not complete JSON.
json read_json(const fs::path& path) {
  const std::string text = read_text(path);
  const json parsed = json::parse(text, nullptr, /*allow_exceptions=*/false);
  EXPECT_FALSE(parsed.is_discarded()) << path << " is not complete JSON";
  return parsed;
}

std::string describe(const ProcessResult& result) {
  return "exit " + std::to_string(result.exit_code) + "\nstdout:\n" + result.out + "\nstderr:\n" +
         result.err;
}

const json& region_with_code(const json& hourly, const std::string& code) {
  for (const json& region : hourly["regions"]) {
    if (region["code"] == code) return region;
  }
  ADD_FAILURE() << "no region " << code;
  static const json none;
  return none;
}

const json& source_named(const json& meta, const std::string& name) {
  for (const json& source : meta["sources"]) {
    if (source["name"] == name) return source;
  }
  ADD_FAILURE() << "no source " << name;
  static const json none;
  return none;
}

struct DashboardToml {
  std::string out;  // empty: no [dashboard] table
  bool refresh_after_run = false;
};

class Dashboard : public ::testing::Test {
 protected:
  void SetUp() override {
    METEO_SKIP_WITHOUT_SHARED_DATA("geo/regions.geojson", "geo/communes-31-haute-garonne.geojson");
    directory_ = fs::temp_directory_path() /
                 ("meteo-e2e-dash-" + std::to_string(::getpid()) + "-" +
                  ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(directory_);
  }
  void TearDown() override { fs::remove_all(directory_); }

  // Two sources: `sensors` served by `sim`, and `idle`, which no test ever runs.
  void write_config(const SensorSim& sim, const DashboardToml& dashboard = {}) {
    std::ofstream config(config_path());
    config << database_toml(database_.config()) << "\n[[region_sets]]\nname = \"fr-regions\"\n"
           << "location = \"" << shared_data("geo/regions.geojson") << "\"\n"
           << "\n[[sources]]\nname = \"sensors\"\ntype = \"sensor-api\"\nurl = \"" << sim.url()
           << "\"\napi_key_env = \"SENSOR_API_KEY\"\nregion_sets = [\"fr-regions\"]\n"
           << "[sources.http]\nretry_attempts = 1\ntimeout_ms = 3000\nconnect_timeout_ms = 1000\n"
           << "\n[[sources]]\nname = \"idle\"\ntype = \"sensor-api\"\n"
           << "url = \"http://127.0.0.1:9/never\"\nregion_sets = [\"fr-regions\"]\n";
    if (portal_) write_station_network(config, *portal_);
    if (!dashboard.out.empty()) {
      config << "\n[dashboard]\nout = \"" << dashboard.out
             << "\"\nrefresh_after_run = " << (dashboard.refresh_after_run ? "true" : "false")
             << "\nlanguage = \"en\"\n";
    }
  }

  // The Toulouse network of the portal simulator, read from a day before the portal's present.
  void write_station_network(std::ostream& config, const PortalSim& portal) const {
    config << "\n[[region_sets]]\nname = \"toulouse-communes\"\nlocation = \""
           << shared_data("geo/communes-31-haute-garonne.geojson") << "\"\n"
           << "\n[[sources]]\nname = \"toulouse\"\ntype = \"opendatasoft-stations\"\n"
           << "display_name = \"Toulouse Métropole\"\n"
           << "base_url = \"" << portal.base_url() << "\"\ndataset_pattern = \"station-meteo\"\n"
           << "start = \"" << to_iso8601(portal_now() - std::chrono::hours(24)) << "\"\n"
           << "region_sets = [\"toulouse-communes\"]\n";
  }

  // The portal's present: an hour ago, so the tool's real clock is always later.
  static UtcSeconds portal_now() {
    return floor_to_hour(std::chrono::system_clock::now()) - std::chrono::hours(1);
  }

  // Starts the portal simulator; later configs include the station network.
  void start_portal() {
    PortalSimOptions options;
    options.now = to_iso8601(portal_now());
    options.from = to_iso8601(portal_now() - std::chrono::hours(30));
    options.datasets = 4;
    portal_ = std::make_unique<PortalSim>(options);
  }

  std::string config_path() const { return (directory_ / "meteo-etl.toml").string(); }
  fs::path site() const { return directory_ / "site"; }

  ProcessResult meteo(std::vector<std::string> args, const std::string& api_key = kApiKey) {
    Environment env = cron_environment(config_path(), database_.config());
    env["SENSOR_API_KEY"] = api_key;
    args.insert(args.begin(), meteo_etl_binary());
    return run_process(args, env);
  }

  void prepare_database() {
    ASSERT_EQ(meteo({"migrate"}).exit_code, 0);
    const auto load = meteo({"regions", "load"});
    ASSERT_EQ(load.exit_code, 0) << load.err;
  }

  // The known points at 03:00, a second payload (other ids) at 06:00: Occitanie has both hours.
  void run_two_hours(const DashboardToml& dashboard = {}) {
    {
      SensorSim early({.api_key = kApiKey,
                       .payload_file = source_path("tests/fixtures/sensor/known-points.json")});
      write_config(early, dashboard);
      prepare_database();
      const auto run = meteo({"run", "--source", "sensors", "--hour", kEarlyHour});
      ASSERT_EQ(run.exit_code, 0) << describe(run);
      if (portal_) {
        const auto stations = meteo({"run", "--source", "toulouse"});
        ASSERT_EQ(stations.exit_code, 0) << describe(stations);
      }
    }
    SensorSim late({.api_key = kApiKey,
                    .payload_file = source_path("tests/fixtures/sensor/known-points-later.json")});
    write_config(late, dashboard);
    const auto run = meteo({"run", "--source", "sensors", "--hour", kLateHour});
    ASSERT_EQ(run.exit_code, 0) << describe(run);
  }

  ScratchDatabase database_;
  fs::path directory_;
  std::unique_ptr<PortalSim> portal_;
};

TEST_F(Dashboard, WritesTheDataContract) {
  run_two_hours();
  const auto dashboard = meteo({"dashboard", "--out", site().string()});
  ASSERT_EQ(dashboard.exit_code, 0) << describe(dashboard);

  const json meta = read_json(site() / "data/meta.json");
  EXPECT_EQ(meta["version"], 1);
  EXPECT_EQ(meta["language"], "fr") << "the default without [dashboard]";
  EXPECT_EQ(meta["stale_after_minutes"], 90);
  EXPECT_TRUE(meta["stations"].is_null());
  EXPECT_TRUE(meta["station_region_set"].is_null());
  const json& sensors = source_named(meta, "sensors");
  EXPECT_EQ(sensors["type"], "sensor-api");
  EXPECT_TRUE(sensors["last_success"].is_string());
  EXPECT_LE(sensors["last_success"].get<std::string>(), meta["generated_at"].get<std::string>());
  EXPECT_TRUE(sensors["last_failure"].is_null());
  EXPECT_EQ(sensors["stale"], false) << "it ran moments ago";
  const json& idle = source_named(meta, "idle");
  EXPECT_TRUE(idle["last_success"].is_null());
  EXPECT_EQ(idle["stale"], true) << "a source that never succeeded is stale";

  ASSERT_EQ(meta["region_sets"].size(), 1u);
  EXPECT_EQ(meta["region_sets"][0]["name"], "fr-regions");
  EXPECT_EQ(meta["region_sets"][0]["shapes"], "shapes-fr-regions.geojson");
  EXPECT_EQ(meta["region_sets"][0]["hourly"], "hourly-fr-regions.json");

  const json hourly = read_json(site() / "data/hourly-fr-regions.json");
  EXPECT_EQ(hourly["region_set"], "fr-regions");
  EXPECT_EQ(hourly["latest_hour"], "2026-11-22T06:00:00Z");
  ASSERT_EQ(hourly["regions"].size(), 13u);
  const json& occitanie = region_with_code(hourly, "76");
  EXPECT_EQ(occitanie["name"], "Occitanie");
  EXPECT_EQ(occitanie["latest"]["hour"], "2026-11-22T06:00:00Z");
  EXPECT_DOUBLE_EQ(occitanie["latest"]["temperature"].get<double>(), (14.0 + 16.0) / 2);
  EXPECT_EQ(occitanie["latest"]["numberOfPoints"], 2);
  EXPECT_DOUBLE_EQ(occitanie["latest"]["temperature_3h_before"].get<double>(),
                   (12.5 + 13.5 + 11.5) / 3);
  ASSERT_EQ(occitanie["series"].size(), 2u);
  EXPECT_EQ(occitanie["series"][0]["hour"], "2026-11-22T03:00:00Z") << "ascending";
  EXPECT_TRUE(occitanie["series"][0]["temperature_3h_before"].is_null());
  const json& corse = region_with_code(hourly, "94");
  EXPECT_TRUE(corse["latest"].is_null()) << "Ajaccio reported at 03:00 only";
  EXPECT_EQ(corse["series"].size(), 1u);
  const json& normandie = region_with_code(hourly, "28");
  EXPECT_TRUE(normandie["latest"].is_null());
  EXPECT_TRUE(normandie["series"].empty());

  const json shapes = read_json(site() / "data/shapes-fr-regions.geojson");
  EXPECT_EQ(shapes["type"], "FeatureCollection");
  ASSERT_EQ(shapes["features"].size(), 13u);
  EXPECT_TRUE(shapes["features"][0]["properties"].contains("code"));
  EXPECT_TRUE(shapes["features"][0]["properties"].contains("name"));

  for (const auto& entry : fs::directory_iterator(site() / "data")) {
    EXPECT_EQ(entry.path().filename().string().find(".tmp-"), std::string::npos)
        << "a temporary file was left: " << entry.path();
  }
}

TEST_F(Dashboard, ThePageIsWrittenBesideTheData) {
  run_two_hours();
  ASSERT_EQ(meteo({"dashboard", "--out", site().string()}).exit_code, 0);
  ASSERT_TRUE(fs::exists(site() / "index.html"));
  const fs::path dist = source_path("web/dist");
  if (!fs::is_directory(dist)) {
    EXPECT_NE(read_text(site() / "index.html").find("data/"), std::string::npos)
        << "the placeholder page points at the data";
    GTEST_SKIP() << "web/dist is not built yet: only the placeholder page was checked";
  }
  for (const auto& entry : fs::recursive_directory_iterator(dist)) {
    if (!entry.is_regular_file()) continue;
    const fs::path relative = fs::relative(entry.path(), dist);
    EXPECT_EQ(read_text(site() / relative), read_text(entry.path())) << relative;
  }
  EXPECT_TRUE(fs::is_directory(site() / "assets"));
}

TEST_F(Dashboard, OutDefaultsToTheConfigAndIsOtherwiseAUsageError) {
  SensorSim sim({.api_key = kApiKey});
  write_config(sim);
  prepare_database();
  const auto missing = meteo({"dashboard"});
  EXPECT_EQ(missing.exit_code, 64) << describe(missing);
  EXPECT_NE(missing.err.find("--out"), std::string::npos) << missing.err;

  write_config(sim, {.out = site().string()});
  const auto configured = meteo({"dashboard"});
  ASSERT_EQ(configured.exit_code, 0) << describe(configured);
  const json meta = read_json(site() / "data/meta.json");
  EXPECT_EQ(meta["language"], "en");
  EXPECT_EQ(read_json(site() / "data/hourly-fr-regions.json")["latest_hour"], nullptr)
      << "no run yet: no hour";
}

TEST_F(Dashboard, RunRefreshesItEvenWhenASourceFails) {
  run_two_hours({.out = site().string(), .refresh_after_run = true});
  json meta = read_json(site() / "data/meta.json");
  EXPECT_EQ(source_named(meta, "sensors")["stale"], false);
  EXPECT_EQ(read_json(site() / "data/hourly-fr-regions.json")["latest_hour"],
            "2026-11-22T06:00:00Z");

  // run_two_hours stopped the simulator: the next run cannot reach the source.
  const auto failed = meteo({"run", "--source", "sensors", "--hour", "2026-11-22T07"});
  EXPECT_EQ(failed.exit_code, 69) << describe(failed);
  meta = read_json(site() / "data/meta.json");
  const json& sensors = source_named(meta, "sensors");
  EXPECT_TRUE(sensors["last_failure"].is_string()) << meta.dump(2);
  EXPECT_FALSE(sensors["last_failure_message"].get<std::string>().empty());
  EXPECT_TRUE(sensors["last_success"].is_string());
}

TEST_F(Dashboard, ADashboardFailureDoesNotFailTheRun) {
  const fs::path blocker = directory_ / "a-file";
  std::ofstream(blocker) << "not a directory";
  SensorSim sim(
      {.api_key = kApiKey, .payload_file = source_path("tests/fixtures/sensor/known-points.json")});
  write_config(sim, {.out = (blocker / "site").string(), .refresh_after_run = true});
  prepare_database();
  const auto run = meteo({"run", "--source", "sensors", "--hour", kEarlyHour});
  EXPECT_EQ(run.exit_code, 0) << describe(run);
  EXPECT_NE(run.err.find("dashboard not refreshed"), std::string::npos) << run.err;
}

TEST_F(Dashboard, ExportWritesTheRowsBetweenTwoHours) {
  run_two_hours();
  const auto csv = meteo({"export", "--what", "region-hourly", "--from", "2026-11-22T00", "--to",
                          "2026-11-22T23", "--format", "csv", "--set", "fr-regions"});
  ASSERT_EQ(csv.exit_code, 0) << describe(csv);
  EXPECT_EQ(csv.out.rfind("RegionSet,RegionCode,Region,Hour,Temperature,NumberOfPoints,"
                          "Temperature3HoursBefore\r\n",
                          0),
            0u)
      << csv.out;
  EXPECT_NE(csv.out.find("fr-regions,76,Occitanie,2026-11-22T03:00:00Z,12.5,3,\r\n"),
            std::string::npos)
      << csv.out;
  EXPECT_NE(csv.out.find("fr-regions,76,Occitanie,2026-11-22T06:00:00Z,15.0,2,12.5\r\n"),
            std::string::npos)
      << csv.out;

  // --to is exclusive: the late hour's window ends at the next hour, and a window ending at the
  // late hour leaves it out.
  const auto late_only = meteo({"export", "--what", "region-hourly", "--from", kLateHour, "--to",
                                "2026-11-22T07", "--format", "json"});
  ASSERT_EQ(late_only.exit_code, 0) << describe(late_only);
  const json rows = json::parse(late_only.out);
  ASSERT_FALSE(rows.empty());
  for (const json& row : rows) EXPECT_EQ(row["hour"], "2026-11-22T06:00:00Z");
  EXPECT_EQ(rows[0]["region_set"], "fr-regions");
  EXPECT_TRUE(rows[0].contains("numberOfPoints"));
  const auto early_only = meteo({"export", "--what", "region-hourly", "--from", kEarlyHour, "--to",
                                 kLateHour, "--format", "json"});
  ASSERT_EQ(early_only.exit_code, 0) << describe(early_only);
  const json early_rows = json::parse(early_only.out);
  ASSERT_FALSE(early_rows.empty());
  for (const json& row : early_rows) EXPECT_EQ(row["hour"], "2026-11-22T03:00:00Z");
  const auto empty_window =
      meteo({"export", "--what", "region-hourly", "--from", kLateHour, "--to", kLateHour});
  EXPECT_EQ(empty_window.exit_code, 64) << describe(empty_window);
  EXPECT_NE(empty_window.err.find("must be before --to"), std::string::npos) << empty_window.err;

  const auto stations = meteo({"export", "--what", "station-hourly", "--from", kEarlyHour, "--to",
                               kLateHour, "--format", "json"});
  ASSERT_EQ(stations.exit_code, 0) << describe(stations);
  EXPECT_EQ(json::parse(stations.out), json::array());

  EXPECT_EQ(meteo({"export", "--what", "region-hourly", "--from", kLateHour, "--to", kEarlyHour})
                .exit_code,
            64);
  EXPECT_EQ(meteo({"export", "--what", "other", "--from", kEarlyHour, "--to", kLateHour}).exit_code,
            64);
}

TEST_F(Dashboard, StationsComeWithTheirLatestObservationAndHours) {
  start_portal();
  run_two_hours();
  const auto dashboard = meteo({"dashboard", "--out", site().string()});
  ASSERT_EQ(dashboard.exit_code, 0) << describe(dashboard);

  const json meta = read_json(site() / "data/meta.json");
  EXPECT_EQ(meta["stations"], "stations.json");
  EXPECT_EQ(meta["station_region_set"], "toulouse-communes");
  EXPECT_EQ(meta["region_sets"].size(), 2u);
  EXPECT_EQ(source_named(meta, "toulouse")["stale"], false);
  EXPECT_EQ(source_named(meta, "toulouse")["type"], "opendatasoft-stations");
  // The configured display name; without one, the source's name.
  EXPECT_EQ(source_named(meta, "toulouse")["display_name"], "Toulouse Métropole");
  EXPECT_EQ(source_named(meta, "sensors")["display_name"], "sensors");

  const json stations = read_json(site() / "data/stations.json");
  EXPECT_EQ(stations["source"], "toulouse");
  EXPECT_EQ(stations["region_set"], "toulouse-communes");
  ASSERT_EQ(stations["stations"].size(), 77u);
  // Named from their dataset ids (the portal's list has no other name): no "Toulouse #1".
  for (const json& station : stations["stations"]) {
    EXPECT_FALSE(station["name"].get<std::string>().empty()) << station["dataset_id"];
    if (station["dataset_id"] == "01-station-meteo-toulouse-meteopole") {
      EXPECT_EQ(station["name"], "Meteopole");
    }
  }
  std::size_t observed = 0;
  const std::string newest_hour = to_iso8601(portal_now());
  for (const json& station : stations["stations"]) {
    if (station["latest"].is_null()) {
      EXPECT_TRUE(station["hourly"].empty()) << station["dataset_id"];
      continue;
    }
    ++observed;
    EXPECT_TRUE(station["region_code"].is_string()) << station["dataset_id"];
    EXPECT_TRUE(station["latest"]["temperature_c"].is_number());
    const json& hourly = station["hourly"];
    ASSERT_GE(hourly.size(), 20u) << "a day of hours";
    EXPECT_LE(hourly.size(), 7u * 24u);
    for (std::size_t i = 1; i < hourly.size(); ++i) {
      EXPECT_LT(hourly[i - 1]["hour"].get<std::string>(), hourly[i]["hour"].get<std::string>());
    }
    EXPECT_LE(hourly.back()["hour"].get<std::string>(), newest_hour);
    EXPECT_GT(hourly.back()["observations"].get<int>(), 0);
  }
  EXPECT_EQ(observed, 2u) << "the two datasets with the Toulouse schema";
  const json communes = read_json(site() / "data/hourly-toulouse-communes.json");
  EXPECT_FALSE(communes["latest_hour"].is_null());
  EXPECT_EQ(read_json(site() / "data/shapes-toulouse-communes.geojson")["features"].size(),
            communes["regions"].size());

  const auto csv = meteo({"export", "--what", "station-hourly", "--from",
                          to_iso8601(portal_now() - std::chrono::hours(24)), "--to",
                          to_iso8601(portal_now()), "--format", "csv"});
  ASSERT_EQ(csv.exit_code, 0) << describe(csv);
  EXPECT_EQ(csv.out.rfind("Source,Dataset,Station,Commune,Hour,TemperatureMean,", 0), 0u);
  EXPECT_NE(csv.out.find("\r\ntoulouse,"), std::string::npos) << csv.out.substr(0, 400);
}

// For the page's browser test: the same two hours and the station network, written where it
// asked and kept.
TEST_F(Dashboard, WritesTheBrowserFixture) {
  const char* fixture = std::getenv("METEO_DASHBOARD_FIXTURE_DIR");
  if (fixture == nullptr || *fixture == '\0') {
    GTEST_SKIP() << "set METEO_DASHBOARD_FIXTURE_DIR to write the browser test's site";
  }
  start_portal();
  run_two_hours();
  const auto dashboard = meteo({"dashboard", "--out", fs::absolute(fixture).string()});
  ASSERT_EQ(dashboard.exit_code, 0) << describe(dashboard);
  EXPECT_TRUE(fs::exists(fs::path(fixture) / "data/meta.json"));
}

}  // namespace
}  // namespace meteo::testing
