// read_location: a plain path, a file:// URL and an http URL served by the simulator's /static/.
#include <gtest/gtest.h>
#include <spdlog/logger.h>
#include <spdlog/sinks/null_sink.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "meteo/core/errors.hpp"
#include "meteo/http/client.hpp"
#include "sensor_sim.hpp"

namespace meteo {
namespace {

namespace fs = std::filesystem;
using testing::SensorSim;
using testing::SensorSimOptions;

constexpr const char* kRegions = R"({"type":"FeatureCollection","features":[]})";

class ReadLocationTest : public ::testing::Test {
 protected:
  ReadLocationTest() {
    std::string pattern = (fs::temp_directory_path() / "meteo-read-location-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    root_ = pattern;
    fs::create_directories(root_ / "public" / "nested dir");
    write(root_ / "public" / "regions.geojson", kRegions);
    write(root_ / "public" / "nested dir" / "r\xC3\xA9gions.json", "[1]");
    write(root_ / "outside.txt", "must not be served");
  }
  ~ReadLocationTest() override {
    std::error_code ignored;
    fs::remove_all(root_, ignored);
  }

  static void write(const fs::path& path, const std::string& content) {
    std::ofstream(path, std::ios::binary) << content;
  }

  SensorSimOptions static_options() const {
    SensorSimOptions options;
    options.static_dir = (root_ / "public").string();
    return options;
  }

  HttpClient client() {
    HttpSettings settings;
    settings.retry.attempts = 1;
    return HttpClient(settings, log_, [](std::chrono::milliseconds) {});
  }

  Error failure(const std::string& location) {
    HttpClient http = client();
    try {
      read_location(location, http);
      ADD_FAILURE() << "read " << location;
    } catch (const Error& error) {
      return error;
    }
    return Error(ExitCode::ok, "");
  }

  CurlGlobal curl_;
  spdlog::logger log_{"read-location-test", std::make_shared<spdlog::sinks::null_sink_mt>()};
  fs::path root_;
};

TEST_F(ReadLocationTest, ReadsAPlainPath) {
  HttpClient http = client();
  EXPECT_EQ(read_location((root_ / "public" / "regions.geojson").string(), http), kRegions);
}

TEST_F(ReadLocationTest, ReadsAFileUrl) {
  HttpClient http = client();
  EXPECT_EQ(read_location("file://" + (root_ / "public" / "regions.geojson").string(), http),
            kRegions);
  EXPECT_EQ(
      read_location("FILE://localhost" + (root_ / "public" / "regions.geojson").string(), http),
      kRegions);
}

TEST_F(ReadLocationTest, DecodesPercentEscapesInAFileUrl) {
  HttpClient http = client();
  const std::string url =
      "file://" + (root_ / "public").string() + "/nested%20dir/r%C3%A9gions.json";
  EXPECT_EQ(read_location(url, http), "[1]");
}

TEST_F(ReadLocationTest, ReadsAnHttpUrl) {
  SensorSim sim(static_options());
  HttpClient http = client();
  EXPECT_EQ(read_location(sim.base_url() + "/static/regions.geojson", http), kRegions);
  EXPECT_EQ(read_location(sim.base_url() + "/static/nested%20dir/r%C3%A9gions.json", http), "[1]");
}

TEST_F(ReadLocationTest, TheSimulatorServesNothingOutsideItsStaticDirectory) {
  SensorSim sim(static_options());
  for (const std::string path : {"/static/%2e%2e/outside.txt", "/static/..%2Foutside.txt",
                                 "/static/%2Fetc%2Fpasswd", "/static/missing.json"}) {
    const Error error = failure(sim.base_url() + path);
    EXPECT_EQ(error.code(), ExitCode::unavailable) << path;
    EXPECT_NE(std::string(error.what()).find("404 Not Found"), std::string::npos) << error.what();
  }
}

TEST_F(ReadLocationTest, AMissingFileIsUnavailableAndNamed) {
  const std::string path = (root_ / "no-such.geojson").string();
  const Error error = failure(path);
  EXPECT_EQ(error.code(), ExitCode::unavailable);
  EXPECT_EQ(std::string(error.what()), "cannot read " + path + ": No such file or directory");
  EXPECT_NE(std::string(failure("file://" + path).what()).find("file://" + path),
            std::string::npos);
}

TEST_F(ReadLocationTest, ADirectoryIsNotADocument) {
  const Error error = failure(root_.string());
  EXPECT_EQ(error.code(), ExitCode::unavailable);
  EXPECT_EQ(std::string(error.what()), "cannot read " + root_.string() + ": is a directory");
}

TEST_F(ReadLocationTest, AFileUrlOnAnotherHostIsRefused) {
  const Error error = failure("file://fileserver/srv/regions.geojson");
  EXPECT_EQ(error.code(), ExitCode::unavailable);
  EXPECT_NE(std::string(error.what()).find("file://fileserver/srv/regions.geojson"),
            std::string::npos);
}

TEST_F(ReadLocationTest, AnUnreachableUrlIsUnavailableAndNamed) {
  std::string url;
  {
    SensorSim gone;
    url = gone.base_url() + "/static/regions.geojson";
  }
  const Error error = failure(url);
  EXPECT_EQ(error.code(), ExitCode::unavailable);
  EXPECT_NE(std::string(error.what()).find(url), std::string::npos) << error.what();
}

}  // namespace
}  // namespace meteo
