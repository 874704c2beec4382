// Log lines for a terminal or a file, and for the journal (sd-daemon priority prefixes).
#include "../../../src/cli/logging.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <regex>
#include <sstream>

#include "test_support.hpp"

namespace meteo {
namespace {

using testing::environment_of;
using testing::lines_of;

std::vector<std::string> log_every_level(const std::string& format, bool for_journal) {
  std::ostringstream stream;
  auto log = make_logger(stream, format, "trace", {.journal = for_journal});
  log->trace("t");
  log->debug("d");
  log->info("i");
  log->warn("w");
  log->error("e");
  log->critical("c");
  return lines_of(stream.str());
}

TEST(Logging, TextLinesStartWithTheirUtcTime) {
  const auto lines = log_every_level("text", false);
  ASSERT_EQ(lines.size(), 6u);
  const std::regex timestamped(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z warning w)");
  EXPECT_TRUE(std::regex_match(lines[3], timestamped)) << lines[3];
}

TEST(Logging, JournalTextLinesCarryThePriorityAndNoTime) {
  EXPECT_EQ(log_every_level("text", true),
            (std::vector<std::string>{"<7>trace t", "<7>debug d", "<6>info i", "<4>warning w",
                                      "<3>error e", "<2>critical c"}));
}

TEST(Logging, JournalJsonLinesCarryThePriorityAndKeepTheirTime) {
  const auto lines = log_every_level("json", true);
  ASSERT_EQ(lines.size(), 6u);
  EXPECT_EQ(lines[4].rfind("<3>{\"time\":\"", 0), 0u) << lines[4];
  EXPECT_NE(lines[4].find("\"level\":\"error\",\"message\":\"e\"}"), std::string::npos) << lines[4];
}

// A descriptor of our own whose device and inode we know, standing for stderr.
class JournalStream : public ::testing::Test {
 protected:
  void SetUp() override {
    fd_ = ::open(path_.c_str(), O_CREAT | O_WRONLY | O_TRUNC, 0600);
    ASSERT_GE(fd_, 0);
    struct stat info {};
    ASSERT_EQ(::fstat(fd_, &info), 0);
    identity_ = std::to_string(info.st_dev) + ":" + std::to_string(info.st_ino);
  }
  void TearDown() override {
    ::close(fd_);
    std::filesystem::remove(path_);
  }
  const std::filesystem::path path_ =
      std::filesystem::temp_directory_path() / ("meteo-journal-" + std::to_string(::getpid()));
  int fd_ = -1;
  std::string identity_;
};

TEST_F(JournalStream, RecognisedWhenJournalStreamNamesTheDescriptor) {
  EXPECT_TRUE(is_journal_stream(environment_of({{"JOURNAL_STREAM", identity_}}), fd_));
}

TEST_F(JournalStream, NotWhenTheVariableIsAbsentOrNamesAnotherStream) {
  EXPECT_FALSE(is_journal_stream(environment_of({}), fd_));
  // Inherited by a child whose stderr went elsewhere: the inode no longer matches.
  EXPECT_FALSE(is_journal_stream(environment_of({{"JOURNAL_STREAM", identity_ + "0"}}), fd_));
  EXPECT_FALSE(is_journal_stream(environment_of({{"JOURNAL_STREAM", "garbage"}}), fd_));
}

}  // namespace
}  // namespace meteo
