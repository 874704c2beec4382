#include "meteo/sources/sensor/latest_occurrences.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "sensor_readings.hpp"

namespace meteo {
namespace {

using testing::reading;

TEST(KeepLatestPerId, LaterRecordWinsAndFirstPositionIsKept) {
  std::vector<SensorReading> readings{reading("a", 0, 45, 1), reading("b", 0, 45, 2),
                                      reading("a", 0, 45, 3), reading("a", 0, 45, 4)};
  EXPECT_EQ(keep_latest_per_id(readings), 2u);
  ASSERT_EQ(readings.size(), 2u);
  EXPECT_EQ(readings[0].id, "a");
  EXPECT_EQ(readings[0].temperature, 4);
  EXPECT_EQ(readings[1].id, "b");
}

TEST(KeepLatestPerId, IdsDifferingOnlyByCaseAreDistinct) {
  std::vector<SensorReading> readings{reading("A", 0, 45, 1), reading("a", 0, 45, 2)};
  EXPECT_EQ(keep_latest_per_id(readings), 0u);
  EXPECT_EQ(readings.size(), 2u);
}

TEST(KeepLatestPerId, AgreesWithTheObviousRuleOnManyInterleavedDuplicates) {
  std::mt19937 random(42);
  std::vector<SensorReading> readings;
  for (int i = 0; i < 3000; ++i) {
    // Long ids as well as short ones: heap-allocated strings move differently from inline ones.
    const int id = static_cast<int>(random() % 400);
    const std::string name =
        id % 2 ? "sensor-with-a-long-identifier-" + std::to_string(id) : std::to_string(id);
    readings.push_back(reading(name, 0, 45, i));
  }
  // The rule spelled out: first positions in order, each with its id's last value.
  std::vector<std::string> order;
  std::map<std::string, double> last;
  for (const auto& r : readings) {
    if (!last.contains(r.id)) order.push_back(r.id);
    last[r.id] = r.temperature;
  }
  EXPECT_EQ(keep_latest_per_id(readings), 3000u - order.size());
  ASSERT_EQ(readings.size(), order.size());
  for (std::size_t i = 0; i < order.size(); ++i) {
    EXPECT_EQ(readings[i].id, order[i]) << i;
    EXPECT_EQ(readings[i].temperature, last[order[i]]) << order[i];
  }
}

// Runs the passes of LatestOccurrences over `ids`; returns the positions it keeps.
std::vector<std::size_t> kept_positions(LatestOccurrences& occurrences,
                                        const std::vector<std::string>& ids) {
  for (const auto& id : ids) occurrences.count(id);
  if (occurrences.seal()) {
    for (const auto& id : ids) occurrences.resolve(id);
  }
  std::vector<std::size_t> kept;
  occurrences.rewind();
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (occurrences.keep(ids[i])) kept.push_back(i);
  }
  return kept;
}

TEST(LatestOccurrences, KeepsWhatKeepLatestPerIdKeeps) {
  std::mt19937 random(7);
  std::vector<std::string> ids;
  std::vector<SensorReading> readings;
  for (int i = 0; i < 3000; ++i) {
    ids.push_back("sensor-" + std::to_string(random() % 500));
    readings.push_back(reading(ids.back(), 0, 45, i));  // the temperature is the position
  }
  LatestOccurrences occurrences;
  const auto kept = kept_positions(occurrences, ids);
  const std::size_t dropped = keep_latest_per_id(readings);
  EXPECT_EQ(occurrences.size(), 3000u);
  EXPECT_EQ(occurrences.duplicates(), dropped);
  // The same occurrences, whatever their order: keep_latest_per_id keeps first positions.
  std::vector<std::size_t> expected;
  for (const auto& r : readings) expected.push_back(static_cast<std::size_t>(r.temperature));
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(kept, expected);

  // A retried load rewinds and keeps the same ones again.
  occurrences.rewind();
  std::size_t again = 0;
  for (const auto& id : ids) again += occurrences.keep(id) ? 1 : 0;
  EXPECT_EQ(again, kept.size());
}

TEST(LatestOccurrences, FindsRepeatsAcrossItsChunksOfHashes) {
  // Pass 1 stores hashes in chunks of 2^20: repeats a chunk apart must still be found.
  constexpr std::size_t kIds = (std::size_t{1} << 20) + 5000;
  std::vector<std::string> ids;
  ids.reserve(kIds);
  for (std::size_t i = 0; i < kIds; ++i) {
    ids.push_back(i >= (std::size_t{1} << 20) && i % 1000 == 0 ? "id-" + std::to_string(i % 4096)
                                                               : "id-" + std::to_string(i));
  }
  LatestOccurrences occurrences;
  const auto kept = kept_positions(occurrences, ids);
  EXPECT_EQ(occurrences.duplicates(), 5u);  // 1049000 .. 1053000 repeat ids of the first chunk
  EXPECT_EQ(kept.size(), kIds - 5);
  EXPECT_FALSE(std::binary_search(kept.begin(), kept.end(), std::size_t{1049000 % 4096}))
      << "the first occurrence of a repeated id is dropped";
  EXPECT_TRUE(std::binary_search(kept.begin(), kept.end(), std::size_t{1049000}));
}

TEST(LatestOccurrences, DistinctIdsNeedNoSecondPass) {
  LatestOccurrences occurrences;
  for (int i = 0; i < 1000; ++i) occurrences.count("id-" + std::to_string(i));
  EXPECT_FALSE(occurrences.seal());
  EXPECT_EQ(occurrences.duplicates(), 0u);
  EXPECT_TRUE(occurrences.keep("id-0"));
}

TEST(LatestOccurrences, IdsDifferingOnlyByCaseAreDistinct) {
  LatestOccurrences occurrences;
  EXPECT_EQ(kept_positions(occurrences, {"A", "a", "A"}), (std::vector<std::size_t>{1, 2}));
  EXPECT_EQ(occurrences.duplicates(), 1u);
}

}  // namespace
}  // namespace meteo
