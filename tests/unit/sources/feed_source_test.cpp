// The sensor feed on the Source interface, from a payload already in a real raw archive (a
// replay's path): what the census counts and the batches produce hands over.
#include "meteo/sources/sensor/feed_source.hpp"

#include <gtest/gtest.h>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "meteo/core/errors.hpp"

namespace meteo::sources {
namespace {

namespace fs = std::filesystem;

class ScratchArchive {
 public:
  ScratchArchive()
      : root_(fs::temp_directory_path() /
              ("meteo-feed-source-test-" + std::to_string(std::random_device{}()))),
        archive_(ArchiveConfig{root_, 0, 1}) {
    fs::create_directories(root_);
  }
  ~ScratchArchive() { fs::remove_all(root_); }

  LandedPayload land(const std::string& body) const {
    const PayloadOrigin origin{"sensors",   floor_to_hour(std::chrono::system_clock::now()),
                               1,           0,
                               UtcMicros{}, "http://127.0.0.1/feed",
                               200};
    ArchivedPayload archived = archive_.write(origin, body);
    const RawArchive& archive = archive_;
    const auto path = archived.relative_path;
    const auto sha256 = archived.sha256;
    return {archived, [&archive, path, sha256] { return archive.open_reader(path, sha256); }};
  }

 private:
  fs::path root_;
  RawArchive archive_;
};

std::string record(const std::string& id, double temperature) {
  return R"({"id":")" + id + R"(","timestamp":"2026-11-22T06:00:00Z","lat":45.2,"lon":4.1,)" +
         R"("temperature":)" + std::to_string(temperature) + R"(,"country":"FR"})";
}

// What produce handed over, batch by batch.
class RecordingSink final : public BatchSink<SensorReading> {
 public:
  void stations(std::vector<NoStation>&&) override {}
  void records(std::vector<SensorReading>&& batch) override {
    std::vector<std::string> ids;
    for (const auto& reading : batch)
      ids.push_back(reading.id + "=" + std::to_string(static_cast<int>(reading.temperature)));
    batches.push_back(ids);
  }
  void rejected(std::vector<RejectedRecord>&& batch) override { rejects += batch.size(); }

  std::vector<std::vector<std::string>> batches;
  std::size_t rejects = 0;
};

class FeedSourceTest : public ::testing::Test {
 protected:
  FeedSourceTest() : log_("feed-source-test", std::make_shared<spdlog::sinks::null_sink_mt>()) {
    config_.name = "sensors";
    config_.type = "sensor-api";
    config_.url = "http://127.0.0.1:9/feed";
  }

  std::unique_ptr<Source<SensorReading>> source() { return make_sensor_feed_source(config_, log_); }

  SourceConfig config_;
  spdlog::logger log_;
  ScratchArchive archive_;
};

TEST_F(FeedSourceTest, CensusCountsThePayloadAndTheLaterOccurrenceWins) {
  const auto payload = archive_.land("[" + record("a", 1) + "," + record("b", 2) + "," +
                                     record("a", 3) + R"(,{"id":"bad"}])");
  auto records = source()->adopt(payload, Shard{});
  const RunCounts census = records->census();
  EXPECT_EQ(census.fetched, 4u);
  EXPECT_EQ(census.rejected, 1u);
  EXPECT_EQ(census.duplicates, 1u);
  EXPECT_EQ(census.other_shards, 0u);

  RecordingSink sink;
  records->produce(BatchLimits{}, sink);
  ASSERT_EQ(sink.batches.size(), 1u);
  EXPECT_EQ(sink.batches[0], (std::vector<std::string>{"b=2", "a=3"}));
  EXPECT_EQ(sink.rejects, 1u);
}

TEST_F(FeedSourceTest, ProduceCutsBatchesAtTheLimitAndRepeatsThemExactly) {
  std::string body = "[";
  for (int i = 0; i < 5; ++i) body += (i ? "," : "") + record("s" + std::to_string(i), i);
  body += "]";
  auto records = source()->adopt(archive_.land(body), Shard{});
  records->census();

  RecordingSink first;
  records->produce(BatchLimits{2, 1}, first);
  EXPECT_EQ(first.batches,
            (std::vector<std::vector<std::string>>{{"s0=0", "s1=1"}, {"s2=2", "s3=3"}, {"s4=4"}}));
  // A retried transaction runs produce again: the same batches, in the same order.
  RecordingSink second;
  records->produce(BatchLimits{2, 1}, second);
  EXPECT_EQ(second.batches, first.batches);
}

TEST_F(FeedSourceTest, AShardKeepsItsOwnReadingsAndCountsTheOthers) {
  std::string body = "[";
  for (int i = 0; i < 40; ++i) body += (i ? "," : "") + record("s" + std::to_string(i), i);
  body += "]";
  const auto payload = archive_.land(body);
  std::size_t loaded = 0;
  for (std::uint32_t index = 0; index < 3; ++index) {
    auto records = source()->adopt(payload, Shard{index, 3});
    const RunCounts census = records->census();
    EXPECT_EQ(census.fetched + census.other_shards, 40u) << index;
    RecordingSink sink;
    records->produce(BatchLimits{}, sink);
    std::size_t produced = 0;
    for (const auto& batch : sink.batches) produced += batch.size();
    EXPECT_EQ(produced, census.fetched) << index;
    loaded += produced;
  }
  EXPECT_EQ(loaded, 40u);
}

TEST_F(FeedSourceTest, AMalformedPayloadFailsTheCensusBeforeAnyLoad) {
  auto records = source()->adopt(archive_.land(R"([{"id":"a",)"), Shard{});
  EXPECT_THROW(records->census(), Error);
}

TEST_F(FeedSourceTest, TheFeedIsOneUnitAndItsPastIsTheArchive) {
  auto feed = source();
  EXPECT_EQ(feed->history(), History::archive);
  const UtcSeconds now = floor_to_hour(std::chrono::system_clock::now());
  const RunPlan plan = feed->plan({now, std::nullopt, {}}, nullptr);
  ASSERT_EQ(plan.units.size(), 1u);
  EXPECT_EQ(plan.units[0].partition, "");
  EXPECT_FALSE(plan.stations.has_value());
  EXPECT_TRUE(plan.skipped.empty());
}

}  // namespace
}  // namespace meteo::sources
