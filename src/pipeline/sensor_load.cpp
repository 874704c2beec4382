#include <spdlog/spdlog.h>

#include <chrono>
#include <optional>
#include <thread>

#include "handoff_queue.hpp"
#include "meteo/aggregate/temperature_sum.hpp"
#include "meteo/geo/match.hpp"
#include "meteo/store/run_load.hpp"
#include "stage_timing.hpp"
#include "unit_load.hpp"

namespace meteo::pipeline {
namespace {

using Clock = std::chrono::steady_clock;

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

// Matches each batch the source hands over and queues it for the loading thread.
class MatchingSink final : public sources::BatchSink<SensorReading> {
 public:
  MatchingSink(LoadQueue& queue, const SourceConfig& source, const SourceRegions& regions,
               RunCounts& counts)
      : queue_(queue),
        source_(source),
        sets_(regions.set_pointers()),
        matchers_(regions.matcher_pointers()),
        counts_(counts),
        sums_(sets_.size()) {}

  void stations(std::vector<sources::NoStation>&&) override {}  // a reading carries its point
  void records(std::vector<SensorReading>&& batch) override;
  void rejected(std::vector<RejectedRecord>&& batch) override { hand_over({{}, std::move(batch)}); }

  Clock::duration matching_time() const { return matching_time_; }
  const std::vector<std::vector<TemperatureSum>>& sums() const { return sums_; }

 private:
  void hand_over(LoadBatch&& batch) {
    if (!queue_.push(std::move(batch))) throw LoadCancelled{};
  }
  void add_sums(const std::vector<MatchedReading>& matched);

  LoadQueue& queue_;
  const SourceConfig& source_;
  std::vector<const RegionSet*> sets_;
  std::vector<const RegionMatcher*> matchers_;
  RunCounts& counts_;
  Clock::duration matching_time_{};
  std::vector<std::vector<TemperatureSum>> sums_;  // per set, per region: for the debug log
};

void MatchingSink::records(std::vector<SensorReading>&& batch) {
  const auto started = Clock::now();
  geo::MatchSummary matched =
      geo::match_readings(std::move(batch), matchers_, source_.home_country_labels);
  matching_time_ += Clock::now() - started;
  // The first set is the source's primary geography: it decides what counts as "outside".
  if (!matched.outside.empty()) counts_.outside += matched.outside.front();
  if (!matched.disagreements.empty()) counts_.disagreements += matched.disagreements.front();
  add_sums(matched.readings);
  hand_over({std::move(matched.readings), {}});
}

void MatchingSink::add_sums(const std::vector<MatchedReading>& matched) {
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
LoadPass run_load_pass(RunSink& sink, sources::UnitRecords<SensorReading>& records,
                       const RunCounts& census, const SourceConfig& source,
                       const SourceRegions& regions) {
  LoadPass pass{census, {}, {}};
  LoadQueue queue(kBatchesAhead);
  std::thread parser([&] {
    try {
      MatchingSink matching(queue, source, regions, pass.upstream);
      records.produce(sources::BatchLimits{}, matching);
      pass.matching_time = matching.matching_time();
      pass.sums = matching.sums();
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

RunCounts load_unit(const UnitLoad& load, const sources::FetchUnit&,
                    sources::UnitRecords<SensorReading>& records, std::optional<HourSpan>&) {
  const std::string& name = load.source.name;
  std::optional<OptionalStageTimer> parsing(std::in_place, load.metrics, name, "parse");
  const RunCounts census = records.census();
  parsing.reset();

  const RunHeader run{load.run_id, name, load.run_hour, records.fetched_at(),
                      load.regions.set_pointers()};
  LoadPass pass;
  RunCounts counts;
  {
    const OptionalStageTimer loading(load.metrics, name, "load");
    counts = load_run(load.db, run, [&](RunSink& sink) {
      pass = run_load_pass(sink, records, census, load.source, load.regions);
      return pass.upstream;
    });
  }
  if (load.metrics != nullptr) {
    metrics::set_stage_duration(*load.metrics, name, "match", pass.matching_time);
  }
  log_region_means(name, load.regions, pass.sums, load.log);
  return counts;
}

std::string describe_counts(const RunCounts& counts) {
  return fmt::format(
             "fetched {}, stored {}, corrections {}, unchanged {}, rejected {}, duplicates {}, "
             "outside {}, label disagreements {}",
             counts.fetched, counts.stored, counts.corrections, counts.unchanged, counts.rejected,
             counts.duplicates, counts.outside, counts.disagreements) +
         (counts.other_shards > 0 ? fmt::format(", other shards {}", counts.other_shards)
                                  : std::string()) +
         (counts.kept_negative > 0 ? fmt::format(", negatives kept {}", counts.kept_negative)
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

Error lock_held_error(const std::string& source, const Shard& shard) {
  return Error(ExitCode::temporary,
               describe_worker(source, shard) + ": another run holds its lock; try again later");
}

}  // namespace meteo::pipeline
