// The driver's control flow against a fake ledger, fake stages and an in-memory source: what it
// asks of the store, in which order, and what happens when a unit fails.
#include "../../../src/pipeline/run_driver.hpp"

#include <gtest/gtest.h>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "meteo/core/errors.hpp"
#include "meteo/http/client.hpp"

namespace meteo::pipeline {
namespace {

using Calls = std::vector<std::string>;

constexpr std::int64_t kRunId = 42;

// Records every call, in one list shared with the stages and the source.
class FakeRunStore final : public RunStore {
 public:
  FakeRunStore(Calls& calls, bool busy) : calls_(calls), busy_(busy) {}

  std::unique_ptr<Lock> try_lock(const std::string& key) override {
    calls_.push_back("try_lock " + key);
    if (busy_) return nullptr;
    return std::make_unique<Lock>();
  }
  std::size_t close_abandoned_runs(const std::string& source) override {
    calls_.push_back("close_abandoned_runs " + source);
    return 0;
  }
  std::int64_t begin_run(const std::string& source, UtcSeconds) override {
    calls_.push_back("begin_run " + source);
    return kRunId;
  }
  std::optional<UtcSeconds> read_watermark(SourceKind, const std::string&,
                                           const std::string& partition) override {
    calls_.push_back("read_watermark " + partition);
    return std::nullopt;
  }
  void sync_stations(const std::string&, const std::vector<const RegionSet*>&,
                     const std::vector<MatchedStation>& stations) override {
    calls_.push_back("sync_stations " + std::to_string(stations.size()));
  }
  void record_skipped_dataset(const std::string&, const std::string& dataset,
                              const std::string&) override {
    calls_.push_back("record_skipped_dataset " + dataset);
  }
  void finish_run(std::int64_t run_id, const RunCounts& counts) override {
    calls_.push_back("finish_run " + std::to_string(run_id) + " stored " +
                     std::to_string(counts.stored));
  }
  void fail_run(std::int64_t run_id, const std::string& message) override {
    calls_.push_back("fail_run " + std::to_string(run_id) + " " + message);
  }

 private:
  Calls& calls_;
  bool busy_;
};

// The driver lands nothing itself: the fake source never calls it.
class UnusedLander final : public sources::Lander {
 public:
  BodyStream open_stream(const std::string&) override { throw std::logic_error("open_stream"); }
  sources::LandedPayload land_stream(long) override { throw std::logic_error("land_stream"); }
  void land(const std::string&, const HttpResponse&) override { throw std::logic_error("land"); }
  sources::LandedPayload land_file(const std::filesystem::path&) override {
    throw std::logic_error("land_file");
  }
};

// A window of `count` observations of dataset `partition`.
class FakeUnitRecords final : public sources::UnitRecords<WeatherObservation> {
 public:
  FakeUnitRecords(std::string partition, std::size_t count)
      : UnitRecords(UtcMicros{}), partition_(std::move(partition)), count_(count) {}

  RunCounts census() override {
    RunCounts counts;
    counts.fetched = count_;
    return counts;
  }
  void produce(const sources::BatchLimits&, sources::BatchSink<WeatherObservation>& sink) override {
    std::vector<WeatherObservation> batch(count_);
    for (auto& observation : batch) observation.dataset_id = partition_;
    sink.records(std::move(batch));
  }

 private:
  std::string partition_;
  std::size_t count_;
};

// A station network of three datasets a, b, c (1, 2 and 3 observations), one station, and a
// dataset d the plan skips.
class FakeNetwork final : public sources::Source<WeatherObservation> {
 public:
  explicit FakeNetwork(Calls& calls) : calls_(calls) {
    config_.name = "network";
    config_.type = "opendatasoft-stations";
  }

  const SourceConfig& config() const override { return config_; }
  sources::History history() const override { return sources::History::portal; }
  sources::RunPlan plan(const sources::PlanRequest& request, sources::Lander* lander) override {
    calls_.push_back(lander == nullptr ? "plan without lander" : "plan with lander");
    sources::RunPlan plan;
    for (const std::string partition : {"a", "b", "c"}) {
      request.watermark(partition);
      plan.partitions.push_back(partition);
      plan.units.push_back(
          {partition, std::nullopt, std::nullopt, "window " + partition, request.now});
    }
    plan.stations.emplace(1, WeatherStation{"a", "1", "Toulouse", "ISS", 43.6, 1.44, {}});
    plan.skipped.emplace_back("d", "another schema");
    return plan;
  }
  void print_plan(const sources::RunPlan& plan, std::ostream& out) const override {
    out << "plan:";
    for (const auto& unit : plan.units) out << " " << unit.partition;
    out << "\n";
  }
  std::unique_ptr<sources::UnitRecords<WeatherObservation>> fetch(const sources::FetchUnit& unit,
                                                                  sources::Lander&,
                                                                  const Shard&) override {
    calls_.push_back("fetch " + unit.partition);
    return std::make_unique<FakeUnitRecords>(unit.partition,
                                             static_cast<std::size_t>(unit.partition[0] - 'a' + 1));
  }
  std::unique_ptr<sources::UnitRecords<WeatherObservation>> adopt(const sources::LandedPayload&,
                                                                  const Shard&) override {
    throw Error(ExitCode::usage, "a station network is not replayed");
  }
  std::size_t requests_made() const override { return 0; }

