// The partner's sensor feed: a JSON array of {id, timestamp, lat, lon, temperature, country}.
#pragma once

#include <cstddef>
#include <cstdint>
#include <istream>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "meteo/core/hashing.hpp"
#include "meteo/model/records.hpp"

namespace meteo {

struct ParsedPayload {
  std::size_t record_count = 0;         // elements in the array, valid or not
  std::vector<SensorReading> readings;  // valid records in payload order (duplicates kept)
  std::vector<RejectedRecord> rejected;
};

// Validates one record (any JSON text). Returns the reading, or the reason it is rejected, e.g.
//   missing field "lat" / field "lat" is not a number (string "43.6") / lat 95 is outside [-90, 90]
std::variant<SensorReading, std::string> validate_sensor_record(std::string_view record_json);

// Parses a whole payload. Throws Error(data) naming `origin` (the URL or file) and the byte offset
// when the body is not valid JSON or not an array. Invalid elements land in `rejected`.
ParsedPayload parse_sensor_payload(std::string_view body, std::string_view origin);
// The same from a stream read a chunk at a time (an archived payload): the body is never whole in
// memory. Errors the stream's buffer throws (a damaged archive file) pass through unchanged.
ParsedPayload parse_sensor_payload(std::istream& body, std::string_view origin);

// Receives a payload's records in payload order, each as soon as it is parsed and validated.
class SensorRecordSink {
 public:
  virtual ~SensorRecordSink() = default;
  virtual void reading(SensorReading&& reading) = 0;
  virtual void rejected(RejectedRecord&& record) = 0;
};

// Streams a payload through `sink` without keeping any record; returns the record count. Throws
// as parse_sensor_payload does, possibly after earlier records have reached the sink: a consumer
// that must see all or nothing checks the payload in a first pass, or undoes what it did.
std::size_t stream_sensor_payload(std::istream& body, std::string_view origin,
                                  SensorRecordSink& sink);

// ---- sharding: N workers share one feed, each loading the readings of its shard ---------------

// Shard `index` of `count` (0 <= index < count); {0, 1} is the whole feed.
struct Shard {
  std::uint32_t index = 0;
  std::uint32_t count = 1;
  bool whole() const { return count == 1; }
  std::string text() const;  // "K/N"
};

// The most workers a feed is split between.
inline constexpr std::uint32_t kMaxShards = 4096;

// The shard of a key among `count`: fnv1a64(key) % count (meteo/hashing.hpp). A reading's key is
// its id as decoded from the JSON (UTF-8, escapes resolved); a rejected record's is its stored
// JSON text (compact), the text that keys it in rejected_records. Any implementation that agrees on
// these bytes agrees on the shard.
std::uint32_t shard_of(std::string_view key, std::uint32_t count);

// "K/N" with 0 <= K < N <= kMaxShards, decimal. Throws Error(usage) naming `text` otherwise.
Shard parse_shard(std::string_view text);

// Whether a reading's id, or a rejected record's text, belongs to `shard` (see shard_of).
bool in_shard(std::string_view key, Shard shard);

// Keeps, in order, the readings and the rejected records of `shard`; `record_count` becomes the
// number of records kept. Returns how many records belong to other shards. The whole feed keeps
// everything and returns 0.
std::size_t keep_shard(ParsedPayload& payload, Shard shard);

}  // namespace meteo
