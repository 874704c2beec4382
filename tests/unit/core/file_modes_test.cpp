#include "meteo/core/file_modes.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <string>

namespace meteo {
namespace {

namespace fs = std::filesystem;

// The process umask for one test, restored after it.
class Umask {
 public:
  explicit Umask(mode_t mask) : saved_(::umask(mask)) {}
  ~Umask() { ::umask(saved_); }

 private:
  mode_t saved_;
};

class FileModes : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("meteo-file-modes-" + std::to_string(::getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }

  static fs::perms mode_of(const fs::path& path) {
    return fs::status(path).permissions() & fs::perms::mask;
  }

  fs::path root_;
};

TEST_F(FileModes, NewDirectoriesGetExactlyTheModeWhateverTheUmask) {
  for (const mode_t mask : {mode_t{0}, mode_t{077}}) {
    const Umask umask(mask);
    const fs::path deep = root_ / ("umask" + std::to_string(mask)) / "a" / "b";
    const auto created = create_directories_with_mode(deep, kPrivateDirectoryMode);
    ASSERT_EQ(created.size(), 3u);
    EXPECT_EQ(created.front(), root_ / ("umask" + std::to_string(mask)));
    for (const auto& directory : created) {
      EXPECT_EQ(mode_of(directory), kPrivateDirectoryMode) << directory << " umask " << mask;
    }
  }
}

TEST_F(FileModes, ExistingDirectoriesAreLeftAlone) {
  fs::permissions(root_, static_cast<fs::perms>(0700), fs::perm_options::replace);
  EXPECT_TRUE(create_directories_with_mode(root_, kPublishedDirectoryMode).empty());
  EXPECT_EQ(mode_of(root_), static_cast<fs::perms>(0700));
}

TEST_F(FileModes, AFailureNamesTheDirectory) {
  const fs::path file = root_ / "plain-file";
  { std::ofstream(file) << "x"; }
  try {
    create_directories_with_mode(file / "below", kPrivateDirectoryMode);
    ADD_FAILURE() << "created a directory below a file";
  } catch (const fs::filesystem_error& error) {
    EXPECT_NE(std::string(error.what()).find("below"), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace meteo