 private:
  Calls& calls_;
  SourceConfig config_;
};

// Counts what each unit hands over; the unit named `failing` throws instead of loading.
class FakeStages final : public RunStages<WeatherObservation> {
 public:
  FakeStages(Calls& calls, std::string failing) : calls_(calls), failing_(std::move(failing)) {}

  SourceRegions load_regions() override {
    calls_.push_back("load_regions");
    return {};
  }
  std::unique_ptr<sources::Lander> lander(std::int64_t run_id) override {
    calls_.push_back("lander " + std::to_string(run_id));
    return std::make_unique<UnusedLander>();
  }
  RunCounts load_unit(std::int64_t run_id, const SourceRegions&, const sources::FetchUnit& unit,
                      sources::UnitRecords<WeatherObservation>& records,
                      std::optional<HourSpan>&) override {
    calls_.push_back("load_unit " + std::to_string(run_id) + " " + unit.partition);
    if (unit.partition == failing_) throw std::runtime_error("deadlock found on " + unit.partition);
    RunCounts counts = records.census();
    Counting counting;
    records.produce(sources::BatchLimits{}, counting);
    counts.stored = counting.count;
    return counts;
  }
  void after_run(std::int64_t run_id, const std::optional<HourSpan>&) override {
    calls_.push_back("after_run " + std::to_string(run_id));
  }

 private:
  struct Counting final : sources::BatchSink<WeatherObservation> {
    void stations(std::vector<WeatherStation>&&) override {}
    void records(std::vector<WeatherObservation>&& batch) override { count += batch.size(); }
    void rejected(std::vector<RejectedRecord>&&) override {}
    std::size_t count = 0;
  };

  Calls& calls_;
  std::string failing_;
};

class RunDriverTest : public ::testing::Test {
 protected:
  RunCounts drive(bool busy, bool dry_run, const std::string& failing = "") {
    FakeRunStore store(calls_, busy);
    FakeStages stages(calls_, failing);
    FakeNetwork source(calls_);
    SourceJob job;
    job.now = parse_hour("2026-11-22T07");
    job.run_hour = parse_hour("2026-11-22T06");
    job.dry_run = dry_run;
    return drive_run(store, stages, source, job, log_, out_);
  }

  bool called(const std::string& prefix) const {
    return std::any_of(calls_.begin(), calls_.end(),
                       [&](const std::string& call) { return call.starts_with(prefix); });
  }

  Calls calls_;
  std::ostringstream out_;
  spdlog::logger log_{"run-driver-test", std::make_shared<spdlog::sinks::null_sink_mt>()};
};

TEST_F(RunDriverTest, ABusyLockIsATemporaryFailureThatBeginsNoRun) {
  try {
    drive(/*busy=*/true, /*dry_run=*/false);
    FAIL() << "expected an Error";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ExitCode::temporary);
    EXPECT_NE(std::string(error.what()).find("source network"), std::string::npos) << error.what();
  }
  EXPECT_EQ(calls_, Calls{"try_lock network"});
}

TEST_F(RunDriverTest, ADryRunPrintsThePlanAndWritesNothing) {
  const RunCounts counts = drive(/*busy=*/false, /*dry_run=*/true);
  EXPECT_EQ(out_.str(), "plan: a b c\n");
  EXPECT_EQ(counts.fetched, 0u);
  EXPECT_TRUE(called("plan without lander"));
  for (const char* write :
       {"close_abandoned_runs", "begin_run", "sync_stations", "record_skipped_dataset", "fetch",
        "load_unit", "finish_run", "fail_run", "after_run"}) {
    EXPECT_FALSE(called(write)) << write;
  }
}

TEST_F(RunDriverTest, ARunLoadsEveryUnitInPlanOrderAndClosesWithTheSums) {
  const RunCounts counts = drive(/*busy=*/false, /*dry_run=*/false);
  EXPECT_EQ(counts.fetched, 6u);
  EXPECT_EQ(counts.stored, 6u);
  EXPECT_EQ(calls_, (Calls{"try_lock network", "close_abandoned_runs network", "load_regions",
                           "begin_run network", "lander 42", "plan with lander", "read_watermark a",
                           "read_watermark b", "read_watermark c", "sync_stations 1",
                           "record_skipped_dataset d", "fetch a", "load_unit 42 a", "fetch b",
                           "load_unit 42 b", "fetch c", "load_unit 42 c", "finish_run 42 stored 6",
                           "after_run 42"}));
  EXPECT_TRUE(out_.str().empty());
}

TEST_F(RunDriverTest, AFailedUnitFailsTheRunAndStopsIt) {
  try {
    drive(/*busy=*/false, /*dry_run=*/false, /*failing=*/"b");
    FAIL() << "expected the unit's exception";
  } catch (const std::runtime_error& error) {
    EXPECT_STREQ(error.what(), "deadlock found on b");
  }
  EXPECT_TRUE(called("load_unit 42 a"));
  EXPECT_TRUE(called("fail_run 42 deadlock found on b"));
  EXPECT_FALSE(called("fetch c"));
  EXPECT_FALSE(called("load_unit 42 c"));
  EXPECT_FALSE(called("finish_run"));
  EXPECT_FALSE(called("after_run"));
  EXPECT_EQ(calls_.back(), "fail_run 42 deadlock found on b");
}

}  // namespace
}  // namespace meteo::pipeline
