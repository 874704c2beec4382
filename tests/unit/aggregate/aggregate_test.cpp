#include "meteo/aggregate.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <map>
#include <random>
#include <string>

#include "meteo/errors.hpp"
#include "meteo/geo.hpp"

namespace meteo {
namespace {

SensorReading reading(std::string id, double lon, double lat, double temperature,
                      std::optional<std::string> country = std::nullopt) {
  SensorReading r;
  r.id = std::move(id);
  r.longitude = lon;
  r.latitude = lat;
  r.temperature = temperature;
  r.country = std::move(country);
  return r;
}

// Region 0 is lon < 0, region 1 is lon >= 0, only for lat in [40, 50]: pure logic needs no GEOS.
class HalfPlanes : public RegionMatcher {
 public:
  std::optional<std::size_t> match(double lon, double lat) const override {
    if (lat < 40 || lat > 50) return std::nullopt;
    return lon < 0 ? 0 : 1;
  }
};

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

TEST(MatchReadings, CountsOutsideAndLabelDisagreementsPerSet) {
  HalfPlanes planes;
  const std::vector<std::string> home{"France", "FR"};
  auto summary = match_readings(
      {
          reading("in-fr", 1, 45, 10, "france"),  // inside, home label (any case): agrees
          reading("in-es", -1, 45, 12, "Spain"),  // inside, foreign label: disagrees
          reading("out-fr", 1, 60, 5, "FR"),      // outside, home label: disagrees
          reading("out-uk", 1, 60, 5, "UK"),      // outside, foreign label: agrees
          reading("no-label", -1, 45, 7),         // no label: says nothing
          reading("empty-label", -1, 45, 7, ""),  // empty label: says nothing
      },
      {&planes}, home);
  ASSERT_EQ(summary.readings.size(), 6u);
  EXPECT_EQ(summary.outside, std::vector<std::size_t>{2});
  EXPECT_EQ(summary.disagreements, std::vector<std::size_t>{2});
  EXPECT_EQ(summary.readings[0].region_index[0], std::optional<std::size_t>(1));
  EXPECT_EQ(summary.readings[1].region_index[0], std::optional<std::size_t>(0));
  EXPECT_FALSE(summary.readings[2].region_index[0].has_value());
}

TEST(SumByRegion, MeanIsOverDistinctReadingsOfTheRegion) {
  HalfPlanes planes;
  std::vector<SensorReading> readings{reading("a", 1, 45, 10), reading("b", 2, 45, 13),
                                      reading("a", 1, 45, 16), reading("c", -1, 45, -4),
                                      reading("d", 1, 70, 99)};
  keep_latest_per_id(readings);
  const auto summary = match_readings(std::move(readings), {&planes}, {});
  const auto sums = sum_by_region(summary.readings, 0, 2);
  ASSERT_EQ(sums.size(), 2u);
  EXPECT_EQ(sums[0].count(), 1u);
  EXPECT_DOUBLE_EQ(*sums[0].mean(), -4.0);
  EXPECT_EQ(sums[1].count(), 2u);  // "a" counted once, with its later value; "d" is outside
  EXPECT_DOUBLE_EQ(*sums[1].mean(), (16.0 + 13.0) / 2);
}

TEST(TemperatureSum, ShardsMergeToTheWholeMean) {
  TemperatureSum whole, left, right;
  for (double v : {1.5, 2.5, -3.0}) whole.add(v), left.add(v);
  for (double v : {10.0, 0.25}) whole.add(v), right.add(v);
  left.merge(right);
  EXPECT_EQ(left.count(), whole.count());
  EXPECT_EQ(left, whole);
  EXPECT_EQ(*left.mean(), 11.25 / 5);
  EXPECT_FALSE(TemperatureSum{}.mean().has_value());
}

// Floating-point sums depend on their order; these must not, so that batches, shards and runs
// that add in any order store the same aggregate to the last bit.
TEST(TemperatureSum, AnyOrderAndAnySplitGiveTheSameBits) {
  std::mt19937_64 random(20261123);
  std::uniform_real_distribution<double> temperature(-90, 60);
  std::vector<double> values(10000);
  for (auto& value : values) value = temperature(random);
  values.insert(values.end(), {0.1, 0.2, 0.3, -0.0, 5e-324, -1e-300, 1e-20, -1e-20, 59.999999});

  TemperatureSum in_order;
  for (const double value : values) in_order.add(value);
  std::shuffle(values.begin(), values.end(), random);
  TemperatureSum first_part, second_part;
  for (std::size_t i = 0; i < values.size(); ++i) (i % 3 ? first_part : second_part).add(values[i]);
  second_part.merge(first_part);

  EXPECT_EQ(second_part, in_order);
  EXPECT_EQ(second_part.units_text(), in_order.units_text());
  EXPECT_EQ(*second_part.mean(), *in_order.mean());
  long double exact = 0;
  for (const double value : values) exact += value;
  EXPECT_NEAR(*in_order.mean(), static_cast<double>(exact / values.size()), 1e-12);
}

TEST(TemperatureSum, UnitsAreTwoToTheMinus80DegreesAndReadBack) {
  TemperatureSum one;
  one.add(1.0);
  EXPECT_EQ(one.units_text(), "1208925819614629174706176");  // 2^80
  TemperatureSum cold;
  cold.add(-0.5);
  cold.add(-89.75);
  EXPECT_EQ(cold.units_text(), "-109105555220220283017232384");  // -90.25 * 2^80
  EXPECT_EQ(TemperatureSum::from_units(cold.units_text(), 2), cold);
  EXPECT_EQ(*TemperatureSum::from_units("0", 3).mean(), 0.0);
  EXPECT_EQ(TemperatureSum{}.units_text(), "0");
  // Below 2^-80, a value is cut toward minus infinity.
  TemperatureSum tiny;
  tiny.add(1e-20);
  tiny.add(-1e-20);
  EXPECT_EQ(tiny.units_text(), "-1");
}

TEST(TemperatureSum, RefusesWhatItCannotSumExactly) {
  TemperatureSum sum;
  for (const double value : {4096.0, -1e300, std::numeric_limits<double>::infinity(),
                             std::numeric_limits<double>::quiet_NaN()}) {
    EXPECT_THROW(sum.add(value), Error) << value;
  }
  EXPECT_EQ(sum.count(), 0u);
  for (const char* text : {"", "-", "12a", "1e5", "999999999999999999999999999999999999999999"}) {
    EXPECT_THROW(TemperatureSum::from_units(text, 1), Error) << text;
  }
}

}  // namespace
}  // namespace meteo
