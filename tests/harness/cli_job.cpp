#include "cli_job.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <future>

#include "config_files.hpp"
#include "paths.hpp"

namespace meteo::testing {

TestDirectory::TestDirectory() {
  const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
  path_ = std::filesystem::temp_directory_path() / ("meteo-" + std::to_string(::getpid()) + "-" +
                                                    test->test_suite_name() + "-" + test->name());
  std::filesystem::remove_all(path_);
  std::filesystem::create_directories(path_);
}

TestDirectory::~TestDirectory() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

ProcessResult run_meteo_etl(const std::string& config_path, const DatabaseConfig& db,
                            const std::string& api_key, std::vector<std::string> args) {
  Environment env = cron_environment(config_path, db);
  env["SENSOR_API_KEY"] = api_key;
  args.insert(args.begin(), meteo_etl_binary());
  return run_process(args, env);
}

std::vector<ProcessResult> run_meteo_etl_shards(const std::string& config_path,
                                                const DatabaseConfig& db,
                                                const std::string& api_key,
                                                const std::vector<std::string>& args, int workers) {
  std::vector<std::future<ProcessResult>> running;
  for (int k = 0; k < workers; ++k) {
    auto worker_args = args;
    worker_args.insert(worker_args.end(),
                       {"--shard", std::to_string(k) + "/" + std::to_string(workers)});
    running.push_back(std::async(std::launch::async, [&config_path, &db, &api_key, worker_args] {
      return run_meteo_etl(config_path, db, api_key, worker_args);
    }));
  }
  std::vector<ProcessResult> results;
  for (auto& worker : running) results.push_back(worker.get());
  return results;
}

}  // namespace meteo::testing
