// Sharded workers: N processes of `run --shard K/N` (and `replay --shard K/N`) started at once
// against one database load exactly what one unsharded run loads, each reading by one worker.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <set>
#include <sstream>

#include "cli_job.hpp"
#include "config_files.hpp"
#include "db_snapshot.hpp"
#include "meteo/sources/sensor/payload.hpp"
#include "meteo/store/ledger.hpp"
#include "paths.hpp"
#include "sensor_sim.hpp"
#include "subprocess.hpp"
#include "test_database.hpp"

namespace meteo::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* kApiKey = "shard-key-7d10";
constexpr const char* kHour = "2026-11-22T06";
constexpr int kWorkers = 3;

// One database with its own config file and archive, fed by the same simulator payload.
class Deployment {
 public:
  Deployment(const TestDirectory& directory, const std::string& name, const SensorSim& sim)
      : root_(directory / name) {
    fs::create_directories(root_);
    std::ofstream config(config_path());
    config << database_toml(database_.config()) << "\n[archive]\nroot = \""
           << (root_ / "archive").string() << "\"\n"
           << "\n[[region_sets]]\nname = \"fr-regions\"\nlocation = \""
           << shared_data("geo/regions.geojson") << "\"\n"
           << "\n[[sources]]\nname = \"sensors\"\ntype = \"sensor-api\"\nurl = \"" << sim.url()
           << "\"\napi_key_env = \"SENSOR_API_KEY\"\nregion_sets = [\"fr-regions\"]\n"
           << "[sources.http]\nretry_attempts = 1\n";
  }

  std::string config_path() const { return (root_ / "meteo-etl.toml").string(); }
  Database connect() const { return database_.connect(); }

  ProcessResult meteo(std::vector<std::string> args) const {
    return run_meteo_etl(config_path(), database_.config(), kApiKey, std::move(args));
  }

  void expect_ok(const std::vector<std::string>& args) const {
    const auto result = meteo(args);
    ASSERT_EQ(result.exit_code, 0) << "meteo-etl " << args.front() << "\n" << result.err;
  }

  void prepare() const {
    expect_ok({"migrate"});
    expect_ok({"regions", "load", "--set", "fr-regions"});
  }

  // Starts `args` + `--shard K/N` for every K at once and waits for all of them.
  std::vector<ProcessResult> all_shards_at_once(const std::vector<std::string>& args) const {
    std::vector<std::future<ProcessResult>> workers;
    for (int k = 0; k < kWorkers; ++k) {
      auto worker_args = args;
      worker_args.insert(worker_args.end(),
                         {"--shard", std::to_string(k) + "/" + std::to_string(kWorkers)});
      workers.push_back(
          std::async(std::launch::async, [this, worker_args] { return meteo(worker_args); }));
    }
    std::vector<ProcessResult> results;
    for (auto& worker : workers) results.push_back(worker.get());
    return results;
  }

  std::string product() const {
    Database db = connect();
    return product_contents(db);
  }

 private:
  ScratchDatabase database_;
  fs::path root_;
};

class Shards : public ::testing::Test {
 protected:
  void SetUp() override { METEO_SKIP_WITHOUT_SHARED_DATA("geo/regions.geojson"); }
  Shards() : sim_(options()) {}

  static SensorSimOptions options() {
    return {.records = 3000, .seed = 17, .api_key = kApiKey, .invalid = 30, .duplicates = 60};
  }

  TestDirectory directory_;
  SensorSim sim_;
};

// The ledger's counts of the succeeded runs, summed: "fetched stored rejected duplicates ...".
std::string summed_counts(Database& db, const std::string& kind) {
  return query_value(db,
                     "SELECT CONCAT_WS(' ', COUNT(*), SUM(fetched), SUM(`stored`), SUM(rejected),"
                     " SUM(duplicates), SUM(outside), SUM(disagreements), SUM(corrections),"
                     " SUM(unchanged)) FROM etl_runs WHERE status = 'succeeded' AND kind = '" +
                         kind + "'");
}

