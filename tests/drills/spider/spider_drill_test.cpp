// Drill: the readings and observations sharded with Spider across two backends
// (tests/harness/spider.sh, deploy/spider/shard.sh). A run, a run of corrections, a replay from
// the archive and three sharded workers at once, each on the Spider head, must store exactly what
// the same runs store on a single server, and each backend must hold its part of the readings.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>

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

constexpr const char* kApiKey = "spider-drill-key";
constexpr const char* kHour = "2026-11-22T06";
constexpr const char* kNextHour = "2026-11-22T07";
constexpr int kWorkers = 3;

// One meteo-etl site: a database, its config file and archive, fed by the simulator.
class Site {
 public:
  Site(const fs::path& root, DatabaseConfig database, const SensorSim& sim)
      : root_(root), database_(std::move(database)) {
    fs::create_directories(root_);
    feed_from(sim);
  }

  // (Re)writes the config file: the sensor source reads `sim`.
  void feed_from(const SensorSim& sim) const {
    std::ofstream(config_path(), std::ios::trunc)
        << sensor_site_toml(database_, (root_ / "archive").string(), sim.url());
  }

  std::string config_path() const { return (root_ / "meteo-etl.toml").string(); }
  Database connect() const { return Database::connect(database_); }

  ProcessResult meteo(std::vector<std::string> args) const {
    return run_meteo_etl(config_path(), database_, kApiKey, std::move(args));
  }

  void expect_ok(const std::vector<std::string>& args) const {
    const auto result = meteo(args);
    ASSERT_EQ(result.exit_code, 0) << "meteo-etl " << args.front() << "\n" << result.err;
  }

  // `args` + `--shard K/N` for every K, all started at once.
  void expect_all_shards_ok(const std::vector<std::string>& args) const {
    for (const auto& result :
         run_meteo_etl_shards(config_path(), database_, kApiKey, args, kWorkers)) {
      EXPECT_EQ(result.exit_code, 0) << result.err;
    }
  }

  // What the data means (readings, the regions view, rejects, aggregates) and the regions.
  std::string contents() const {
    Database db = connect();
    return product_contents(db) + table_contents(db, "regions");
  }

  // The ledger's counts of the succeeded runs `where` selects, summed.
  std::string ledger_counts(const std::string& where) const {
    Database db = connect();
    return query_value(db,
                       "SELECT CONCAT_WS(' ', COUNT(*), SUM(fetched), SUM(`stored`),"
                       " SUM(rejected), SUM(duplicates), SUM(outside), SUM(disagreements),"
                       " SUM(corrections), SUM(unchanged))"
                       " FROM etl_runs WHERE status = 'succeeded' AND " +
                           where);
  }

 private:
  fs::path root_;
  DatabaseConfig database_;
};

// The payload `sim` serves, changed: every 10th valid reading a degree warmer, every 13th moved
// half a degree north (perhaps into another region), and 500 new readings. A run of it corrects
// stored readings in place (INSERT ... ON DUPLICATE KEY UPDATE) and loads new ones beside them.
std::string corrected_payload(const SensorSim& sim) {
  const auto fetched = run_process(
      {"curl", "-sS", "--compressed", "-H", std::string("X-API-Key: ") + kApiKey, sim.url()},
      {{"PATH", "/usr/bin:/bin"}}, std::chrono::seconds(60));
  if (fetched.exit_code != 0) throw std::runtime_error("curl " + sim.url() + ": " + fetched.err);
  auto records = nlohmann::json::parse(fetched.out);
  auto added = nlohmann::json::array();
  int valid = 0;
  for (auto& record : records) {
    if (!record.is_object() || !record.contains("temperature") ||
        !record["temperature"].is_number() || !record.contains("lat") ||
        !record["lat"].is_number() || !record.contains("id") || !record["id"].is_string()) {
      continue;
    }
    ++valid;
    if (valid % 10 == 0) record["temperature"] = record["temperature"].get<double>() + 1.0;
    if (valid % 13 == 0) record["lat"] = record["lat"].get<double>() + 0.5;
    if (valid <= 500) {
      auto copy = record;
      copy["id"] = record["id"].get<std::string>() + "-new";
      added.push_back(copy);
    }
  }
  for (auto& record : added) records.push_back(record);
  return records.dump();
}

class SpiderDrill : public ::testing::Test {
 protected:
  void SetUp() override {
    METEO_SKIP_WITHOUT_SHARED_DATA("geo/regions.geojson");
    spider_.emplace(directory_ / "spider");
  }
  void TearDown() override { spider_.reset(); }  // before the directory goes

