// What an operator and a log shipper read on stderr: JSON lines that always parse, with the run's
// fields; the exit code on the last line; a database that refuses our login exits 77; a progress
// bar that never breaks a line, and never appears in JSON unless asked for.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "cli_job.hpp"
#include "config_files.hpp"
#include "db_snapshot.hpp"
#include "meteo/core/time.hpp"
#include "paths.hpp"
#include "sensor_sim.hpp"
#include "subprocess.hpp"
#include "test_database.hpp"

namespace meteo::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kApiKey = "logs-key-5b7e";
constexpr int kRecords = 120;
constexpr int kInvalid = 3;

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// Every line parsed; a line that is not JSON fails the test, naming it.
std::vector<json> json_lines(const std::string& text) {
  std::vector<json> lines;
  for (const auto& line : lines_of(text)) {
    try {
      lines.push_back(json::parse(line));
    } catch (const json::exception& error) {
      ADD_FAILURE() << "not a JSON line (" << error.what() << "): " << line;
    }
  }
  return lines;
}

// The first line whose message contains `needle`, or null.
json line_with(const std::vector<json>& lines, const std::string& needle) {
  for (const auto& line : lines) {
    if (line.value("message", "").find(needle) != std::string::npos) return line;
  }
  return nullptr;
}

std::string describe(const ProcessResult& result) {
  return "exit " + std::to_string(result.exit_code) + "\nstderr:\n" + result.err;
}

// "'a' 'b c'" for /bin/sh.
std::string shell_words(const std::vector<std::string>& words) {
  std::string line;
  for (const auto& word : words) {
    std::string quoted = "'";
    for (char c : word) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    line += (line.empty() ? "" : " ") + quoted + "'";
  }
  return line;
}

class Logs : public ::testing::Test {
 protected:
  void write_config(const SensorSim& sim, const DatabaseConfig& db) {
    std::ofstream config(config_path());
    config << database_toml(db) << "\n[archive]\nroot = \"" << (directory_ / "archive").string()
           << "\"\n\n[[region_sets]]\nname = \"fr-regions\"\nlocation = \""
           << shared_data("geo/regions.geojson") << "\"\n"
           << "\n[[sources]]\nname = \"sensors\"\ntype = \"sensor-api\"\nurl = \"" << sim.url()
           << "\"\napi_key_env = \"SENSOR_API_KEY\"\nregion_sets = [\"fr-regions\"]\n"
           << "[sources.http]\nretry_attempts = 1\n";
  }
  void write_config(const SensorSim& sim) { write_config(sim, database_.config()); }

  std::string config_path() const { return (directory_ / "meteo-etl.toml").string(); }

  ProcessResult meteo(std::vector<std::string> args, const std::string& api_key = kApiKey) {
    return run_meteo_etl(config_path(), database_.config(), api_key, std::move(args));
  }

  void expect_ok(const std::vector<std::string>& args) {
    const auto result = meteo(args);
    ASSERT_EQ(result.exit_code, 0) << "meteo-etl " << args.front() << "\n" << result.err;
  }

  // Two archived hours, loaded and ready to replay.
  void run_two_hours(const SensorSim& sim) {
    write_config(sim);
    expect_ok({"migrate"});
    expect_ok({"regions", "load", "--set", "fr-regions"});
    expect_ok({"run", "--hour", "2026-11-22T03"});
    expect_ok({"run", "--hour", "2026-11-22T04"});
  }

  // Runs meteo-etl inside a pseudo-terminal (script(1)), as an operator at a terminal would;
  // returns what the terminal received.
  ProcessResult meteo_in_terminal(std::vector<std::string> args) {
    args.insert(args.begin(), meteo_etl_binary());
    Environment env = cron_environment(config_path(), database_.config());
    env["SENSOR_API_KEY"] = kApiKey;
    env["SHELL"] = "/bin/sh";
    return run_process({"/usr/bin/script", "-qec", shell_words(args), "/dev/null"}, env);
  }

  ScratchDatabase database_;
  TestDirectory directory_;
};

