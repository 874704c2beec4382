// The progress bar: done/total, rate, elapsed time and ETA, drawn under the log lines and never
// glued to one; absent from JSON logs unless asked for.
#include "../../../src/cli/progress.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "../../../src/cli/logging.hpp"

namespace meteo {
namespace {

using std::chrono::seconds;

// What a terminal shows after `bytes`: '\r' returns to the line's start, later characters
// overwrite earlier ones, '\n' starts a new line.
std::vector<std::string> screen(const std::string& bytes) {
  std::vector<std::string> lines(1);
  std::size_t column = 0;
  for (char c : bytes) {
    if (c == '\n') {
      lines.emplace_back();
      column = 0;
    } else if (c == '\r') {
      column = 0;
    } else {
      std::string& line = lines.back();
      if (column < line.size()) {
        line[column] = c;
      } else {
        line.push_back(c);
      }
      ++column;
    }
  }
  return lines;
}

std::string trim_right(std::string text) {
  text.erase(text.find_last_not_of(' ') + 1);
  return text;
}

// A clock the test moves.
struct FakeClock {
  Progress::Clock::time_point now{};
  std::function<Progress::Clock::time_point()> function() {
    return [this] { return now; };
  }
};

TEST(ProgressText, ShowsDoneTotalRateElapsedAndEta) {
  EXPECT_EQ(progress_text(10, 40, "windows", seconds(5), "toulouse ds-1"),
            "[##        ] 10/40 windows  2.0/s  elapsed 0:05  ETA 0:15  toulouse ds-1");
  EXPECT_EQ(progress_text(0, 3, "payloads", seconds(0), ""),
            "[          ] 0/3 payloads  -/s  elapsed 0:00  ETA -:--");
  EXPECT_EQ(progress_text(1, 2, "windows", seconds(3725), ""),
            "[#####     ] 1/2 windows  0.0/s  elapsed 1:02:05  ETA 1:02:05");
}

TEST(ProgressText, StaysNarrowerThanATerminal) {
  const std::string text = progress_text(1, 2, "windows", seconds(1), std::string(200, 'x'));
  EXPECT_LT(text.size(), 80u);
  EXPECT_NE(text.find("ETA"), std::string::npos);
}

TEST(ProgressBar, LogLinesStartTheirOwnLineAndTheBarIsGoneAtTheEnd) {
  std::ostringstream stream;
  auto log = make_logger(stream, "text", "info");  // a pipe: drawn only because asked
  ASSERT_TRUE(wants_progress_bar(ProgressMode::always, *log));
  FakeClock clock;
  {
    Progress progress(*log, true, 4, "windows", clock.function());
    EXPECT_EQ(progress.step_level(), spdlog::level::debug);
    clock.now += seconds(2);
    progress.step("ds-1 [2026-11-01, 2026-11-02)");
    log->warn("dataset ds-2 skipped: no temperature field");
    clock.now += seconds(2);
    progress.step("ds-3 [2026-11-02, 2026-11-03)");
  }
  log->info("source toulouse: run 7 succeeded");
  const std::string bytes = stream.str();
  EXPECT_NE(bytes.find("2/4 windows  0.5/s  elapsed 0:04  ETA 0:04"), std::string::npos) << bytes;

  // Each log line begins a line: right after a newline or the '\r' that erased the bar.
  const std::regex log_line_start(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z )");
  for (auto it = std::sregex_iterator(bytes.begin(), bytes.end(), log_line_start);
       it != std::sregex_iterator(); ++it) {
    const auto at = static_cast<std::size_t>(it->position());
    EXPECT_TRUE(at == 0 || bytes[at - 1] == '\n' || bytes[at - 1] == '\r') << bytes;
  }
  // On the screen: the two log lines whole, no bar left over, nothing glued to them.
  const auto lines = screen(bytes);
  ASSERT_EQ(lines.size(), 3u) << bytes;
  // Trailing spaces (what erased the bar) are invisible.
  EXPECT_TRUE(
      std::regex_search(trim_right(lines[0]), std::regex("^\\S+ warning dataset ds-2 skipped: no "
                                                         "temperature field$")))
      << lines[0];
  EXPECT_TRUE(std::regex_search(trim_right(lines[1]),
                                std::regex("^\\S+ info source toulouse: run 7 succeeded$")))
      << lines[1];
  EXPECT_EQ(trim_right(lines[2]), "") << "the bar is erased at the end";
}

TEST(ProgressBar, WithoutABarStepsAreLoggedAndNothingElseIsWritten) {
  std::ostringstream stream;
  auto log = make_logger(stream, "text", "info");
  {
    Progress progress(*log, false, 2, "payloads");
    progress.step("a");
    EXPECT_EQ(progress.step_level(), spdlog::level::info);
  }
  EXPECT_EQ(stream.str(), "");
}

TEST(ProgressBar, AutoDrawsOnlyForTextOnATerminal) {
  std::ostringstream stream;
  const auto text_terminal = make_logger(stream, "text", "info", {.terminal = true});
  const auto json_terminal = make_logger(stream, "json", "info", {.terminal = true});
  const auto text_pipe = make_logger(stream, "text", "info");
  EXPECT_TRUE(wants_progress_bar(ProgressMode::automatic, *text_terminal));
  EXPECT_FALSE(wants_progress_bar(ProgressMode::automatic, *json_terminal));
  EXPECT_FALSE(wants_progress_bar(ProgressMode::automatic, *text_pipe));
  EXPECT_FALSE(wants_progress_bar(ProgressMode::never, *text_terminal));
  EXPECT_TRUE(wants_progress_bar(ProgressMode::always, *text_pipe));
  EXPECT_EQ(parse_progress_mode("auto"), ProgressMode::automatic);
}

TEST(ProgressBar, JsonOnATerminalStaysOneObjectPerLine) {
  std::ostringstream stream;
  auto log = make_logger(stream, "json", "info", {.terminal = true});
  {
    Progress progress(*log, wants_progress_bar(ProgressMode::automatic, *log), 2, "payloads");
    progress.step("a");
    log->info("between");
    progress.step("b");
  }
  const std::string bytes = stream.str();
  EXPECT_EQ(bytes.find('\r'), std::string::npos) << bytes;
  EXPECT_EQ(bytes.find('#'), std::string::npos) << bytes;
  EXPECT_EQ(nlohmann::json::parse(bytes)["message"], "between");
}

}  // namespace
}  // namespace meteo
