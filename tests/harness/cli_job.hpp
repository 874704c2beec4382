// What the end-to-end tests of the CLI share: a scratch directory per test for the config file,
// the archive and sites, and the meteo-etl binary run the way cron runs it.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "meteo/config/config.hpp"
#include "subprocess.hpp"

namespace meteo::testing {

// temp/meteo-<pid>-<test name>/, created empty and removed with its contents afterwards.
class TestDirectory {
 public:
  TestDirectory();
  ~TestDirectory();
  TestDirectory(const TestDirectory&) = delete;
  TestDirectory& operator=(const TestDirectory&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

// Runs meteo-etl with `args` in cron's bare environment, the config at `config_path`, the
// database password and the sensor API key in $SENSOR_API_KEY.
ProcessResult run_meteo_etl(const std::string& config_path, const DatabaseConfig& db,
                            const std::string& api_key, std::vector<std::string> args);

// The sharded workers: `args` + `--shard K/workers` for every K, all started at once; their
// results in the order of K.
std::vector<ProcessResult> run_meteo_etl_shards(const std::string& config_path,
                                                const DatabaseConfig& db,
                                                const std::string& api_key,
                                                const std::vector<std::string>& args, int workers);

}  // namespace meteo::testing