TEST_F(Logs, EveryLineOfAJsonRunParsesAndTheSummaryCarriesTheRunsFields) {
  SensorSim sim({.records = kRecords, .seed = 4, .api_key = kApiKey, .invalid = kInvalid});
  write_config(sim);
  expect_ok({"migrate"});
  expect_ok({"regions", "load", "--set", "fr-regions"});

  const auto result = meteo({"--log-format", "json", "run", "--hour", "2026-11-22T06"});
  ASSERT_EQ(result.exit_code, 0) << describe(result);
  const auto lines = json_lines(result.err);
  ASSERT_FALSE(lines.empty());
  for (const auto& line : lines) {
    EXPECT_TRUE(line["time"].is_string() && line["level"].is_string() &&
                line["message"].is_string())
        << line;
  }

  const json summary = line_with(lines, "succeeded: fetched");
  ASSERT_FALSE(summary.is_null()) << result.err;
  Database db = database_.connect();
  EXPECT_EQ(summary["source"], "sensors");
  EXPECT_EQ(std::to_string(summary["run_id"].get<std::int64_t>()),
            query_value(db, "SELECT MAX(id) FROM etl_runs"));
  EXPECT_EQ(summary["hour"], to_iso8601(parse_hour("2026-11-22T06")));
  EXPECT_EQ(summary["fetched"], kRecords + kInvalid);
  EXPECT_EQ(summary["rejected"], kInvalid);
  EXPECT_EQ(summary["stored"].dump() + " " + summary["unchanged"].dump(),
            query_value(db, "SELECT CONCAT_WS(' ', `stored`, unchanged) FROM etl_runs"));
  for (const char* count : {"corrections", "unchanged", "duplicates", "outside", "disagreements"}) {
    EXPECT_TRUE(summary[count].is_number_unsigned()) << count << " in " << summary;
  }
  const json rejected = line_with(lines, "rejected:");
  ASSERT_FALSE(rejected.is_null()) << result.err;
  EXPECT_EQ(rejected["level"], "warning");

  EXPECT_EQ(lines.back()["exit_code"], 0) << lines.back();
  EXPECT_EQ(lines.back()["sources"], 1) << lines.back();
  EXPECT_FALSE(summary.contains("exit_code")) << "only the last line says how the command ended";
}

TEST_F(Logs, AFailedSourceNamesItselfAndTheLastLineCarriesTheExitCode) {
  SensorSim sim({.records = 20, .seed = 4, .api_key = kApiKey});
  write_config(sim);
  expect_ok({"migrate"});
  expect_ok({"regions", "load", "--set", "fr-regions"});

  const auto result =
      meteo({"--log-format", "json", "run", "--hour", "2026-11-22T06"}, "not-the-key");
  ASSERT_EQ(result.exit_code, 77) << describe(result);
  const auto lines = json_lines(result.err);
  ASSERT_GE(lines.size(), 2u) << result.err;
  const json failure = line_with(lines, "source sensors:");
  ASSERT_FALSE(failure.is_null()) << result.err;
  EXPECT_EQ(failure["level"], "error");
  EXPECT_EQ(failure["source"], "sensors");
  EXPECT_EQ(failure["exit_code"], 77);
  EXPECT_EQ(lines.back()["exit_code"], 77) << lines.back();
  EXPECT_EQ(lines.back()["failed_sources"], 1) << lines.back();
}

TEST_F(Logs, ReplaySummaryAndLastLineCarryTheirFields) {
  SensorSim sim({.records = 50, .seed = 2, .api_key = kApiKey});
  run_two_hours(sim);
  const auto result =
      meteo({"--log-format", "json", "replay", "--from", "2026-11-22T00", "--to", "2026-11-23T00"});
  ASSERT_EQ(result.exit_code, 0) << describe(result);
  const auto lines = json_lines(result.err);
  const json per_payload = line_with(lines, "replay run");
  ASSERT_FALSE(per_payload.is_null()) << result.err;
  EXPECT_TRUE(per_payload["run_id"].is_number_integer()) << per_payload;
  EXPECT_EQ(per_payload["source"], "sensors");
  EXPECT_TRUE(per_payload["payload"].is_string()) << per_payload;
  const json summary = line_with(lines, "replayed 2 payload(s)");
  ASSERT_FALSE(summary.is_null()) << result.err;
  EXPECT_EQ(summary["payloads"], 2);
  EXPECT_EQ(summary["fetched"], 100);
  EXPECT_EQ(summary["from"], to_iso8601(parse_hour("2026-11-22T00")));
  EXPECT_EQ(lines.back()["exit_code"], 0) << lines.back();
}

