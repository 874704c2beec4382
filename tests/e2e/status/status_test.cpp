// `meteo-etl status` as monitoring calls it: the exit code decides, the JSON explains.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

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

constexpr const char* kApiKey = "status-e2e-key-41c2";

class StatusCommand : public ::testing::Test {
 protected:
  void SetUp() override { METEO_SKIP_WITHOUT_SHARED_DATA("geo/regions.geojson"); }
  // Sources "sensors" on `sim` and, with `partner`, "partner" on that simulator.
  void write_config(const SensorSim& sim, const std::string& extra_toml = "",
                    const SensorSim* partner = nullptr) {
    std::ofstream config(config_path());
    config << database_toml(database_.config()) << extra_toml
           << "\n[[region_sets]]\nname = \"fr-regions\"\nlocation = \""
           << shared_data("geo/regions.geojson") << "\"\n";
    add_source(config, "sensors", sim);
    if (partner) add_source(config, "partner", *partner);
  }
  static void add_source(std::ostream& config, const std::string& name, const SensorSim& sim) {
    config << "\n[[sources]]\nname = \"" << name << "\"\ntype = \"sensor-api\"\nurl = \""
           << sim.url() << "\"\napi_key_env = \"SENSOR_API_KEY\"\nregion_sets = [\"fr-regions\"]\n"
           << "[sources.http]\nretry_attempts = 2\nretry_initial_backoff_ms = 10\n"
           << "retry_max_backoff_ms = 20\ntimeout_ms = 3000\nconnect_timeout_ms = 1000\n";
  }
  std::string config_path() const { return (directory_.path() / "meteo-etl.toml").string(); }

  ProcessResult meteo(std::vector<std::string> args) {
    return run_meteo_etl(config_path(), database_.config(), kApiKey, std::move(args));
  }

  void prepare_database() {
    ASSERT_EQ(meteo({"migrate"}).exit_code, 0);
    ASSERT_EQ(meteo({"regions", "load"}).exit_code, 0);
  }

  // status --json: its exit code and its health section.
  std::pair<int, json> health() {
    const auto status = meteo({"status", "--json"});
    json report = json::parse(status.out);
    EXPECT_TRUE(report.contains("runs")) << "the old report is still there";
    return {status.exit_code, report.at("health")};
  }

  // Moves every ledger row of `source` `hours` into the past.
  void age_runs(const std::string& source, int hours) {
    Database db = database_.connect();
    const std::string interval = " - INTERVAL " + std::to_string(hours) + " HOUR";
    db.execute("UPDATE etl_runs SET started_at = started_at" + interval +
               ", finished_at = finished_at" + interval + " WHERE source = '" + source + "'");
  }

  ScratchDatabase database_;
  TestDirectory directory_;
};

