// Sharding a feed between workers: a reading belongs to the shard its id hashes into.
#include <algorithm>
#include <charconv>

#include "meteo/core/errors.hpp"
#include "meteo/core/hashing.hpp"
#include "meteo/sources/sensor/payload.hpp"

namespace meteo {
namespace {

// A decimal number spanning the whole of `text`, no sign, no spaces.
bool parse_decimal(std::string_view text, std::uint32_t& value) {
  if (text.empty() ||
      !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return false;
  }
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return error == std::errc() && end == text.data() + text.size();
}

}  // namespace

std::string Shard::text() const {
  return std::to_string(index) + "/" + std::to_string(count);
}

std::uint32_t shard_of(std::string_view key, std::uint32_t count) {
  if (count == 0) throw Error(ExitCode::software, "shard_of: zero shards");
  return static_cast<std::uint32_t>(fnv1a64(key) % count);
}

Shard parse_shard(std::string_view text) {
  const auto bad = [&](const std::string& why) {
    return Error(ExitCode::usage, "--shard " + std::string(text) + ": " + why);
  };
  const auto slash = text.find('/');
  if (slash == std::string_view::npos) throw bad("expected K/N, e.g. 0/3");
  Shard shard;
  if (!parse_decimal(text.substr(0, slash), shard.index) ||
      !parse_decimal(text.substr(slash + 1), shard.count)) {
    throw bad("expected K/N with K and N decimal numbers, e.g. 0/3");
  }
  if (shard.count < 1 || shard.count > kMaxShards) {
    throw bad("N must be between 1 and " + std::to_string(kMaxShards));
  }
  if (shard.index >= shard.count) throw bad("K must be between 0 and N - 1");
  return shard;
}

bool in_shard(std::string_view key, Shard shard) {
  return shard.whole() || shard_of(key, shard.count) == shard.index;
}

std::size_t keep_shard(ParsedPayload& payload, Shard shard) {
  if (shard.whole()) return 0;
  const auto other = [&](std::string_view key) { return !in_shard(key, shard); };
  const std::size_t before = payload.readings.size() + payload.rejected.size();
  std::erase_if(payload.readings, [&](const SensorReading& r) { return other(r.id); });
  std::erase_if(payload.rejected, [&](const RejectedRecord& r) { return other(r.record_json); });
  const std::size_t kept = payload.readings.size() + payload.rejected.size();
  payload.record_count -= before - kept;
  return before - kept;
}

}  // namespace meteo
