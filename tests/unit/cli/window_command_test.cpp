// What backfill and replay share: the same --from/--to/--progress, and one loop over the sources
// that stops at the first failure with its exit code on the last line.
#include "../../../src/cli/window_command.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "../../../src/cli/command_line.hpp"
#include "../../../src/cli/logging.hpp"
#include "meteo/core/errors.hpp"
#include "meteo/core/time.hpp"
#include "test_support.hpp"

namespace meteo {
namespace {

using testing::lines_of;

const TimeWindow kWindow{parse_hour("2026-11-01T00"), parse_hour("2026-11-08T00")};

std::vector<SourceConfig> sources_named(const std::vector<std::string>& names) {
  std::vector<SourceConfig> sources;
  for (const auto& name : names) sources.push_back(SourceConfig{.name = name});
  return sources;
}

std::vector<const SourceConfig*> pointers(const std::vector<SourceConfig>& sources) {
  std::vector<const SourceConfig*> pointed;
  for (const auto& source : sources) pointed.push_back(&source);
  return pointed;
}

TEST(WindowCommands, BackfillAndReplayDefineTheSameWindowAndProgressOptions) {
  CommandLine line;
  const CLI::App* backfill = line.app().get_subcommand("backfill");
  const CLI::App* replay = line.app().get_subcommand("replay");
  for (const char* name : {"--from", "--to", "--progress"}) {
    const CLI::Option* ours = backfill->get_option(name);
    const CLI::Option* theirs = replay->get_option(name);
    EXPECT_EQ(ours->get_description(), theirs->get_description()) << name;
    EXPECT_EQ(ours->get_required(), theirs->get_required()) << name;
    EXPECT_EQ(ours->get_default_str(), theirs->get_default_str()) << name;
  }
  EXPECT_TRUE(backfill->get_option("--from")->get_required());
  EXPECT_TRUE(replay->get_option("--to")->get_required());
  EXPECT_EQ(replay->get_option("--progress")->get_default_str(), "auto");
}

TEST(WindowCommands, TheWindowMustStartBeforeItEnds) {
  WindowOptions options;
  options.from = "2026-11-08T00";
  options.to = "2026-11-01T00";
  try {
    options.window();
    ADD_FAILURE() << "accepted an empty window";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ExitCode::usage);
  }
  options.to = "2026-11-09T00";
  EXPECT_EQ(options.window().to, parse_hour("2026-11-09T00"));
}

TEST(WindowCommands, StopAtTheFirstFailureWhoseLineIsTheLast) {
  std::ostringstream stream;
  auto log = make_logger(stream, "json", "info");
  const auto sources = sources_named({"first", "broken", "never"});
  std::vector<std::string> loaded;
  const int code = load_each_source(*log, "replay", kWindow, pointers(sources),
                                    [&loaded](const SourceConfig& source) {
                                      loaded.push_back(source.name);
                                      if (source.name == "broken") {
                                        throw Error(ExitCode::temporary, "source broken: busy");
                                      }
                                    });
  EXPECT_EQ(code, static_cast<int>(ExitCode::temporary));
  EXPECT_EQ(loaded, (std::vector<std::string>{"first", "broken"}));
  const auto lines = lines_of(stream.str());
  ASSERT_EQ(lines.size(), 1u) << stream.str();
  const auto last = nlohmann::json::parse(lines.back());
  EXPECT_EQ(last["level"], "error");
  EXPECT_EQ(last["message"], "source broken: busy");
  EXPECT_EQ(last["source"], "broken");
  EXPECT_EQ(last["from"], "2026-11-01T00:00:00Z");
  EXPECT_EQ(last["to"], "2026-11-08T00:00:00Z");
  EXPECT_EQ(last["exit_code"], static_cast<int>(ExitCode::temporary));
}

TEST(WindowCommands, EveryLoadedSourceEndsWithOneClosingLine) {
  std::ostringstream stream;
  auto log = make_logger(stream, "json", "info");
  const auto sources = sources_named({"a", "b"});
  int loads = 0;
  EXPECT_EQ(load_each_source(*log, "backfill", kWindow, pointers(sources),
                             [&loads](const SourceConfig&) { ++loads; }),
            0);
  EXPECT_EQ(loads, 2);
  const auto lines = lines_of(stream.str());
  ASSERT_EQ(lines.size(), 1u) << stream.str();
  const auto closing = nlohmann::json::parse(lines.back());
  EXPECT_EQ(closing["message"],
            "backfill of [2026-11-01T00:00:00Z, 2026-11-08T00:00:00Z) finished: 2 source(s)");
  EXPECT_EQ(closing["sources"], 2);
  EXPECT_EQ(closing["exit_code"], 0);
}

}  // namespace
}  // namespace meteo
