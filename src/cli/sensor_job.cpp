#include "sensor_job.hpp"

#include <spdlog/spdlog.h>

#include <optional>

#include "meteo/aggregate.hpp"
#include "meteo/sources.hpp"

namespace meteo {
namespace {

// Times one stage when metrics are wanted.
class OptionalStageTimer {
 public:
  OptionalStageTimer(metrics::Registry* registry, const std::string& source, const char* stage) {
    if (registry != nullptr) timer_.emplace(*registry, source, stage);
  }

 private:
  std::optional<metrics::StageTimer> timer_;
};

RunBatch build_batch(const SourceConfig& source, const SourceRegions& regions, std::int64_t run_id,
                     const SensorPayload& payload, spdlog::logger& log,
                     metrics::Registry* metrics) {
  std::optional<OptionalStageTimer> parsing(std::in_place, metrics, source.name, "parse");
  ParsedPayload parsed = parse_sensor_payload(payload.body, payload.origin);
  // Right after validation, before any matching: the other shards' records cost nothing more.
  const std::size_t other_shards = keep_shard(parsed, payload.shard);
  RunBatch batch;
  batch.run_id = run_id;
  batch.source = source.name;
  batch.hour = payload.hour;
  batch.fetched_at = payload.fetched_at;
  batch.region_sets = regions.set_pointers();
  batch.counts.fetched = parsed.record_count;  // of this shard: the ledger's balance holds
  batch.counts.other_shards = other_shards;
  batch.counts.rejected = parsed.rejected.size();
  batch.counts.duplicates = keep_latest_per_id(parsed.readings);
  for (const auto& rejected : parsed.rejected) {
    log.warn("source {}: record {} rejected: {}", source.name, rejected.position, rejected.reason);
  }
  parsing.reset();
  const OptionalStageTimer matching(metrics, source.name, "match");
  MatchSummary matched = match_readings(std::move(parsed.readings), regions.matcher_pointers(),
                                        source.home_country_labels);
  // The first set is the source's primary geography: it decides what counts as "outside".
  batch.counts.outside = matched.outside.empty() ? 0 : matched.outside.front();
  batch.counts.disagreements = matched.disagreements.empty() ? 0 : matched.disagreements.front();
  batch.readings = std::move(matched.readings);
  batch.rejected = std::move(parsed.rejected);
  return batch;
}

void log_region_means(const RunBatch& batch, spdlog::logger& log) {
  if (!log.should_log(spdlog::level::debug)) return;
  for (std::size_t set = 0; set < batch.region_sets.size(); ++set) {
    const auto& regions = batch.region_sets[set]->regions;
    const auto sums = sum_by_region(batch.readings, set, regions.size());
    for (std::size_t i = 0; i < sums.size(); ++i) {
      if (auto mean = sums[i].mean()) {
        log.debug("source {}: {} {}: {:.2f} °C over {} new reading(s) of this payload",
                  batch.source, batch.region_sets[set]->name, regions[i].name, *mean,
                  sums[i].count);
      }
    }
  }
}

}  // namespace

RunCounts load_sensor_payload(Database& db, const SourceConfig& source,
                              const SourceRegions& regions, std::int64_t run_id,
                              const SensorPayload& payload, spdlog::logger& log,
                              metrics::Registry* metrics) {
  const RunBatch batch = build_batch(source, regions, run_id, payload, log, metrics);
  log_region_means(batch, log);
  const OptionalStageTimer loading(metrics, source.name, "load");
  return load_run(db, batch);
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

}  // namespace meteo