// Cron would otherwise retry every hour for a password that will never become right.
TEST_F(Logs, ADatabaseThatRefusesOurPasswordExits77) {
  SensorSim sim({.records = 20, .seed = 4, .api_key = kApiKey});
  const std::string account = database_.config().name + "_l";
  {
    Database admin = database_.connect();
    const bool mariadb =
        query_value(admin, "SELECT VERSION()").find("MariaDB") != std::string::npos;
    admin.execute("CREATE USER '" + account + "'@'%' " +
                  (mariadb ? "IDENTIFIED BY" : "IDENTIFIED WITH mysql_native_password BY") +
                  " 'the-right-pw-1c'");
    admin.execute("GRANT ALL ON `" + database_.config().name + "`.* TO '" + account + "'@'%'");
  }
  DatabaseConfig as_account = database_.config();
  as_account.user = account;
  as_account.password = Secret("a-wrong-pw-9f");
  write_config(sim, as_account);
  Environment env = cron_environment(config_path(), as_account);
  env["SENSOR_API_KEY"] = kApiKey;
  const auto result = run_process(
      {meteo_etl_binary(), "--log-format", "json", "run", "--hour", "2026-11-22T06"}, env);
  database_.connect().execute("DROP USER '" + account + "'@'%'");

  EXPECT_EQ(result.exit_code, 77) << describe(result);
  const auto lines = json_lines(result.err);
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines.back()["exit_code"], 77) << lines.back();
  EXPECT_NE(lines.back()["message"].get<std::string>().find("MySQL error 1045"), std::string::npos)
      << lines.back();
  EXPECT_EQ(result.err.find("a-wrong-pw-9f"), std::string::npos) << "the password stays secret";
}

TEST_F(Logs, AProgressBarAskedForInAPipeShowsRateAndEtaAndNeverGluesALine) {
  SensorSim sim({.records = 50, .seed = 2, .api_key = kApiKey});
  run_two_hours(sim);
  const auto result =
      meteo({"replay", "--from", "2026-11-22T00", "--to", "2026-11-23T00", "--progress", "always"});
  ASSERT_EQ(result.exit_code, 0) << describe(result);
  const std::string& err = result.err;
  EXPECT_NE(err.find("2/2 payloads"), std::string::npos) << err;
  EXPECT_NE(err.find("/s  elapsed "), std::string::npos) << err;
  EXPECT_NE(err.find("ETA "), std::string::npos) << err;
  // Log lines start a line of their own: after a newline, or the '\r' that erased the bar.
  const std::regex log_line(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (info|warning|error) )");
  std::size_t log_lines = 0;
  for (auto it = std::sregex_iterator(err.begin(), err.end(), log_line);
       it != std::sregex_iterator(); ++it, ++log_lines) {
    const auto at = static_cast<std::size_t>(it->position());
    EXPECT_TRUE(at == 0 || err[at - 1] == '\n' || err[at - 1] == '\r') << err;
  }
  EXPECT_GE(log_lines, 2u) << err;
  EXPECT_NE(err.find("replay of [2026-11-22T00:00:00Z"), std::string::npos) << err;
  // The per-payload lines are the bar's job now (debug).
  EXPECT_EQ(err.find("replay run"), std::string::npos) << err;
}

TEST_F(Logs, OnATerminalTextGetsABarAndJsonNeverDoes) {
  if (!fs::exists("/usr/bin/script")) GTEST_SKIP() << "script(1) is not installed";
  SensorSim sim({.records = 50, .seed = 2, .api_key = kApiKey});
  run_two_hours(sim);

  const auto text = meteo_in_terminal(
      {"--config", config_path(), "replay", "--from", "2026-11-22T00", "--to", "2026-11-23T00"});
  ASSERT_EQ(text.exit_code, 0) << text.out << text.err;
  EXPECT_NE(text.out.find("payloads"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("ETA"), std::string::npos) << text.out;

  const auto structured =
      meteo_in_terminal({"--config", config_path(), "--log-format", "json", "replay", "--from",
                         "2026-11-22T00", "--to", "2026-11-23T00"});
  ASSERT_EQ(structured.exit_code, 0) << structured.out << structured.err;
  std::string transcript = structured.out;
  // The terminal turns each "\n" into "\r\n"; nothing else may carry a '\r'.
  transcript = std::regex_replace(transcript, std::regex("\r\n"), "\n");
  EXPECT_EQ(transcript.find('\r'), std::string::npos) << transcript;
  EXPECT_EQ(transcript.find("ETA"), std::string::npos) << transcript;
  const auto lines = json_lines(transcript);
  EXPECT_GE(lines.size(), 2u) << transcript;
}

}  // namespace
}  // namespace meteo::testing
