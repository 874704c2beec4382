// [database] hosts as cron meets it: the first node listed is down, the job runs on the next one
// and says so; with every node down it exits 75 naming each, and cron's next hour will do.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "cli_job.hpp"
#include "config_files.hpp"
#include "db_snapshot.hpp"
#include "loopback_server.hpp"
#include "paths.hpp"
#include "sensor_sim.hpp"
#include "subprocess.hpp"
#include "test_database.hpp"

namespace meteo::testing {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

constexpr const char* kApiKey = "cluster-e2e-key-5d0b";

std::string describe(const ProcessResult& result) {
  return "exit " + std::to_string(result.exit_code) + "\nstderr:\n" + result.err;
}

class ClusterHosts : public ::testing::Test {
 protected:
  void SetUp() override {
    METEO_SKIP_WITHOUT_SHARED_DATA("geo/regions.geojson");
    if (database_.config().port == 0) GTEST_SKIP() << "the test server has no TCP port";
  }

  // The scratch database reached through `nodes` (the test server's own is "live").
  void write_config(const std::vector<DatabaseHost>& nodes, const SensorSim& sim) {
    cluster_ = database_.config();
    cluster_.socket.clear();
    cluster_.hosts = nodes;
    std::ofstream config(config_path());
    config << database_toml(cluster_) << "\n[[region_sets]]\nname = \"fr-regions\"\nlocation = \""
           << shared_data("geo/regions.geojson") << "\"\n"
           << "\n[[sources]]\nname = \"sensors\"\ntype = \"sensor-api\"\nurl = \"" << sim.url()
           << "\"\napi_key_env = \"SENSOR_API_KEY\"\nregion_sets = [\"fr-regions\"]\n"
           << "[sources.http]\nretry_attempts = 1\ntimeout_ms = 3000\n";
  }
  std::string config_path() const { return (directory_ / "meteo-etl.toml").string(); }
  ProcessResult meteo(std::vector<std::string> args) {
    return run_meteo_etl(config_path(), cluster_, kApiKey, std::move(args));
  }

  DatabaseHost live() const { return {database_.config().host, database_.config().port}; }
  static DatabaseHost dead() { return {"127.0.0.1", unused_loopback_port()}; }
  static std::string address(const DatabaseHost& node) {
    return node.host + ":" + std::to_string(node.port);
  }

  ScratchDatabase database_;
  TestDirectory directory_;
  DatabaseConfig cluster_;
};

TEST_F(ClusterHosts, TheJobRunsOnTheNextNodeWhenTheFirstIsDown) {
  SensorSim sim({.records = 50, .seed = 3, .api_key = kApiKey});
  const DatabaseHost down = dead();
  write_config({down, live()}, sim);
  for (const auto& args :
       {std::vector<std::string>{"migrate"}, std::vector<std::string>{"regions", "load"},
        std::vector<std::string>{"run", "--hour", "2026-11-22T06"},
        std::vector<std::string>{"status"}}) {
    const auto result = meteo(args);
    EXPECT_EQ(result.exit_code, 0) << args.front() << ": " << describe(result);
    if (args.front() == "run") {
      EXPECT_THAT(result.err,
                  AllOf(HasSubstr("connected to node " + address(live()) + " of [database] hosts"),
                        HasSubstr("skipped " + address(down) + ": Can't connect")));
    }
  }
  Database db = database_.connect();
  EXPECT_EQ(query_value(db, "SELECT status FROM etl_runs WHERE source = 'sensors'"), "succeeded");
}

TEST_F(ClusterHosts, EveryNodeDownExits75NamingEachNode) {
  SensorSim sim({.records = 5, .api_key = kApiKey});
  const DatabaseHost first = dead();
  const DatabaseHost second = dead();
  write_config({first, second}, sim);
  const auto result = meteo({"migrate"});
  EXPECT_EQ(result.exit_code, 75) << describe(result);
  EXPECT_THAT(result.err, AllOf(HasSubstr("cannot connect to any node of the database '" +
                                          database_.config().name + "'"),
                                HasSubstr(address(first) + ": Can't connect"),
                                HasSubstr(address(second) + ": Can't connect")));
}

}  // namespace
}  // namespace meteo::testing
