// The [alerts] command: its stdin, its exit code and output, a deadline that kills it, and a
// command that never reads its stdin, none of which may hurt the run.
#include "../../../src/pipeline/alert_command.hpp"

#include <gtest/gtest.h>

#include <chrono>

namespace meteo::pipeline {
namespace {

using std::chrono::seconds;

TEST(AlertCommand, TheAlertArrivesOnStdinAndTheExitCodeIsKept) {
  const auto result = run_command_with_input("cat; exit 3", "{\"id\":1}\n", seconds(10));
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_EQ(result.output, "{\"id\":1}\n");
  EXPECT_FALSE(result.timed_out);
  EXPECT_TRUE(result.error.empty());
}

TEST(AlertCommand, ACommandThatIgnoresItsStdinDoesNotKillTheCaller) {
  const std::string big(1 << 20, 'x');  // more than a socket buffer: the send must not block
  const auto result = run_command_with_input("exit 0", big, seconds(10));
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_FALSE(result.timed_out);
}

TEST(AlertCommand, ACommandPastItsDeadlineIsKilledWithItsChildren) {
  const auto started = std::chrono::steady_clock::now();
  const auto result = run_command_with_input("sleep 30 & sleep 30", "", seconds(1));
  EXPECT_TRUE(result.timed_out);
  EXPECT_EQ(result.exit_code, 128 + 9) << "SIGKILL";
  EXPECT_LT(std::chrono::steady_clock::now() - started, seconds(10));
}

TEST(AlertCommand, OnlyTheLastOutputIsKept) {
  const auto result =
      run_command_with_input("head -c 20000 /dev/zero | tr '\\0' y; echo end", "", seconds(10));
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.output.size(), 4096u);
  EXPECT_EQ(result.output.substr(result.output.size() - 4), "end\n");
}

TEST(AlertCommand, AMissingProgramIsTheShellsExitCode) {
  const auto result = run_command_with_input("/nonexistent/notify", "", seconds(10));
  EXPECT_EQ(result.exit_code, 127);
  EXPECT_NE(result.output.find("nonexistent"), std::string::npos) << result.output;
}

}  // namespace
}  // namespace meteo::pipeline
