// `status` when [monitoring] metrics_file is set: a file the last run could not write (or that is
// gone since) is an error naming the path and the OS error, exit 3, not a warning lost in a log.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli_job.hpp"
#include "config_files.hpp"
#include "paths.hpp"
#include "sensor_sim.hpp"
#include "subprocess.hpp"
#include "test_database.hpp"

namespace meteo::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kApiKey = "status-metrics-e2e-key-77d0";

class StatusMetricsFile : public ::testing::Test {
 protected:
  void SetUp() override { METEO_SKIP_WITHOUT_SHARED_DATA("geo/regions.geojson"); }

  void write_config(const fs::path& metrics_file) {
    std::ofstream config(config_path());
    config << database_toml(database_.config()) << "[archive]\nroot = \"archive\"\n"
           << "[cache]\ndir = \"cache\"\n[monitoring]\nmetrics_file = \"" << metrics_file.string()
           << "\"\n"
           << "\n[[region_sets]]\nname = \"fr-regions\"\nlocation = \""
           << shared_data("geo/regions.geojson") << "\"\n"
           << "\n[[sources]]\nname = \"sensors\"\ntype = \"sensor-api\"\nurl = \"" << sim_.url()
           << "\"\napi_key_env = \"SENSOR_API_KEY\"\nregion_sets = [\"fr-regions\"]\n";
  }
  std::string config_path() const { return (directory_.path() / "meteo-etl.toml").string(); }

  ProcessResult meteo(std::vector<std::string> args) {
    return run_meteo_etl(config_path(), database_.config(), kApiKey, std::move(args));
  }

  void prepare_and_run(const fs::path& metrics_file) {
    write_config(metrics_file);
    ASSERT_EQ(meteo({"migrate"}).exit_code, 0);
    ASSERT_EQ(meteo({"regions", "load"}).exit_code, 0);
    const auto run = meteo({"run", "--hour", "2026-11-22T06"});
    ASSERT_EQ(run.exit_code, 0) << "an unwritable metrics file does not fail the run\n" << run.err;
  }

  // status --json: its exit code and its health section.
  std::pair<int, json> health() {
    const auto status = meteo({"status", "--json"});
    return {status.exit_code, json::parse(status.out).at("health")};
  }

  // Both outputs exit 3 and name `path` and `os_error`; the source itself stays healthy.
  void expect_metrics_error(const fs::path& path, const std::string& os_error) {
    const auto [code, health] = this->health();
    EXPECT_EQ(code, 3) << health.dump(2);
    EXPECT_EQ(health["exit_code"], 3);
    EXPECT_EQ(health["verdict"], "metrics_unwritten");
    EXPECT_EQ(health["sources"][0]["health"], "healthy") << "the data itself is fine";
    const json& metrics = health["metrics_file"];
    ASSERT_TRUE(metrics.is_object()) << health.dump(2);
    EXPECT_EQ(metrics["path"], path.string());
    EXPECT_EQ(metrics["ok"], false);
    const std::string error = metrics["error"].get<std::string>();
    EXPECT_NE(error.find(path.string()), std::string::npos) << error;
    EXPECT_NE(error.find(os_error), std::string::npos) << error;

    const auto text = meteo({"status"});
    EXPECT_EQ(text.exit_code, 3);
    EXPECT_NE(text.out.find("metrics file: ERROR " + error), std::string::npos) << text.out;
    EXPECT_NE(text.out.find("health: metrics_unwritten (exit 3)"), std::string::npos) << text.out;
  }

  ScratchDatabase database_;
  TestDirectory directory_;
  SensorSim sim_{{.records = 10, .api_key = kApiKey}};
};

TEST_F(StatusMetricsFile, AMissingDirectoryIsAnErrorUntilARunWritesTheFile) {
  const fs::path textfiles = directory_ / "textfile";
  const fs::path file = textfiles / "meteo-etl.prom";
  ASSERT_NO_FATAL_FAILURE(prepare_and_run(file));
  expect_metrics_error(file, "No such file or directory");

  fs::create_directories(textfiles);
  ASSERT_EQ(meteo({"run", "--hour", "2026-11-22T07"}).exit_code, 0);
  ASSERT_TRUE(fs::exists(file));
  const auto [code, health] = this->health();
  EXPECT_EQ(code, 0) << health.dump(2);
  EXPECT_EQ(health["verdict"], "healthy");
  EXPECT_EQ(health["metrics_file"]["ok"], true);
  EXPECT_TRUE(health["metrics_file"]["error"].is_null());
  const auto text = meteo({"status"});
  EXPECT_EQ(text.exit_code, 0);
  EXPECT_NE(text.out.find("metrics file: " + file.string() + ": ok"), std::string::npos)
      << text.out;
}

// Root ignores directory permissions, so the unwritable directory is a file in the path's way:
// the same failure to create the file beside it, whoever runs the test.
TEST_F(StatusMetricsFile, ADirectoryThatCannotHoldTheFileIsAnError) {
  const fs::path in_the_way = directory_ / "textfile";
  std::ofstream(in_the_way) << "not a directory\n";
  const fs::path file = in_the_way / "meteo-etl.prom";
  ASSERT_NO_FATAL_FAILURE(prepare_and_run(file));
  expect_metrics_error(file, "Not a directory");
}

TEST_F(StatusMetricsFile, AFileRemovedAfterTheRunIsAnError) {
  const fs::path file = directory_ / "meteo-etl.prom";
  ASSERT_NO_FATAL_FAILURE(prepare_and_run(file));
  ASSERT_EQ(health().first, 0);
  fs::remove(file);
  expect_metrics_error(file, "No such file or directory");
}

TEST_F(StatusMetricsFile, NoRunYetExpectsNoFile) {
  write_config(directory_ / "textfile" / "meteo-etl.prom");
  ASSERT_EQ(meteo({"migrate"}).exit_code, 0);
  const auto [code, health] = this->health();
  EXPECT_EQ(code, 2) << "never run, not a metrics error";
  EXPECT_EQ(health["metrics_file"]["ok"], true) << health.dump(2);
}

}  // namespace
}  // namespace meteo::testing
