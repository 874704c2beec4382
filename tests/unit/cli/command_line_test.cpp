// The command line as an operator types it: global options anywhere, typos named, --version,
// defaults and examples in --help.
#include "../../../src/cli/command_line.hpp"

#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <sstream>

#include "../../../src/cli/manual.hpp"
#include "cli_runner.hpp"
#include "meteo/cli/run_cli.hpp"
#include "meteo/store/migrations.hpp"
#include "meteo/version.hpp"
#include "test_support.hpp"

namespace meteo {
namespace {

using testing::all_commands;
using testing::contains;
using testing::run_in_process;

std::vector<std::string> split_words(const std::string& line) {
  std::istringstream words(line);
  std::vector<std::string> split;
  for (std::string word; words >> word;) split.push_back(word);
  return split;
}

constexpr const char* kMissingConfig = "/nonexistent/given-after.toml";

TEST(GlobalOptions, ConfigAfterTheCommandIsUsed) {
  const auto result = run_in_process({"status", "--config", kMissingConfig});
  EXPECT_EQ(result.exit_code, 78) << result.err;
  EXPECT_TRUE(contains(result.err, kMissingConfig)) << result.err;
}

TEST(GlobalOptions, LogFormatAfterTheCommandAsInTheCronLine) {
  const auto result = run_in_process({"--config", kMissingConfig, "run", "--log-format", "json"});
  EXPECT_EQ(result.exit_code, 78) << result.err;
  EXPECT_TRUE(contains(result.err, R"("level":"error")")) << "a JSON line: " << result.err;
}

TEST(GlobalOptions, AfterASubcommand) {
  const auto json = run_in_process({"query", "temperature-3h", "--log-format", "json", "--config",
                                    kMissingConfig, "--format", "csv"});
  EXPECT_EQ(json.exit_code, 78) << json.err;
  EXPECT_TRUE(contains(json.err, R"("level":"error")")) << json.err;
  const auto silent =
      run_in_process({"regions", "load", "--config", kMissingConfig, "--log-level", "off"});
  EXPECT_EQ(silent.exit_code, 78);
  EXPECT_EQ(silent.err, "") << "--log-level off after the subcommand silences the log";
}

TEST(GlobalOptions, StillValidatedAfterTheCommand) {
  const auto result =
      run_in_process({"status", "--log-format", "yaml", "--config", kMissingConfig});
  EXPECT_EQ(result.exit_code, 64);
  EXPECT_TRUE(contains(result.err, "yaml")) << result.err;
}

TEST(UnknownCommand, NamesTheWordAndSuggestsTheClosest) {
  const auto result = run_in_process({"statsu"});
  EXPECT_EQ(result.exit_code, 64);
  EXPECT_TRUE(contains(result.err, R"(unknown command "statsu")")) << result.err;
  EXPECT_TRUE(contains(result.err, R"(did you mean "status"?)")) << result.err;
  EXPECT_FALSE(contains(result.err, "A subcommand is required")) << result.err;
}

TEST(UnknownCommand, AmongSubcommandsToo) {
  const auto query = run_in_process({"query", "temperatur-3h", "--format", "csv"});
  EXPECT_EQ(query.exit_code, 64);
  EXPECT_TRUE(contains(query.err, R"(meteo-etl query: unknown command "temperatur-3h")"))
      << query.err;
  EXPECT_TRUE(contains(query.err, R"(did you mean "temperature-3h"?)")) << query.err;
  const auto regions = run_in_process({"--config", kMissingConfig, "regions", "lod"});
  EXPECT_EQ(regions.exit_code, 64);
  EXPECT_TRUE(contains(regions.err, R"(did you mean "load"?)")) << regions.err;
}

TEST(UnknownCommand, FarFromEveryCommandListsThem) {
  const auto result = run_in_process({"frobnicate"});
  EXPECT_EQ(result.exit_code, 64);
  EXPECT_TRUE(contains(result.err, R"(unknown command "frobnicate")")) << result.err;
  EXPECT_FALSE(contains(result.err, "did you mean")) << result.err;
  EXPECT_TRUE(contains(result.err, "migrate, regions, run")) << result.err;
}

TEST(UnknownCommand, NoCommandAtAllListsThem) {
  const auto none = run_in_process({"--log-level", "debug"});
  EXPECT_EQ(none.exit_code, 64);
  EXPECT_TRUE(contains(none.err, "a command is required: migrate, regions")) << none.err;
  const auto query = run_in_process({"query"});
  EXPECT_EQ(query.exit_code, 64);
  EXPECT_TRUE(contains(query.err, "a command is required: temperature-3h, station-hourly"))
      << query.err;
}

TEST(UnknownCommand, OtherMistakesKeepTheirMessage) {
  const auto extra = run_in_process({"status", "now"});
  EXPECT_EQ(extra.exit_code, 64);
  EXPECT_TRUE(contains(extra.err, "not expected: now")) << extra.err;
  const auto missing =
      run_in_process({"export", "--from", "2026-11-22T00", "--to", "2026-11-23T00"});
  EXPECT_EQ(missing.exit_code, 64);
  EXPECT_TRUE(contains(missing.err, "--what")) << missing.err;
}

TEST(UnknownOption, IsNamedBeforeTheWordsThatMayBeItsValue) {
  const auto result = run_in_process({"--bogus", "x", "statsu"});
  EXPECT_EQ(result.exit_code, 64);
  EXPECT_TRUE(contains(result.err, R"(meteo-etl: unknown option "--bogus")")) << result.err;
  EXPECT_FALSE(contains(result.err, R"("x")")) << "x may be the value of --bogus: " << result.err;
  const auto with_value = run_in_process({"--bogus=x", "statsu"});
  EXPECT_EQ(with_value.exit_code, 64);
  EXPECT_TRUE(contains(with_value.err, R"(meteo-etl: unknown option "--bogus")")) << with_value.err;
  const auto no_command = run_in_process({"--bogus"});
  EXPECT_EQ(no_command.exit_code, 64);
  EXPECT_TRUE(contains(no_command.err, R"(unknown option "--bogus")")) << no_command.err;
}

TEST(UnknownOption, NotWhenAnUnreachedCommandHasIt) {
  // --format is temperature-3h's: the mistyped command word before it is the mistake, and csv,
  // its value, is no command word.
  const auto value = run_in_process({"--format", "csv", "statsu"});
  EXPECT_EQ(value.exit_code, 64);
  EXPECT_TRUE(contains(value.err, R"(unknown command "statsu"; did you mean "status"?)"))
      << value.err;
  const auto misspelt = run_in_process({"query", "temperatur-3h", "--frmat", "csv"});
  EXPECT_EQ(misspelt.exit_code, 64);
  EXPECT_TRUE(contains(misspelt.err, R"(meteo-etl query: unknown option "--frmat")"))
      << misspelt.err;
}

TEST(UnknownOption, AfterACommandIsNamedWithTheClosestOption) {
  const auto own = run_in_process({"status", "--jsn"});
  EXPECT_EQ(own.exit_code, 64);
  EXPECT_TRUE(
      contains(own.err, R"(meteo-etl status: unknown option "--jsn"; did you mean "--json"?)"))
      << own.err;
  const auto global = run_in_process({"--confg", kMissingConfig, "status"});
  EXPECT_EQ(global.exit_code, 64);
  EXPECT_TRUE(contains(global.err, R"(unknown option "--confg"; did you mean "--config"?)"))
      << "a global option, the command's parent's: " << global.err;
  const auto far = run_in_process({"status", "--frobnicate"});
  EXPECT_EQ(far.exit_code, 64);
  EXPECT_TRUE(contains(far.err, R"(unknown option "--frobnicate")")) << far.err;
  EXPECT_FALSE(contains(far.err, "did you mean")) << far.err;
  EXPECT_FALSE(contains(run_in_process({"--print-man-pag"}).err, "--print-man-page"))
      << "hidden flags";
}

TEST(EditDistance, CountsTranspositionsAsOneEdit) {
  EXPECT_EQ(edit_distance("status", "status"), 0u);
  EXPECT_EQ(edit_distance("statsu", "status"), 1u);
  EXPECT_EQ(edit_distance("", "run"), 3u);
  EXPECT_EQ(edit_distance("rn", "run"), 1u);
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
}

TEST(ClosestName, SuggestsOnlyPlausibleTypos) {
  const std::vector<std::string> commands{"migrate", "regions", "run", "replay", "status"};
  EXPECT_EQ(closest_name("statsu", commands), "status");
  EXPECT_EQ(closest_name("rn", commands), "run");
  EXPECT_EQ(closest_name("stat", commands), "status") << "a word cut short";
  EXPECT_EQ(closest_name("re", commands), std::nullopt) << "regions, replay: ambiguous";
  EXPECT_EQ(closest_name("frobnicate", commands), std::nullopt);
  EXPECT_EQ(closest_name("xyz", commands), std::nullopt);
}

TEST(Version, NamesCommitLibrariesAndSchemaWithoutAConfig) {
  const auto result = run_in_process({"--version"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  std::istringstream lines(result.out);
  std::string line;
  std::getline(lines, line);
  EXPECT_TRUE(std::regex_match(line, std::regex("meteo-etl " + std::string(kVersion) +
                                                R"re( \(commit ([0-9a-f]{7,40}|unknown)\))re")))
      << line;
  EXPECT_TRUE(std::regex_search(result.out, std::regex(R"(\nGEOS 3\.\d+\.\d+)"))) << result.out;
  EXPECT_TRUE(std::regex_search(result.out, std::regex(R"(\nlibcurl \d+\.\d+\.\d+)")))
      << result.out;
  EXPECT_TRUE(std::regex_search(result.out, std::regex(R"(Connector.* 1\.\d+\.\d+\n)")))
      << result.out;
  EXPECT_TRUE(std::regex_search(result.out, std::regex(R"(\nXGBoost \d+\.\d+\.\d+\n)")))
      << result.out;
  EXPECT_TRUE(
      contains(result.out, "\nschema version " + std::to_string(latest_schema_version()) + "\n"))
      << result.out;
  EXPECT_EQ(latest_schema_version(), bundled_migrations().back().version);
  EXPECT_EQ(run_in_process({"run", "--version"}).exit_code, 0)
      << "a global flag, after a command too";
}

TEST(Help, ShowsDefaultsAndExclusiveEnds) {
  const auto query = run_in_process({"query", "temperature-3h", "--help"});
  ASSERT_EQ(query.exit_code, 0);
  EXPECT_TRUE(contains(query.out, "=table")) << query.out;
  EXPECT_TRUE(contains(query.out, "=1000")) << query.out;
  const auto exported = run_in_process({"export", "--help"});
  EXPECT_TRUE(contains(exported.out, "=csv")) << exported.out;
  EXPECT_TRUE(contains(run_in_process({"replay", "--help"}).out, "=1")) << "--jobs";
  CommandLine line;
  int to_options = 0;
  for (const CLI::App* command : all_commands(line.app())) {
    const CLI::Option* to = command->get_option_no_throw("--to");
    if (to == nullptr) continue;
    ++to_options;
    EXPECT_TRUE(contains(to->get_description(), "exclusive")) << command->get_name();
  }
  EXPECT_EQ(to_options, 7)
      << "backfill, replay, export, verify, query air-quality, query alerts, query period";
}

TEST(Help, LogLevelNamesEverySpellingTheConfigurationAccepts) {
  CommandLine line;
  const std::string help = line.app().get_option("--log-level")->get_description();
  for (const auto& spelling : log_level_spellings()) {
    EXPECT_TRUE(std::regex_search(help, std::regex("\\b" + spelling + "\\b")))
        << spelling << " missing from: " << help;
  }
  EXPECT_TRUE(contains(help, "warning (or warn), error (or err), critical or off")) << help;
}

TEST(Help, EveryCommandShowsExamplesThatParse) {
  CommandLine definitions;
  std::vector<const CLI::App*> commands = all_commands(definitions.app());
  commands.push_back(&definitions.app());
  for (const CLI::App* command : commands) {
    const auto examples = examples_of(*command);
    EXPECT_FALSE(examples.empty()) << command->get_name() << " has no example";
    for (const auto& example : examples) {
      std::vector<std::string> words = split_words(example);
      ASSERT_EQ(words.front(), "meteo-etl") << example;
      std::vector<const char*> argv;
      for (const auto& word : words) argv.push_back(word.c_str());
      CommandLine line;
      EXPECT_NO_THROW(line.app().parse(static_cast<int>(argv.size()), argv.data())) << example;
      EXPECT_NE(line.chosen_action(), nullptr) << example;
    }
  }
  const auto help = run_in_process({"run", "--help"});
  EXPECT_TRUE(contains(help.out, "Examples:\n  meteo-etl run --log-format json")) << help.out;
  EXPECT_TRUE(contains(help.out, "may also follow the command")) << help.out;
  EXPECT_TRUE(contains(run_in_process({"--help"}).out, "Examples:")) << "the root's own examples";
}

}  // namespace
}  // namespace meteo
