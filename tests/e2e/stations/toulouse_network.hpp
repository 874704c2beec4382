// The Toulouse station network's end-to-end fixture: the reference data it needs, a scratch
// directory and database, and meteo-etl run as cron runs it with the test's configuration.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "config_files.hpp"
#include "paths.hpp"
#include "portal_sim.hpp"
#include "subprocess.hpp"
#include "test_database.hpp"

namespace meteo::testing {

inline std::string describe(const ProcessResult& result) {
  return "exit " + std::to_string(result.exit_code) + "\nstdout:\n" + result.out + "\nstderr:\n" +
         result.err;
}

class ToulouseNetworkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    METEO_SKIP_WITHOUT_SHARED_DATA("geo/communes-31-haute-garonne.geojson",
                                   "toulouse/stations-meteo-en-place.exports.json",
                                   "toulouse/catalog-v1-search-q-meteo.json");
    directory_ = std::filesystem::temp_directory_path() /
                 ("meteo-e2e-stations-" + std::to_string(::getpid()) + "-" +
                  ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(directory_);
  }
  void TearDown() override { std::filesystem::remove_all(directory_); }

  // The configuration: the database, the commune set, then the "toulouse" source reading
  // `portal`'s station datasets, followed by `source_keys` (start, windows, [sources.*] tables).
  void write_config(const PortalSim& portal, const std::string& source_keys) {
    std::ofstream config(config_path());
    config << database_toml(database_.config())
           << "\n[[region_sets]]\nname = \"toulouse-communes\"\nlocation = \""
           << shared_data("geo/communes-31-haute-garonne.geojson") << "\"\n"
           << "\n[[sources]]\nname = \"toulouse\"\ntype = \"opendatasoft-stations\"\nbase_url = \""
           << portal.base_url() << "\"\ndataset_pattern = \"station-meteo\"\n"
           << "region_sets = [\"toulouse-communes\"]\n"
           << source_keys;
  }
  std::string config_path() const { return (directory_ / "toulouse.toml").string(); }

  ProcessResult meteo(std::vector<std::string> args) {
    args.insert(args.begin(), meteo_etl_binary());
    return run_process(args, cron_environment(config_path(), database_.config()),
                       std::chrono::seconds(300));
  }

  void prepare_database() {
    ASSERT_EQ(meteo({"migrate"}).exit_code, 0);
    const auto load = meteo({"regions", "load"});
    ASSERT_EQ(load.exit_code, 0) << describe(load);
  }

  ScratchDatabase database_;
  std::filesystem::path directory_;
};

}  // namespace meteo::testing
