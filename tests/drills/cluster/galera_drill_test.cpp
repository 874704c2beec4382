// Drills on a 3-node Galera cluster of the drill's own (tests/harness/galera.sh): the source lock
// holds across nodes, a node killed mid-load loses that run and nothing committed, and sharded
// workers on three different nodes load exactly what one run on a single server loads.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <optional>
#include <thread>

#include "cli_job.hpp"
#include "config_files.hpp"
#include "db_snapshot.hpp"
#include "paths.hpp"
#include "private_mariadb.hpp"
#include "sensor_sim.hpp"
#include "subprocess.hpp"
#include "test_database.hpp"

namespace meteo::testing {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

constexpr const char* kApiKey = "galera-drill-key";
constexpr int kLeaseSeconds = 3;

std::string describe(const ProcessResult& result) {
  return "exit " + std::to_string(result.exit_code) + "\nstderr:\n" + result.err;
}

bool wait_for_value(Database& db, const std::string& query, const std::string& expected) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    if (query_value(db, query) == expected) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

// The config of a deployment whose [database] is `db`, with short leases: a run on a dead node
// lets go of its source within seconds.
std::string write_config(const fs::path& path, DatabaseConfig db, const SensorSim& sim) {
  db.lease_ttl = std::chrono::seconds(kLeaseSeconds);
  std::ofstream(path) << sensor_site_toml(db, (path.parent_path() / "archive").string(), sim.url());
  return path.string();
}

class GaleraDrill : public ::testing::Test {
 protected:
  void SetUp() override {
    METEO_SKIP_WITHOUT_SHARED_DATA("geo/regions.geojson");
    directory_ = fs::temp_directory_path() /
                 ("meteo-galera-" + std::to_string(::getpid()) + "-" +
                  ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(directory_);
    fs::create_directories(directory_);
    cluster_.emplace(directory_ / "cluster");
  }
  void TearDown() override {
    cluster_.reset();
    if (!HasFailure()) fs::remove_all(directory_);
  }

  // Creates `database` on the cluster and writes one config per node, each connecting to its
  // node; migrates and loads the regions through node 1.
  void prepare(const std::string& database, const SensorSim& sim) {
    Database::connect(cluster_->config(1))
        .execute("CREATE DATABASE " + database + " CHARACTER SET utf8mb4");
    fs::create_directories(directory_ / database);
    configs_.clear();
    for (int node = 1; node <= 3; ++node) {
      configs_.push_back(
          write_config(directory_ / database / ("node" + std::to_string(node) + ".toml"),
                       cluster_->config(node, database), sim));
    }
    for (const auto& args :
         {std::vector<std::string>{"migrate"}, std::vector<std::string>{"regions", "load"}}) {
      const auto result = meteo(1, args);
      ASSERT_EQ(result.exit_code, 0) << describe(result);
    }
  }

  // meteo-etl as cron runs it, connected to `node`.
  ProcessResult meteo(int node, const std::vector<std::string>& args) const {
    return run_meteo_etl(configs_.at(node - 1), cluster_->config(node), kApiKey, args);
  }

  Database connect(int node, const std::string& database) const {
    return Database::connect(cluster_->config(node, database));
  }

  // Every data table and the product, identical on each node, and `verify` passing on each.
  void expect_nodes_agree(const std::string& database) {
    Database first = connect(1, database);
    const auto contents = data_tables_contents(first);
    for (int node = 1; node <= 3; ++node) {
      Database db = connect(node, database);
      EXPECT_EQ(data_tables_contents(db), contents) << "node " << node;
      const auto verify = meteo(node, {"verify"});
      EXPECT_EQ(verify.exit_code, 0) << "verify on node " << node << ": " << describe(verify);
    }
  }

  fs::path directory_;
  std::optional<PrivateGaleraCluster> cluster_;
  std::vector<std::string> configs_;
};

TEST_F(GaleraDrill, TwoRunsOfOneSourceOnTwoNodesAtOnceLoadItOnce) {
  SensorSim sim({.records = 2000, .seed = 5, .api_key = kApiKey, .delay_ms = 1000});
  prepare("meteo", sim);
  for (const std::string hour : {"2026-11-22T06", "2026-11-22T07", "2026-11-22T08"}) {
    auto on_node2 = std::async(std::launch::async, [&] {
      return meteo(2, {"run", "--hour", hour});
    });
    const auto first = meteo(1, {"run", "--hour", hour});
    const auto second = on_node2.get();
    const bool first_loaded = first.exit_code == 0;
    const auto& loaded = first_loaded ? first : second;
    const auto& refused = first_loaded ? second : first;
    ASSERT_EQ(loaded.exit_code, 0) << hour << ": " << describe(loaded);
    EXPECT_EQ(refused.exit_code, 75) << hour << ": " << describe(refused);
    EXPECT_THAT(refused.err, HasSubstr("another run holds its lock")) << hour;
  }
  Database db = connect(3, "meteo");
  EXPECT_EQ(query_value(db, "SELECT COUNT(*) FROM etl_runs WHERE status = 'succeeded'"), "3");
  EXPECT_EQ(query_value(db, "SELECT COUNT(*) FROM etl_runs WHERE status <> 'succeeded'"), "0")
      << "the refused runs never began";
  EXPECT_EQ(count_rows(db, "sensor_readings"), 2000u);
  expect_nodes_agree("meteo");
}

TEST_F(GaleraDrill, ANodeKilledDuringALoadLosesThatRunAndNothingCommitted) {
  SensorSim sim({.records = 2000, .seed = 11, .api_key = kApiKey, .delay_ms = 1500});
  prepare("meteo", sim);
  const auto committed = meteo(1, {"run", "--hour", "2026-11-22T05"});
  ASSERT_EQ(committed.exit_code, 0) << describe(committed);
  std::string before;
  {
    Database db = connect(1, "meteo");
    before = data_tables_contents(db);
  }

  ProcessResult killed_run;
  std::thread run([&] { killed_run = meteo(2, {"run", "--hour", "2026-11-22T06"}); });
  bool in_transaction = false;
  try {
    // On the run's own node: a row lock there holds the run inside its open load transaction.
    Database observer = connect(2, "meteo");
    Database holder = connect(2, "meteo");
    if (wait_for_value(observer, "SELECT COUNT(*) FROM etl_runs WHERE status = 'running'", "1")) {
      holder.execute("START TRANSACTION");
      holder.execute("SELECT id FROM etl_runs WHERE status = 'running' FOR UPDATE");
      in_transaction =
          wait_for_value(observer,
                         "SELECT COUNT(*) FROM information_schema.processlist"
                         " WHERE info LIKE 'UPDATE etl_runs SET status = ''succeeded''%'",
                         "1");
    }
    cluster_->kill_node(2);
  } catch (const std::exception& error) {
    ADD_FAILURE() << "drill setup: " << error.what();
    cluster_->kill_node(2);
  }
  run.join();
  ASSERT_TRUE(in_transaction) << "the run never waited inside its load transaction; "
                              << describe(killed_run);
  EXPECT_EQ(killed_run.exit_code, 75) << describe(killed_run);

  {
    Database survivor = connect(3, "meteo");
    EXPECT_EQ(data_tables_contents(survivor), before) << "the dead node's run left a part behind";
  }

  // Cron's next run lists the dead node first: it runs on the next one. The dead run's leases
  // name node 2, so it waits for them to expire first.
  DatabaseConfig hosts = cluster_->config(2, "meteo");
  hosts.socket.clear();
  for (const int node : {2, 3, 1}) {
    const auto address = cluster_->address(node);
    const auto colon = address.rfind(':');
    hosts.hosts.push_back({address.substr(0, colon), std::stoi(address.substr(colon + 1))});
  }
  const auto failover_config = write_config(directory_ / "meteo" / "hosts.toml", hosts, sim);
  std::this_thread::sleep_for(std::chrono::seconds(kLeaseSeconds + 1));
  const auto next =
      run_meteo_etl(failover_config, hosts, kApiKey, {"run", "--hour", "2026-11-22T06"});
  ASSERT_EQ(next.exit_code, 0) << describe(next);
  EXPECT_THAT(next.err, HasSubstr("marked 1 abandoned run(s) failed"));
  EXPECT_THAT(next.err, HasSubstr("connected to node " + cluster_->address(3)));

  cluster_->start_node(2);
  Database db = connect(2, "meteo");
  EXPECT_EQ(query_value(db, "SELECT COUNT(*) FROM etl_runs WHERE status = 'succeeded'"), "2");
  EXPECT_EQ(count_rows(db, "etl_leases"), 0u) << "no lease outlives its run";
  expect_nodes_agree("meteo");
}

TEST_F(GaleraDrill, ShardedWorkersOnThreeNodesLoadWhatOneRunOnOneServerLoads) {
  SensorSim sim({.records = 3000, .seed = 17, .api_key = kApiKey, .invalid = 30, .duplicates = 60});
  constexpr const char* kHour = "2026-11-22T06";

  ScratchDatabase single_server;
  const auto single_config = write_config(directory_ / "single.toml", single_server.config(), sim);
  for (const auto& args :
       {std::vector<std::string>{"migrate"}, std::vector<std::string>{"regions", "load"},
        std::vector<std::string>{"run", "--hour", kHour}}) {
    const auto result = run_meteo_etl(single_config, single_server.config(), kApiKey, args);
    ASSERT_EQ(result.exit_code, 0) << describe(result);
  }

  prepare("meteo", sim);
  std::vector<std::future<ProcessResult>> workers;
  for (int k = 0; k < 3; ++k) {
    workers.push_back(std::async(std::launch::async, [this, k, kHour] {
      return meteo(k + 1, {"run", "--hour", kHour, "--shard", std::to_string(k) + "/3"});
    }));
  }
  for (auto& worker : workers) {
    const auto result = worker.get();
    EXPECT_EQ(result.exit_code, 0) << describe(result);
  }
  Database reference = single_server.connect();
  const auto expected = product_contents(reference);
  for (int node = 1; node <= 3; ++node) {
    Database db = connect(node, "meteo");
    EXPECT_EQ(product_contents(db), expected) << "node " << node;
  }
  expect_nodes_agree("meteo");
}

}  // namespace
}  // namespace meteo::testing
