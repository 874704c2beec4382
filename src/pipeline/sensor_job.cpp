#include "sensor_job.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <optional>
#include <thread>

#include "handoff_queue.hpp"
#include "meteo/aggregate.hpp"
#include "meteo/geo/match.hpp"
#include "meteo/sources.hpp"
#include "meteo/sources/sensor/census.hpp"
#include "meteo/sources/sensor/latest_occurrences.hpp"

namespace meteo::pipeline {
namespace {

// Readings matched and loaded together. Big enough that per-batch round trips are noise, small
// enough that a batch (about 300 bytes a reading, parsed and matched) stays a few megabytes.
constexpr std::size_t kReadingsPerBatch = 16384;
constexpr std::size_t kRejectsPerBatch = 1024;

using Clock = std::chrono::steady_clock;

// Times one stage when metrics are wanted.
class OptionalStageTimer {
 public:
  OptionalStageTimer(metrics::Registry* registry, const std::string& source, const char* stage) {
    if (registry != nullptr) timer_.emplace(*registry, source, stage);
  }

 private:
  std::optional<metrics::StageTimer> timer_;
};

// Streams the archived body through `sink` to its end, so the archive's checks run.
std::size_t stream_archived(const SensorPayload& payload, SensorRecordSink& sink) {
  ArchiveReader reader = payload.open_body();
  const std::size_t records = stream_sensor_payload(reader.body(), payload.origin, sink);
  reader.read_to_end();
  return records;
}

// What the parsing thread hands to the loading one.
struct LoadBatch {
  std::vector<MatchedReading> readings;
  std::vector<RejectedRecord> rejected;
};
using LoadQueue = HandoffQueue<LoadBatch>;

// Thrown inside the parser to stop it once the loading side has given up.
struct LoadCancelled {};

// Batches being parsed and matched while the database loads the one before: room for two keeps
// both threads busy; more would only hold memory.
constexpr std::size_t kBatchesAhead = 2;

// The loading pass: readings of the shard, last occurrences only, matched and queued a batch at
// a time for the loading thread.
class BatchingSink final : public SensorRecordSink {
 public:
  BatchingSink(LoadQueue& queue, LatestOccurrences& occurrences, const SourceConfig& source,
               const SourceRegions& regions, Shard shard, RunCounts& counts)
      : queue_(queue),
        occurrences_(occurrences),
        source_(source),
        sets_(regions.set_pointers()),
        matchers_(regions.matcher_pointers()),
        shard_(shard),
        counts_(counts),
        sums_(sets_.size()) {
    pending_.reserve(kReadingsPerBatch);
  }

  void reading(SensorReading&& reading) override {
    if (!in_shard(reading.id, shard_) || !occurrences_.keep(reading.id)) return;
    pending_.push_back(std::move(reading));
    if (pending_.size() == kReadingsPerBatch) flush_readings();
  }
  void rejected(RejectedRecord&& record) override {
    if (!in_shard(record.record_json, shard_)) return;
    rejected_.push_back(std::move(record));
    if (rejected_.size() == kRejectsPerBatch) flush_rejected();
  }

  void finish() {
    flush_readings();
    flush_rejected();
  }
  Clock::duration matching_time() const { return matching_time_; }
  const std::vector<std::vector<TemperatureSum>>& sums() const { return sums_; }

 private:
  void flush_readings();
  void flush_rejected() {
    if (rejected_.empty()) return;
    hand_over({{}, std::move(rejected_)});
    rejected_.clear();
  }
  void hand_over(LoadBatch&& batch) {
    if (!queue_.push(std::move(batch))) throw LoadCancelled{};
  }
  void add_sums(const std::vector<MatchedReading>& matched);

