// The harness's child processes (tests/harness/subprocess.cpp). The harness has no suite of its
// own; these checks live beside the simulator tests, the first users of BackgroundProcess.
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <stdexcept>
#include <string>

#include "subprocess.hpp"

namespace meteo::testing {
namespace {

const Environment kPath{{"PATH", "/usr/bin:/bin"}};

TEST(HarnessSubprocess, CollectsStdoutStderrAndTheExitCode) {
  const ProcessResult result =
      run_process({"/bin/sh", "-c", "echo out; echo err >&2; exit 3"}, kPath);
  EXPECT_EQ(result.out, "out\n");
  EXPECT_EQ(result.err, "err\n");
  EXPECT_EQ(result.exit_code, 3);
}

TEST(HarnessSubprocess, TheEnvironmentIsExactlyTheOneGiven) {
  const ProcessResult result = run_process({"/usr/bin/env"}, {{"ONLY", "this"}, {"AND", "that"}});
  EXPECT_EQ(result.out, "AND=that\nONLY=this\n");
  EXPECT_EQ(run_process({"/usr/bin/env"}, {}).out, "");
}

TEST(HarnessSubprocess, LargeOutputOnBothPipesDoesNotDeadlock) {
  const ProcessResult result = run_process(
      {"/bin/sh", "-c",
       "head -c 3000000 /dev/zero | tr '\\0' a >&2; head -c 3000000 /dev/zero | tr '\\0' b"},
      kPath, std::chrono::seconds(30));
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.err.size(), 3000000u);
  EXPECT_EQ(result.out.size(), 3000000u);
}

TEST(HarnessSubprocess, ASignalIsReportedAs128PlusItsNumber) {
  EXPECT_EQ(run_process({"/bin/sh", "-c", "kill -TERM $$"}, kPath).exit_code, 128 + SIGTERM);
}

TEST(HarnessSubprocess, AChildOutlivingTheTimeoutIsKilledAndFailsTheTest) {
  ProcessResult result;
  const auto start = std::chrono::steady_clock::now();
  EXPECT_NONFATAL_FAILURE(result = run_process({"/bin/sh", "-c", "echo started >&2; exec sleep 30"},
                                               kPath, std::chrono::seconds(1)),
                          "killed after 1 s");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
  EXPECT_EQ(result.exit_code, 128 + SIGKILL);
  EXPECT_EQ(result.err, "started\n");
}

TEST(HarnessSubprocess, AMissingProgramThrows) {
  EXPECT_THROW(run_process({"/nonexistent/program"}, {}), std::runtime_error);
}

TEST(HarnessSubprocess, ABackgroundProcessStopsOnDestruction) {
  const auto start = std::chrono::steady_clock::now();
  pid_t pid = -1;
  {
    BackgroundProcess sleeper({"/bin/sleep", "30"}, kPath);
    pid = sleeper.pid();
    EXPECT_GT(pid, 0);
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
  EXPECT_NE(::kill(pid, 0), 0);  // reaped: no zombie left behind
}

}  // namespace
}  // namespace meteo::testing
