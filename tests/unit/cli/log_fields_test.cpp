// JSON log lines built by nlohmann/json: always valid, with fields; one vocabulary of levels.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "../../../src/cli/logging.hpp"
#include "cli_runner.hpp"
#include "meteo/cli/run_cli.hpp"
#include "meteo/config/config.hpp"
#include "meteo/core/errors.hpp"
#include "test_support.hpp"

namespace meteo {
namespace {

using testing::environment_of;
using testing::kMinimalConfig;
using testing::lines_of;
using testing::run_in_process;

nlohmann::json only_json_line(const std::string& text) {
  const auto lines = lines_of(text);
  EXPECT_EQ(lines.size(), 1u) << text;
  return nlohmann::json::parse(lines.at(0));  // throws (fails the test) when not JSON
}

TEST(JsonLogLines, InvalidUtf8InAMessageStillMakesAValidLine) {
  std::ostringstream stream;
  auto log = make_logger(stream, "json", "info");
  // A partner's Latin-1 byte, a lone continuation byte and a truncated sequence, quoted.
  log->warn("record 7 rejected: bad name \"Z\xfcrich\" \x80 \xe2\x82");
  const auto line = only_json_line(stream.str());
  EXPECT_EQ(line["level"], "warning");
  EXPECT_EQ(line["message"],
            "record 7 rejected: bad name \"Z\xef\xbf\xbdrich\" \xef\xbf\xbd \xef\xbf\xbd");
}

TEST(JsonLogLines, FieldsBecomeMembersAndNumbersStayNumbers) {
  std::ostringstream stream;
  auto log = make_logger(stream, "json", "info");
  log_with(*log, spdlog::level::info,
           LogFields()
               .add("source", "sensors")
               .add("run_id", std::int64_t{42})
               .add("stored", std::size_t{180})
               .add("ratio", 0.5)
               .add("dry_run", false),
           "source {}: run {} succeeded", "sensors", 42);
  const std::string text = stream.str();
  const auto line = only_json_line(text);
  EXPECT_EQ(line["message"], "source sensors: run 42 succeeded");
  EXPECT_EQ(line["source"], "sensors");
  EXPECT_TRUE(line["run_id"].is_number_integer());
  EXPECT_EQ(line["run_id"], 42);
  EXPECT_EQ(line["stored"], 180);
  EXPECT_EQ(line["ratio"], 0.5);
  EXPECT_EQ(line["dry_run"], false);
  // time, level and message first, then the fields in the order given.
  EXPECT_EQ(text.find("{\"time\":\""), 0u) << text;
  EXPECT_LT(text.find("\"message\""), text.find("\"source\"")) << text;
  EXPECT_LT(text.find("\"run_id\""), text.find("\"stored\"")) << text;
}

TEST(JsonLogLines, AFieldNeverReplacesTimeLevelOrMessage) {
  std::ostringstream stream;
  auto log = make_logger(stream, "json", "info");
  log_with(*log, spdlog::level::err, LogFields().add("level", "info").add("message", "forged"),
           "the real one");
  const auto line = only_json_line(stream.str());
  EXPECT_EQ(line["level"], "error");
  EXPECT_EQ(line["message"], "the real one");
}

TEST(JsonLogLines, FieldsRespectTheLevel) {
  std::ostringstream stream;
  auto log = make_logger(stream, "json", "warning");
  log_with(*log, spdlog::level::info, LogFields().add("n", 1), "hidden");
  EXPECT_EQ(stream.str(), "");
}

TEST(TextLogLines, KeepTheirLookWithFields) {
  std::ostringstream stream;
  auto log = make_logger(stream, "text", "info", {.journal = true});
  log_with(*log, spdlog::level::err, LogFields().add("exit_code", 75), "source {}: busy", "s");
  EXPECT_EQ(stream.str(), "<3>error source s: busy\n");
}

// Whatever the spelling, the level a line prints is the word the documentation gives.
TEST(LogLevels, OneVocabularyInAndOut) {
  for (const char* spelling : {"warn", "warning"}) {
    std::ostringstream stream;
    auto log = make_logger(stream, "text", spelling, {.journal = true});
    log->info("hidden");
    log->warn("shown");
    EXPECT_EQ(stream.str(), "<4>warning shown\n") << spelling;
  }
  EXPECT_EQ(canonical_log_level("warn"), "warning");
  EXPECT_EQ(canonical_log_level("err"), "error");
  EXPECT_EQ(canonical_log_level("critical"), "critical");
  EXPECT_EQ(canonical_log_level("loud"), std::nullopt);
  EXPECT_THROW(make_logger(std::cerr, "text", "loud"), Error);
  // Every accepted spelling makes a logger, and only those.
  for (const auto& spelling : log_level_spellings()) {
    EXPECT_NO_THROW(make_logger(std::cerr, "text", spelling)) << spelling;
  }
}

TEST(LogLevels, TheConfigFileAcceptsBothSpellingsAndKeepsTheDocumentedWord) {
  for (const char* spelling : {"warn", "warning"}) {
    const std::string toml =
        "[logging]\nlevel = \"" + std::string(spelling) + "\"\n" + kMinimalConfig;
    const Config config = parse_config(toml, "/etc/meteo-etl/meteo-etl.toml", environment_of());
    EXPECT_EQ(config.logging.level, "warning") << spelling;
  }
}

TEST(LogLevels, TheCommandLineAcceptsBothSpellings) {
  for (const char* spelling : {"warn", "warning", "error", "err"}) {
    // Past the parser: the missing configuration file is what fails (78), not the level (64).
    const auto result =
        run_in_process({"--log-level", spelling, "--config", "/nonexistent/m.toml", "status"});
    EXPECT_EQ(result.exit_code, 78) << spelling << ": " << result.err;
    EXPECT_NE(result.err.find(" error "), std::string::npos) << result.err;
  }
  EXPECT_EQ(run_in_process({"--log-level", "loud", "status"}).exit_code, 64);
}

TEST(LogLevels, AFailingCommandsLastJsonLineCarriesTheExitCode) {
  const auto result =
      run_in_process({"--log-format", "json", "--config", "/nonexistent/m.toml", "status"});
  ASSERT_EQ(result.exit_code, 78) << result.err;
  const auto lines = lines_of(result.err);
  ASSERT_FALSE(lines.empty());
  const auto last = nlohmann::json::parse(lines.back());
  EXPECT_EQ(last["exit_code"], 78) << lines.back();
  EXPECT_EQ(last["level"], "error");
}

}  // namespace
}  // namespace meteo
