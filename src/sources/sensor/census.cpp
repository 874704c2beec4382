#include "meteo/sources/sensor/census.hpp"

#include <spdlog/spdlog.h>

namespace meteo {
namespace {

class CensusSink final : public SensorRecordSink {
 public:
  CensusSink(PayloadCensus& census, Shard shard, const std::string& source, spdlog::logger& log)
      : census_(census), shard_(shard), source_(source), log_(log) {}

  void reading(SensorReading&& reading) override {
    if (!in_shard(reading.id, shard_)) return;
    census_.occurrences.count(reading.id);
  }
  void rejected(RejectedRecord&& record) override {
    if (!in_shard(record.record_json, shard_)) return;
    ++census_.counts.rejected;
    log_.warn("source {}: record {} rejected: {}", source_, record.position, record.reason);
  }

 private:
  PayloadCensus& census_;
  Shard shard_;
  const std::string& source_;
  spdlog::logger& log_;
};

// Pass 2, only when some id hash repeats: the ids behind those hashes.
class ResolveSink final : public SensorRecordSink {
 public:
  ResolveSink(LatestOccurrences& occurrences, Shard shard)
      : occurrences_(occurrences), shard_(shard) {}
  void reading(SensorReading&& reading) override {
    if (in_shard(reading.id, shard_)) occurrences_.resolve(reading.id);
  }
  void rejected(RejectedRecord&&) override {}

 private:
  LatestOccurrences& occurrences_;
  Shard shard_;
};

}  // namespace

PayloadCensus take_census(const StreamPayload& stream, Shard shard, const std::string& source,
                          spdlog::logger& log) {
  PayloadCensus census;
  CensusSink counting(census, shard, source, log);
  const std::size_t records = stream(counting);
  if (census.occurrences.seal()) {
    ResolveSink resolving(census.occurrences, shard);
    stream(resolving);
  }
  census.counts.duplicates = census.occurrences.duplicates();
  const std::size_t in_shard_records = census.occurrences.size() + census.counts.rejected;
  census.counts.fetched = in_shard_records;  // of this shard: the ledger's balance holds
  census.counts.other_shards = records - in_shard_records;
  return census;
}

}  // namespace meteo