TEST_F(StatusCommand, ASourceThatNeverRanExits2) {
  SensorSim sim({.records = 10, .api_key = kApiKey});
  write_config(sim);
  ASSERT_EQ(meteo({"migrate"}).exit_code, 0);
  const auto [code, health] = this->health();
  EXPECT_EQ(code, 2);
  EXPECT_EQ(health["verdict"], "never_run");
  EXPECT_EQ(health["exit_code"], 2);
  ASSERT_EQ(health["sources"].size(), 1u);
  const json& source = health["sources"][0];
  EXPECT_EQ(source["name"], "sensors");
  EXPECT_EQ(source["type"], "sensor-api");
  EXPECT_EQ(source["health"], "never_run");
  EXPECT_TRUE(source["last_success"].is_null());
  EXPECT_TRUE(source["last_failure"].is_null());
  EXPECT_TRUE(source["staleness_seconds"].is_null());
  EXPECT_TRUE(source["watermark"]["newest_succeeded_hour"].is_null());
  EXPECT_EQ(source["rows_today"], 0);
  EXPECT_EQ(source["stale_after_minutes"], 90);

  const auto text = meteo({"status"});
  EXPECT_EQ(text.exit_code, 2) << "the text output exits like the JSON";
  EXPECT_NE(text.out.find("health: never_run (exit 2)"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("recent runs"), std::string::npos) << "the old sections remain";
}

TEST_F(StatusCommand, AnUnmigratedDatabaseHasNeverRun) {
  SensorSim sim({.records = 10, .api_key = kApiKey});
  write_config(sim);
  EXPECT_EQ(health().first, 2);
}

TEST_F(StatusCommand, AFreshSuccessExits0WithItsRunHourAndRows) {
  SensorSim sim({.records = 40, .api_key = kApiKey, .invalid = 2});
  write_config(sim);
  prepare_database();
  const auto run = meteo({"run", "--hour", "2026-11-22T06"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto [code, health] = this->health();
  EXPECT_EQ(code, 0);
  EXPECT_EQ(health["verdict"], "healthy");
  const json& source = health["sources"][0];
  EXPECT_EQ(source["health"], "healthy");
  ASSERT_TRUE(source["last_success"].is_object()) << source.dump(2);
  EXPECT_EQ(source["last_success"]["hour"], "2026-11-22T06:00:00Z");
  EXPECT_TRUE(source["last_success"]["run_id"].is_number_integer());
  EXPECT_FALSE(source["last_success"]["finished_at"].get<std::string>().empty());
  EXPECT_GE(source["staleness_seconds"].get<long>(), 0);
  EXPECT_LT(source["staleness_seconds"].get<long>(), 300);
  EXPECT_EQ(source["rows_today"], 40) << "the readings stored by today's runs";
  EXPECT_EQ(source["watermark"]["newest_succeeded_hour"], "2026-11-22T06:00:00Z");
  EXPECT_EQ(source["last_run_status"], "succeeded");
  EXPECT_TRUE(source["last_failure"].is_null());

  const auto text = meteo({"status"});
  EXPECT_EQ(text.exit_code, 0);
  EXPECT_NE(text.out.find("health: healthy (exit 0)"), std::string::npos) << text.out;
}

TEST_F(StatusCommand, AnOldSuccessIsStaleExit1UnlessItsSourceMayWaitLonger) {
  SensorSim sim({.records = 10, .api_key = kApiKey});
  write_config(sim);
  prepare_database();
  ASSERT_EQ(meteo({"run", "--hour", "2026-11-22T06"}).exit_code, 0);
  age_runs("sensors", 3);
  const auto [code, health] = this->health();
  EXPECT_EQ(code, 1);
  EXPECT_EQ(health["verdict"], "stale");
  const json& source = health["sources"][0];
  EXPECT_EQ(source["health"], "stale");
  EXPECT_GE(source["staleness_seconds"].get<long>(), 3 * 3600);
  const auto text = meteo({"status"});
  EXPECT_EQ(text.exit_code, 1);
  EXPECT_NE(text.out.find("3h 0"), std::string::npos) << "staleness for people\n" << text.out;

  write_config(sim,
               "\n[monitoring]\nstale_after_minutes = 60\n"
               "[monitoring.stale_after_minutes_by_source]\nsensors = 240\n");
  const auto [relaxed_code, relaxed] = this->health();
  EXPECT_EQ(relaxed_code, 0);
  EXPECT_EQ(relaxed["sources"][0]["stale_after_minutes"], 240);
}

TEST_F(StatusCommand, NeverRunWinsOverStale) {
  SensorSim sim({.records = 10, .api_key = kApiKey});
  write_config(sim, "", &sim);
  prepare_database();
  ASSERT_EQ(meteo({"run", "--hour", "2026-11-22T06", "--source", "sensors"}).exit_code, 0);
  EXPECT_EQ(health().first, 2) << "partner never ran";
  age_runs("sensors", 5);
  const auto [code, health] = this->health();
  EXPECT_EQ(code, 2);
  EXPECT_EQ(health["sources"][0]["health"], "stale");
  EXPECT_EQ(health["sources"][1]["health"], "never_run");
}

TEST_F(StatusCommand, AFailureShowsItsReason) {
  SensorSim sim({.records = 10, .api_key = kApiKey, .fail_first = 100, .fail_status = 502});
  write_config(sim);
  prepare_database();
  ASSERT_EQ(meteo({"run", "--hour", "2026-11-22T06"}).exit_code, 69);
  const auto [code, health] = this->health();
  EXPECT_EQ(code, 2) << "a failure is not a success";
  const json& source = health["sources"][0];
  EXPECT_EQ(source["last_run_status"], "failed");
  ASSERT_TRUE(source["last_failure"].is_object());
  const std::string reason = source["last_failure"]["message"];
  EXPECT_NE(reason.find("502"), std::string::npos) << reason;
  EXPECT_NE(reason.find(sim.url()), std::string::npos) << "names the URL: " << reason;
  EXPECT_EQ(source["last_failure"]["hour"], "2026-11-22T06:00:00Z");
  const auto text = meteo({"status"});
  EXPECT_NE(text.out.find(reason), std::string::npos) << text.out;
}

// The exposition format, line by line: HELP and TYPE once per family and before its samples,
// every sample `name{label="value",...} number`. Returns the samples by "name{labels}".
std::map<std::string, double> parse_exposition(const std::string& text) {
  static const std::regex help(R"(# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) .+)");
  static const std::regex type(R"(# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (gauge|counter))");
  static const std::regex sample(
      R"(([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[a-zA-Z_][a-zA-Z0-9_]*="(?:\\.|[^"\\])*")"
      R"((?:,[a-zA-Z_][a-zA-Z0-9_]*="(?:\\.|[^"\\])*")*\})? (NaN|[+-]Inf|-?[0-9.]+(?:e[+-]?[0-9]+)?))");
  std::map<std::string, double> samples;
  std::set<std::string> helped, typed;
  std::istringstream lines(text);
  std::smatch match;
  for (std::string line; std::getline(lines, line);) {
    if (std::regex_match(line, match, help)) {
      EXPECT_TRUE(helped.insert(match[1]).second) << "HELP twice: " << line;
    } else if (std::regex_match(line, match, type)) {
      EXPECT_TRUE(typed.insert(match[1]).second) << "TYPE twice: " << line;
    } else if (std::regex_match(line, match, sample)) {
      EXPECT_TRUE(typed.count(match[1])) << "sample before its TYPE: " << line;
      samples[std::string(match[1]) + std::string(match[2])] = std::stod(match[3]);
    } else {
      ADD_FAILURE() << "not exposition format: " << line;
    }
  }
  return samples;
}

TEST_F(StatusCommand, RunWritesTheMetricsFileAlsoWhenASourceFails) {
  SensorSim sim({.records = 20, .api_key = kApiKey, .invalid = 2});
  SensorSim down({.records = 5, .api_key = kApiKey, .fail_first = 100, .fail_status = 503});
  const fs::path textfiles = directory_ / "textfile";
  fs::create_directories(textfiles);
  const fs::path file = textfiles / "meteo-etl.prom";
  write_config(sim, "\n[monitoring]\nmetrics_file = \"" + file.string() + "\"\n", &down);
  prepare_database();
  ASSERT_EQ(meteo({"run", "--hour", "2026-11-22T06"}).exit_code, 69) << "partner is down";

  std::ifstream in(file);
  ASSERT_TRUE(in) << "no metrics file at " << file;
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(fs::status(file).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                fs::perms::others_read);
  auto samples = parse_exposition(text.str());
  const auto value = [&](const std::string& key) {
    EXPECT_TRUE(samples.count(key)) << key << " missing from\n" << text.str();
    return samples[key];
  };
  EXPECT_GT(value("meteo_etl_last_success_timestamp_seconds{source=\"sensors\"}"), 1.7e9);
  EXPECT_FALSE(samples.count("meteo_etl_last_success_timestamp_seconds{source=\"partner\"}"));
  EXPECT_GT(value("meteo_etl_last_failure_timestamp_seconds{source=\"partner\"}"), 1.7e9);
  EXPECT_EQ(value("meteo_etl_last_run_status{source=\"sensors\"}"), 1);
  EXPECT_EQ(value("meteo_etl_last_run_status{source=\"partner\"}"), 0);
  EXPECT_EQ(value("meteo_etl_last_run_exit_code{source=\"sensors\"}"), 0);
  EXPECT_EQ(value("meteo_etl_last_run_exit_code{source=\"partner\"}"), 69);
  EXPECT_EQ(value("meteo_etl_records{source=\"sensors\",outcome=\"fetched\"}"), 22);
  EXPECT_EQ(value("meteo_etl_records{source=\"sensors\",outcome=\"stored\"}"), 20);
  EXPECT_EQ(value("meteo_etl_records{source=\"sensors\",outcome=\"rejected\"}"), 2);
  EXPECT_EQ(value("meteo_etl_health{source=\"sensors\"}"), 0);
  EXPECT_EQ(value("meteo_etl_health{source=\"partner\"}"), 2);
  EXPECT_EQ(value("meteo_etl_watermark_timestamp_seconds{source=\"sensors\"}"), 1795327200)
      << "2026-11-22T06:00:00Z";
  EXPECT_GE(value("meteo_etl_run_duration_seconds{source=\"partner\"}"), 0);
  for (const char* stage : {"fetch", "archive", "parse", "match", "load", "verify"}) {
    EXPECT_GE(value(std::string("meteo_etl_stage_duration_seconds{source=\"sensors\",stage=\"") +
                    stage + "\"}"),
              0);
  }
  // The failed source timed what it did: the fetch that failed.
  EXPECT_GE(value("meteo_etl_stage_duration_seconds{source=\"partner\",stage=\"fetch\"}"), 0);

  // A later run of the failing source alone: the success still comes from the ledger.
  ASSERT_EQ(meteo({"run", "--hour", "2026-11-22T07", "--source", "partner"}).exit_code, 69);
  std::ifstream again(file);
  std::stringstream rewritten;
  rewritten << again.rdbuf();
  samples = parse_exposition(rewritten.str());
  EXPECT_GT(value("meteo_etl_last_success_timestamp_seconds{source=\"sensors\"}"), 1.7e9);
  EXPECT_FALSE(samples.count("meteo_etl_last_run_exit_code{source=\"sensors\"}"))
      << "sensors did not run this time";
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(textfiles)) ++entries;
  EXPECT_EQ(entries, 1u) << "no temporary file left for the collector to trip on";
}

}  // namespace
}  // namespace meteo::testing