  LoadQueue& queue_;
  LatestOccurrences& occurrences_;
  const SourceConfig& source_;
  std::vector<const RegionSet*> sets_;
  std::vector<const RegionMatcher*> matchers_;
  Shard shard_;
  RunCounts& counts_;
  std::vector<SensorReading> pending_;
  std::vector<RejectedRecord> rejected_;
  Clock::duration matching_time_{};
  std::vector<std::vector<TemperatureSum>> sums_;  // per set, per region: for the debug log
};

void BatchingSink::flush_readings() {
  if (pending_.empty()) return;
  const auto started = Clock::now();
  geo::MatchSummary matched =
      geo::match_readings(std::move(pending_), matchers_, source_.home_country_labels);
  matching_time_ += Clock::now() - started;
  pending_.clear();
  pending_.reserve(kReadingsPerBatch);
  // The first set is the source's primary geography: it decides what counts as "outside".
  if (!matched.outside.empty()) counts_.outside += matched.outside.front();
  if (!matched.disagreements.empty()) counts_.disagreements += matched.disagreements.front();
  add_sums(matched.readings);
  hand_over({std::move(matched.readings), {}});
}

void BatchingSink::add_sums(const std::vector<MatchedReading>& matched) {
  for (std::size_t set = 0; set < sums_.size(); ++set) {
    const auto batch_sums = sum_by_region(matched, set, sets_[set]->regions.size());
    sums_[set].resize(batch_sums.size());
    for (std::size_t i = 0; i < batch_sums.size(); ++i) sums_[set][i].merge(batch_sums[i]);
  }
}

void load_queued(LoadQueue& queue, RunSink& sink) {
  while (auto batch = queue.pop()) {
    if (!batch->readings.empty()) sink.add_readings(batch->readings);
    if (!batch->rejected.empty()) sink.add_rejected(batch->rejected);
  }
}

// What one attempt of the loading pass learns, besides what the store counts.
struct LoadPass {
  RunCounts upstream;  // the census's counts, plus outside and disagreements
  Clock::duration matching_time{};
  std::vector<std::vector<TemperatureSum>> sums;
};

// Parses and matches on a thread of its own, so that work overlaps the database's, and loads
// each batch on this thread (the connection's) as it comes. Run again by a retried transaction.
LoadPass run_load_pass(RunSink& sink, PayloadCensus& census, const SourceConfig& source,
                       const SourceRegions& regions, const SensorPayload& payload) {
  census.occurrences.rewind();
  LoadPass pass{census.counts, {}, {}};
  LoadQueue queue(kBatchesAhead);
  std::thread parser([&] {
    try {
      BatchingSink batching(queue, census.occurrences, source, regions, payload.shard,
                            pass.upstream);
      stream_archived(payload, batching);
      batching.finish();
      pass.matching_time = batching.matching_time();
      pass.sums = batching.sums();
      queue.finish();
    } catch (const LoadCancelled&) {
      queue.finish();
    } catch (...) {
      queue.finish(std::current_exception());
    }
  });
  try {
    load_queued(queue, sink);
  } catch (...) {
    queue.cancel();  // stops the parser at its next batch
    parser.join();
    throw;
  }
  parser.join();
  return pass;
}

void log_region_means(const std::string& source, const SourceRegions& regions,
                      const std::vector<std::vector<TemperatureSum>>& sums, spdlog::logger& log) {
  if (!log.should_log(spdlog::level::debug)) return;
  const auto sets = regions.set_pointers();
  for (std::size_t set = 0; set < sets.size(); ++set) {
    for (std::size_t i = 0; i < sums[set].size(); ++i) {
      if (auto mean = sums[set][i].mean()) {
        log.debug("source {}: {} {}: {:.2f} °C over {} new reading(s) of this payload", source,
                  sets[set]->name, sets[set]->regions[i].name, *mean, sums[set][i].count());
      }
    }
  }
}

}  // namespace

RunCounts load_sensor_payload(Database& db, const SourceConfig& source,
                              const SourceRegions& regions, std::int64_t run_id,
                              const SensorPayload& payload, spdlog::logger& log,
                              metrics::Registry* metrics) {
  std::optional<OptionalStageTimer> parsing(std::in_place, metrics, source.name, "parse");
  // The first pass checks the payload whole before the transaction, so a malformed payload
  // fails fast and rejects are logged once, however often the load is retried.
  PayloadCensus census =
      take_census([&](SensorRecordSink& sink) { return stream_archived(payload, sink); },
                  payload.shard, source.name, log);
  parsing.reset();

  const RunHeader run{run_id, source.name, payload.hour, payload.fetched_at,
                      regions.set_pointers()};
  LoadPass pass;
  RunCounts counts;
  {
    const OptionalStageTimer loading(metrics, source.name, "load");
    counts = load_run(db, run, [&](RunSink& sink) {
      pass = run_load_pass(sink, census, source, regions, payload);
      return pass.upstream;
    });
  }
  if (metrics != nullptr) {
    metrics::set_stage_duration(*metrics, source.name, "match", pass.matching_time);
  }
  log_region_means(source.name, regions, pass.sums, log);
  return counts;
}

std::string describe_counts(const RunCounts& counts) {
  return fmt::format(
             "fetched {}, stored {}, corrections {}, unchanged {}, rejected {}, duplicates {}, "
             "outside {}, label disagreements {}",
             counts.fetched, counts.stored, counts.corrections, counts.unchanged, counts.rejected,
             counts.duplicates, counts.outside, counts.disagreements) +
         (counts.other_shards > 0 ? fmt::format(", other shards {}", counts.other_shards)
                                  : std::string());
}

std::string source_lock_key(const std::string& source, const Shard& shard) {
  // Source names are safe as directory names, so never contain '#': no clash with a source.
  if (shard.whole()) return source;
  return source + "#shard-" + std::to_string(shard.index) + "-of-" + std::to_string(shard.count);
}

std::string describe_worker(const std::string& source, const Shard& shard) {
  return "source " + source + (shard.whole() ? std::string() : " shard " + shard.text());
}

}  // namespace meteo::pipeline
