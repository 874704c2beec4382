// Sharding the feed: the hash other implementations must reproduce, and a partition that is
// disjoint and complete for every N.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "meteo/core/errors.hpp"
#include "meteo/sources/sensor/payload.hpp"

namespace meteo {
namespace {

TEST(Shard, Fnv1a64MatchesThePublishedTestVectors) {
  EXPECT_EQ(fnv1a64(""), 0xcbf29ce484222325ULL);
  EXPECT_EQ(fnv1a64("a"), 0xaf63dc4c8601ec8cULL);
  EXPECT_EQ(fnv1a64("foobar"), 0x85944171f73967e8ULL);
}

TEST(Shard, ValuesAreStableAcrossBuildsAndMachines) {
  // Pinned: a change here moves readings between the workers of a running deployment.
  EXPECT_EQ(fnv1a64("3f2b6c1e-0d9a-4c1e-9b7a-2f1e5d6c7b8a"), 0xe58ae76d2984c83fULL);
  EXPECT_EQ(shard_of("3f2b6c1e-0d9a-4c1e-9b7a-2f1e5d6c7b8a", 7), 5u);
  EXPECT_EQ(shard_of("sensor-42", 3), 0u);
  EXPECT_EQ(shard_of("a", 3), 1u);
  EXPECT_EQ(shard_of("", 3), 2u);
  EXPECT_EQ(shard_of("\xc3\xa9", 7), 2u) << "the UTF-8 bytes of the id, 'é'";
  EXPECT_EQ(shard_of("anything", 1), 0u);
}

ParsedPayload payload_of(std::size_t readings, std::size_t rejected) {
  ParsedPayload payload;
  for (std::size_t i = 0; i < readings; ++i) {
    payload.readings.push_back({"sensor-" + std::to_string(i), 45.0, 2.0, 10.0, {}, {}});
  }
  for (std::size_t i = 0; i < rejected; ++i) {
    payload.rejected.push_back(
        {readings + i, "missing field \"lat\"", R"({"id":"bad-)" + std::to_string(i) + R"("})"});
  }
  payload.record_count = readings + rejected;
  return payload;
}

TEST(Shard, ShardsAreDisjointAndTogetherKeepEveryRecord) {
  for (const std::uint32_t count : {1u, 2u, 3u, 7u, 64u}) {
    const ParsedPayload whole = payload_of(1000, 50);
    std::multiset<std::string> ids, rejects;
    std::size_t records = 0;
    for (std::uint32_t index = 0; index < count; ++index) {
      ParsedPayload part = whole;
      const std::size_t others = keep_shard(part, {index, count});
      EXPECT_EQ(part.record_count + others, whole.record_count);
      EXPECT_EQ(part.record_count, part.readings.size() + part.rejected.size());
      for (const auto& reading : part.readings) {
        EXPECT_EQ(shard_of(reading.id, count), index);
        ids.insert(reading.id);
      }
      for (const auto& record : part.rejected) rejects.insert(record.record_json);
      records += part.record_count;
    }
    EXPECT_EQ(records, whole.record_count) << count << " shards";
    EXPECT_EQ(ids.size(), whole.readings.size()) << "every reading in exactly one shard";
    EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), ids.size());
    EXPECT_EQ(rejects.size(), whole.rejected.size());
    EXPECT_EQ(std::set<std::string>(rejects.begin(), rejects.end()).size(), rejects.size());
  }
}

TEST(Shard, SpreadsReadingsEvenly) {
  ParsedPayload whole = payload_of(30000, 0);
  for (std::uint32_t index = 0; index < 3; ++index) {
    ParsedPayload part = whole;
    keep_shard(part, {index, 3});
    EXPECT_NEAR(static_cast<double>(part.readings.size()), 10000.0, 500.0) << "shard " << index;
  }
}

TEST(Shard, KeepsPayloadOrderAndDuplicatesTogether) {
  ParsedPayload payload = payload_of(0, 0);
  for (const char* id : {"x", "y", "x", "z", "x"})
    payload.readings.push_back({id, 1, 2, 3, {}, {}});
  payload.record_count = payload.readings.size();
  const auto shard = shard_of("x", 5);
  keep_shard(payload, {shard, 5});
  std::size_t xs = 0;
  for (const auto& reading : payload.readings) xs += reading.id == "x";
  EXPECT_EQ(xs, 3u) << "the same id always lands in the same shard";
}

TEST(Shard, TheWholeFeedKeepsEverything) {
  ParsedPayload payload = payload_of(10, 2);
  EXPECT_EQ(keep_shard(payload, {}), 0u);
  EXPECT_EQ(payload.readings.size(), 10u);
  EXPECT_EQ(payload.rejected.size(), 2u);
}

TEST(Shard, ParsesKOfN) {
  const Shard shard = parse_shard("2/3");
  EXPECT_EQ(shard.index, 2u);
  EXPECT_EQ(shard.count, 3u);
  EXPECT_EQ(shard.text(), "2/3");
  EXPECT_TRUE(parse_shard("0/1").whole());
  EXPECT_EQ(parse_shard("4095/4096").count, 4096u);
}

TEST(Shard, RefusesAnythingElseAsAUsageError) {
  for (const char* text : {"", "3", "3/3", "4/3", "0/0", "-1/3", "1/-3", "+1/3", " 1/3", "1/3 ",
                           "a/3", "1/b", "1//3", "1/3/5", "0/4097", "0/99999999999"}) {
    try {
      parse_shard(text);
      ADD_FAILURE() << "accepted --shard '" << text << "'";
    } catch (const Error& error) {
      EXPECT_EQ(error.code(), ExitCode::usage) << text;
      EXPECT_NE(std::string(error.what()).find("--shard"), std::string::npos) << error.what();
    }
  }
}

}  // namespace
}  // namespace meteo