TEST_F(Shards, ThreeConcurrentWorkersLoadExactlyWhatOneRunLoads) {
  const Deployment single(directory_, "single", sim_);
  single.prepare();
  single.expect_ok({"run", "--hour", kHour});

  const Deployment sharded(directory_, "sharded", sim_);
  sharded.prepare();
  for (const auto& result : sharded.all_shards_at_once({"run", "--hour", kHour})) {
    ASSERT_EQ(result.exit_code, 0) << result.err;
    EXPECT_NE(result.err.find("other shards"), std::string::npos) << result.err;
  }

  const std::string expected = single.product();
  ASSERT_NE(expected, "");
  EXPECT_EQ(sharded.product(), expected) << "readings, regions, rejects and aggregates";

  Database one = single.connect();
  Database three = sharded.connect();
  // The product table itself, to the last digit.
  const std::string aggregates =
      "SELECT hour, region_set, region_code, region, temperature, numberOfPoints"
      " FROM region_hourly_temperature ORDER BY region_set, region_code, hour";
  EXPECT_EQ(query_contents(three, aggregates), query_contents(one, aggregates));
  EXPECT_GT(count_rows(one, "region_hourly_temperature"), 5u);

  // Disjoint and complete: the workers' counts add up to the single run's, each reading was
  // stored by exactly one worker (no correction, nothing unchanged), and each worker's readings
  // all hash into one shard, a different one per worker.
  const std::string single_counts = summed_counts(one, "run");
  ASSERT_EQ(single_counts.substr(0, 2), "1 ") << single_counts;
  EXPECT_EQ(summed_counts(three, "run"), std::to_string(kWorkers) + single_counts.substr(1));
  EXPECT_EQ(query_value(three, "SELECT SUM(`stored`) FROM etl_runs"),
            std::to_string(count_rows(three, "sensor_readings")));
  EXPECT_EQ(query_value(three, "SELECT SUM(corrections) + SUM(unchanged) FROM etl_runs"), "0");
  const std::string stored_by =
      query_contents(three, "SELECT first_run_id, reading_id FROM sensor_readings");
  std::map<std::string, std::set<std::uint32_t>> shards_by_run;
  std::istringstream rows(stored_by);
  for (std::string line; std::getline(rows, line);) {
    const auto tab = line.find('\t');
    shards_by_run[line.substr(0, tab)].insert(shard_of(line.substr(tab + 1), kWorkers));
  }
  ASSERT_EQ(shards_by_run.size(), static_cast<std::size_t>(kWorkers));
  std::set<std::uint32_t> shards;
  for (const auto& [run, of_run] : shards_by_run) {
    EXPECT_EQ(of_run.size(), 1u) << "run " << run << " stored readings of several shards";
    shards.insert(*of_run.begin());
  }
  EXPECT_EQ(shards.size(), static_cast<std::size_t>(kWorkers));

  // verify agrees: aggregates equal their recomputation, the ledger balances.
  const auto verified = sharded.meteo({"verify"});
  EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
}

TEST_F(Shards, ShardedReplaysRebuildTheSameProductFromTheArchive) {
  const Deployment single(directory_, "single", sim_);
  single.prepare();
  single.expect_ok({"run", "--hour", kHour});

  const Deployment sharded(directory_, "sharded", sim_);
  sharded.prepare();
  sharded.expect_ok({"run", "--hour", kHour});  // one archived payload, loaded whole
  {
    Database db = sharded.connect();
    for (const char* table : {"reading_extra_regions", "sensor_readings",
                              "region_hourly_temperature", "rejected_records"}) {
      db.execute(std::string("DELETE FROM ") + table);
    }
  }
  for (const auto& result :
       sharded.all_shards_at_once({"replay", "--from", "2026-11-22T00", "--to", "2026-11-23T00"})) {
    ASSERT_EQ(result.exit_code, 0) << result.err;
  }
  EXPECT_EQ(sharded.product(), single.product());
  Database db = sharded.connect();
  EXPECT_EQ(query_value(db, "SELECT SUM(`stored`) FROM etl_runs WHERE kind = 'replay'"),
            std::to_string(count_rows(db, "sensor_readings")));
}

TEST_F(Shards, ALiveWorkersRunIsNotTakenForAnAbandonedOne) {
  const Deployment deployment(directory_, "live", sim_);
  deployment.prepare();
  // Another worker, alive, in the middle of its run: its session holds its run's lock.
  Database other_worker = deployment.connect();
  const std::int64_t live = begin_run(other_worker, "sensors", parse_hour(kHour));
  deployment.expect_ok({"run", "--hour", kHour, "--shard", "0/2"});
  Database db = deployment.connect();
  const std::string status = "SELECT status FROM etl_runs WHERE id = " + std::to_string(live);
  EXPECT_EQ(query_value(db, status), "running");

  // Once its session is gone, the next run closes it.
  { Database gone = std::move(other_worker); }
  deployment.expect_ok({"run", "--hour", kHour, "--shard", "1/2"});
  EXPECT_EQ(query_value(db, status), "failed");
  EXPECT_EQ(
      query_value(db, "SELECT LEFT(message, 10) FROM etl_runs WHERE id = " + std::to_string(live)),
      "abandoned:");
}

TEST_F(Shards, EachShardHasItsOwnLock) {
  const Deployment deployment(directory_, "locks", sim_);
  deployment.prepare();
  Database holder = deployment.connect();
  const auto lock = SourceLock::try_acquire(holder, "sensors#shard-1-of-3");
  ASSERT_TRUE(lock.has_value());
  const auto busy = deployment.meteo({"run", "--hour", kHour, "--shard", "1/3"});
  EXPECT_EQ(busy.exit_code, 75) << busy.err;
  EXPECT_NE(busy.err.find("source sensors shard 1/3: another run holds its lock"),
            std::string::npos)
      << busy.err;
  deployment.expect_ok({"run", "--hour", kHour, "--shard", "2/3"});
}

TEST_F(Shards, AMalformedShardIsAUsageError) {
  const Deployment deployment(directory_, "usage", sim_);
  for (const char* shard : {"3/3", "1", "a/3", "0/0"}) {
    const auto result = deployment.meteo({"run", "--hour", kHour, "--shard", shard});
    EXPECT_EQ(result.exit_code, 64) << shard << "\n" << result.err;
    EXPECT_NE(result.err.find("--shard"), std::string::npos) << result.err;
  }
  const auto replay = deployment.meteo(
      {"replay", "--from", "2026-11-22T00", "--to", "2026-11-23T00", "--shard", "5/2"});
  EXPECT_EQ(replay.exit_code, 64) << replay.err;
}

}  // namespace
}  // namespace meteo::testing
