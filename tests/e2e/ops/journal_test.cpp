// The binary under systemd: stderr connected to the journal ($JOURNAL_STREAM names it).
#include <gtest/gtest.h>

#include "paths.hpp"
#include "subprocess.hpp"

namespace meteo::testing {
namespace {

// Sets JOURNAL_STREAM to the device:inode of the child's real stderr (the harness's pipe), as
// systemd does for a unit's stream connected to the journal, or to `fixed` when given.
ProcessResult run_with_journal_stream(const std::string& fixed = "") {
  const std::string stream =
      fixed.empty() ? "$(stat -L -c %d:%i /proc/self/fd/2)" : "'" + fixed + "'";
  return run_process(
      {"/bin/sh", "-c",
       "JOURNAL_STREAM=" + stream + " exec \"$0\" --config /nonexistent/meteo-etl.toml status",
       meteo_etl_binary()},
      {{"PATH", "/usr/bin:/bin"}});
}

TEST(Journal, LinesCarryTheirPriorityAndNoTimestamp) {
  const auto result = run_with_journal_stream();
  EXPECT_EQ(result.exit_code, 78);
  EXPECT_EQ(result.err.rfind("<3>error /nonexistent/meteo-etl.toml: cannot read", 0), 0u)
      << result.err;
}

TEST(Journal, AnInheritedVariableNamingAnotherStreamChangesNothing) {
  const auto result = run_with_journal_stream("8:12345");
  EXPECT_EQ(result.exit_code, 78);
  EXPECT_EQ(result.err.find("<3>"), std::string::npos) << result.err;
  EXPECT_EQ(result.err.find(" error /nonexistent/meteo-etl.toml"), 24u)
      << "after a 24-character UTC timestamp: " << result.err;
}

}  // namespace
}  // namespace meteo::testing
