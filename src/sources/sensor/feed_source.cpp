#include "meteo/sources/sensor/feed_source.hpp"

#include <ostream>

#include "meteo/core/errors.hpp"
#include "meteo/http/client.hpp"
#include "meteo/sources/sensor/census.hpp"

namespace meteo::sources {
namespace {

// Streams the archived body through `sink` to its end, so the archive's checks run.
std::size_t stream_landed(const LandedPayload& payload, const std::string& origin,
                          SensorRecordSink& sink) {
  ArchiveReader reader = payload.open();
  const std::size_t records = stream_sensor_payload(reader.body(), origin, sink);
  reader.read_to_end();
  return records;
}

// The loading pass: readings of the shard, last occurrences only, a batch at a time.
class FilteringSink final : public SensorRecordSink {
 public:
  FilteringSink(LatestOccurrences& occurrences, Shard shard, const BatchLimits& limits,
                BatchSink<SensorReading>& sink)
      : occurrences_(occurrences), shard_(shard), limits_(limits), sink_(sink) {
    readings_.reserve(limits_.records);
  }

  void reading(SensorReading&& reading) override {
    if (!in_shard(reading.id, shard_) || !occurrences_.keep(reading.id)) return;
    readings_.push_back(std::move(reading));
    if (readings_.size() == limits_.records) flush_readings();
  }
  void rejected(RejectedRecord&& record) override {
    if (!in_shard(record.record_json, shard_)) return;
    rejected_.push_back(std::move(record));
    if (rejected_.size() == limits_.rejects) flush_rejected();
  }
  void finish() {
    flush_readings();
    flush_rejected();
  }

 private:
  void flush_readings() {
    if (readings_.empty()) return;
    sink_.records(std::move(readings_));
    readings_.clear();
    readings_.reserve(limits_.records);
  }
  void flush_rejected() {
    if (rejected_.empty()) return;
    sink_.rejected(std::move(rejected_));
    rejected_.clear();
  }

  LatestOccurrences& occurrences_;
  Shard shard_;
  const BatchLimits& limits_;
  BatchSink<SensorReading>& sink_;
  std::vector<SensorReading> readings_;
  std::vector<RejectedRecord> rejected_;
};

// One payload, checked whole by the census; each load pass streams it from the archive again.
class PayloadRecords final : public UnitRecords<SensorReading> {
 public:
  PayloadRecords(LandedPayload payload, std::string origin, Shard shard, const std::string& source,
                 spdlog::logger& log)
      : UnitRecords(payload.archived.origin.fetched_at),
        payload_(std::move(payload)),
        origin_(std::move(origin)),
        shard_(shard),
        source_(source),
        log_(log) {}

  RunCounts census() override {
    PayloadCensus census =
        take_census([&](SensorRecordSink& sink) { return stream_landed(payload_, origin_, sink); },
                    shard_, source_, log_);
    occurrences_ = std::move(census.occurrences);
    return census.counts;
  }

  void produce(const BatchLimits& limits, BatchSink<SensorReading>& sink) override {
    occurrences_.rewind();
    FilteringSink filtering(occurrences_, shard_, limits, sink);
    stream_landed(payload_, origin_, filtering);
    filtering.finish();
  }

 private:
  LandedPayload payload_;
  std::string origin_;  // the URL or archive file, for messages
  Shard shard_;
  const std::string& source_;
  spdlog::logger& log_;
  LatestOccurrences occurrences_;  // learned by the census, replayed by each load pass
};

class SensorFeedSource final : public Source<SensorReading> {
 public:
  SensorFeedSource(const SourceConfig& config, spdlog::logger& log)
      : config_(config), log_(log), http_(config.http, log) {}

  const SourceConfig& config() const override { return config_; }
  History history() const override { return kSensorFeedHistory; }

  RunPlan plan(const PlanRequest& request, Lander*) override {
    RunPlan plan;
    plan.partitions.emplace_back();
    plan.units.push_back({"", request.window, std::nullopt, "source " + config_.name, request.now});
    return plan;
  }
  void print_plan(const RunPlan&, std::ostream& out) const override {
    out << "source " << config_.name << ": one request to " << displayable_url(config_.url)
        << "; dry run, nothing changed\n";
  }

  std::unique_ptr<UnitRecords<SensorReading>> fetch(const FetchUnit&, Lander& lander,
                                                    const Shard& shard) override {
    // JSON only: an HTML error page served with 200 fails here (65), before the archive.
    const HttpResponse response =
        http_.get(config_.url, {{"X-API-Key", config_.api_key.reveal(), true}},
                  AcceptedContent::json, lander.open_stream(displayable_url(config_.url)));
    ++requests_;
    LandedPayload landed = lander.land_stream(response.status);
    std::string origin = landed.archived.origin.url;
    return read(std::move(landed), std::move(origin), shard);
  }

  std::unique_ptr<UnitRecords<SensorReading>> adopt(const LandedPayload& payload,
                                                    const Shard& shard) override {
    return read(payload, payload.archived.relative_path.string(), shard);
  }

  std::size_t requests_made() const override { return requests_; }

 private:
  std::unique_ptr<UnitRecords<SensorReading>> read(LandedPayload payload, std::string origin,
                                                   const Shard& shard) {
    return std::make_unique<PayloadRecords>(std::move(payload), std::move(origin), shard,
                                            config_.name, log_);
  }

  const SourceConfig& config_;
  spdlog::logger& log_;
  HttpClient http_;
  std::size_t requests_ = 0;
};

}  // namespace

std::unique_ptr<Source<SensorReading>> make_sensor_feed_source(const SourceConfig& config,
                                                               spdlog::logger& log) {
  return std::make_unique<SensorFeedSource>(config, log);
}

}  // namespace meteo::sources