  // A database on the head, migrated, sharded and with its regions: a site ready to run.
  Site sharded_site(const std::string& database) {
    Database::connect(spider_->head())
        .execute("CREATE DATABASE " + database + " CHARACTER SET utf8mb4");
    Site site(directory_ / database, spider_->head(database), sim_);
    site.expect_ok({"migrate"});
    spider_->shard(database);
    site.expect_ok({"regions", "load", "--set", "fr-regions"});
    return site;
  }

  SensorSim sim_{
      {.records = 3000, .seed = 17, .api_key = kApiKey, .invalid = 30, .duplicates = 60}};
  TestDirectory directory_;
  std::optional<PrivateSpider> spider_;
};

TEST_F(SpiderDrill, TheShardedResultEqualsTheSingleServerResult) {
  ScratchDatabase single_database;
  const Site single(directory_ / "single", single_database.config(), sim_);
  single.expect_ok({"migrate"});
  single.expect_ok({"regions", "load", "--set", "fr-regions"});
  single.expect_ok({"run", "--hour", kHour});
  const std::string expected = single.contents();
  ASSERT_NE(expected, "");
  const std::string last_run = "id = (SELECT MAX(id) FROM etl_runs)";
  const std::string first_run_counts = single.ledger_counts(last_run);

  // A run on the head.
  const Site head = sharded_site("meteo");
  head.expect_ok({"run", "--hour", kHour});
  EXPECT_EQ(head.contents(), expected) << "after a run";
  EXPECT_EQ(head.ledger_counts(last_run), first_run_counts);

  // The sharding is real: each backend holds a good part of the readings, together all of them.
  {
    Database db = head.connect();
    std::size_t on_backends = 0;
    for (int k = 1; k <= PrivateSpider::kBackends; ++k) {
      Database backend = Database::connect(spider_->backend(k, "meteo"));
      // Not even: the KEY hash of the ids splits them about 2:1 (deploy/spider/shard.sh).
      const std::size_t part = count_rows(backend, "sensor_readings");
      EXPECT_GT(part, 3000u / 4) << "backend" << k << " holds too few readings";
      on_backends += part;
    }
    EXPECT_EQ(on_backends, count_rows(db, "sensor_readings"));
    EXPECT_EQ(on_backends, 3000u);
  }

  // The same run again: every reading is already stored, nothing changes.
  head.expect_ok({"run", "--hour", kHour});
  EXPECT_EQ(head.contents(), expected) << "after the same run again";

  // A later hour corrects some readings, moves some, and brings new ones.
  const fs::path corrections = directory_ / "corrections.json";
  std::ofstream(corrections) << corrected_payload(sim_);
  const SensorSim corrector({.api_key = kApiKey, .payload_file = corrections.string()});
  for (const Site* site : {&single, &head}) {
    site->feed_from(corrector);
    site->expect_ok({"run", "--hour", kNextHour});
  }
  const std::string corrected = single.contents();
  ASSERT_NE(corrected, expected);
  EXPECT_EQ(head.contents(), corrected) << "after a run of corrections";
  EXPECT_EQ(head.ledger_counts(last_run), single.ledger_counts(last_run));
  {
    Database db = head.connect();
    EXPECT_GT(std::stoi(query_value(db, "SELECT corrections FROM etl_runs WHERE " + last_run)), 0);
  }
  for (const Site* site : {&single, &head}) site->feed_from(sim_);

  // A replay from the archive rebuilds the same data from nothing but the saved payload.
  {
    Database db = head.connect();
    for (const char* table : {"reading_extra_regions", "sensor_readings",
                              "region_hourly_temperature", "rejected_records"}) {
      db.execute(std::string("DELETE FROM ") + table);
    }
  }
  head.expect_ok({"replay", "--from", "2026-11-22T00", "--to", "2026-11-23T00"});
  EXPECT_EQ(head.contents(), corrected) << "after a replay of both hours";
  const auto head_verified = head.meteo({"verify"});
  EXPECT_EQ(head_verified.exit_code, 0) << head_verified.out << head_verified.err;

  // Three sharded workers at once into a fresh sharded database.
  const Site workers = sharded_site("meteo_workers");
  workers.expect_all_shards_ok({"run", "--hour", kHour});
  EXPECT_EQ(workers.contents(), expected) << "after " << kWorkers << " sharded workers";
  ASSERT_EQ(first_run_counts.substr(0, 2), "1 ") << first_run_counts;
  EXPECT_EQ(workers.ledger_counts("kind = 'run'"),
            std::to_string(kWorkers) + first_run_counts.substr(1));
  const auto workers_verified = workers.meteo({"verify"});
  EXPECT_EQ(workers_verified.exit_code, 0) << workers_verified.out << workers_verified.err;
}

}  // namespace
}  // namespace meteo::testing
