#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "../../../src/cli/commands.hpp"
#include "../../../src/cli/table_output.hpp"
#include "cli_runner.hpp"
#include "meteo/cli/run_cli.hpp"

namespace meteo {
namespace {

using testing::run_in_process;

TEST(Cli, VersionAndHelpExitZero) {
  EXPECT_EQ(run_in_process({"--version"}).exit_code, 0);
  const auto help = run_in_process({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  for (const char* command : {"migrate", "regions", "run", "query", "status"}) {
    EXPECT_NE(help.out.find(command), std::string::npos) << command;
  }
}

TEST(Cli, UsageMistakesExit64) {
  EXPECT_EQ(run_in_process({}).exit_code, 64) << "a command is required";
  EXPECT_EQ(run_in_process({"nonsense"}).exit_code, 64);
  EXPECT_EQ(run_in_process({"query", "temperature-3h", "--format", "xml"}).exit_code, 64);
  EXPECT_EQ(run_in_process({"--log-format", "yaml", "status"}).exit_code, 64);
  const auto no_config = run_in_process({"status"});
  EXPECT_EQ(no_config.exit_code, 64);
  EXPECT_NE(no_config.err.find("METEO_ETL_CONFIG"), std::string::npos) << no_config.err;
}

TEST(Cli, ConfigPathComesFromTheEnvironmentWhenNotGiven) {
  const auto result =
      run_in_process({"status"}, {{"METEO_ETL_CONFIG", "/nonexistent/from-env.toml"}});
  EXPECT_EQ(result.exit_code, 78);
  EXPECT_NE(result.err.find("/nonexistent/from-env.toml"), std::string::npos);
  const auto flag_wins = run_in_process({"--config", "/nonexistent/from-flag.toml", "status"},
                                        {{"METEO_ETL_CONFIG", "/nonexistent/from-env.toml"}});
  EXPECT_NE(flag_wins.err.find("from-flag.toml"), std::string::npos);
  EXPECT_EQ(flag_wins.err.find("from-env.toml"), std::string::npos);
}

TEST(Cli, JsonLogFormatEscapesMessages) {
  const auto result =
      run_in_process({"--log-format", "json", "--config", "/no/such \"dir\"/x.toml", "status"});
  EXPECT_EQ(result.exit_code, 78);
  EXPECT_NE(result.err.find(R"("level":"error")"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find(R"(/no/such \"dir\"/x.toml)"), std::string::npos) << result.err;
}

TEST(TableOutput, AlignsOnCodePointsNotBytes) {
  std::ostringstream out;
  print_table(out, {"Region", "T"}, {{"Île-de-France", "1.00"}, {"Corse", "2.00"}});
  EXPECT_EQ(out.str(),
            "Region         T\n"
            "-------------  ----\n"
            "Île-de-France  1.00\n"
            "Corse          2.00\n");
}

TEST(TableOutput, CsvQuotesOnlyWhatNeedsIt) {
  std::ostringstream out;
  print_csv(out, {"a", "b"},
            {{"Provence-Alpes-Côte d'Azur", "x,y"}, {"say \"hi\"", "line\nbreak"}});
  EXPECT_EQ(out.str(),
            "a,b\r\n"
            "Provence-Alpes-Côte d'Azur,\"x,y\"\r\n"
            "\"say \"\"hi\"\"\",\"line\nbreak\"\r\n");
}

// The terminal table rounds for people; CSV and JSON are for programs and lose nothing.
TEST(TableOutput, TableNumbersAreRoundedExactNumbersReadBackTheSame) {
  EXPECT_EQ(table_number(12.345678901234567), "12.35");
  EXPECT_EQ(table_number(-0.125), "-0.12");
  EXPECT_EQ(exact_number(12.345678901234567), "12.345678901234567");
  EXPECT_EQ(exact_number(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(exact_number(15.0), "15.0");
  EXPECT_EQ(exact_number(-3.5e-7), "-3.5e-07");
  for (double value : {12.345678901234567, 0.1 + 0.2, 1.0 / 3.0, -273.15, 1.7976931348623157e308}) {
    EXPECT_EQ(std::stod(exact_number(value)), value) << exact_number(value);
  }
}

TEST(Fingerprint, StableAndContentSensitive) {
  EXPECT_EQ(fingerprint(""), "cbf29ce484222325");
  EXPECT_EQ(fingerprint("regions"), fingerprint("regions"));
  EXPECT_NE(fingerprint("regions"), fingerprint("regionS"));
  EXPECT_EQ(fingerprint("x").size(), 16u);
}

}  // namespace
}  // namespace meteo
