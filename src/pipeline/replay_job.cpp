#include "meteo/pipeline/replay_job.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <optional>
#include <thread>

#include "database_run_store.hpp"
#include "lander.hpp"
#include "meteo/archive/raw_archive.hpp"
#include "meteo/core/log_fields.hpp"
#include "meteo/pipeline/progress.hpp"
#include "meteo/pipeline/source_regions.hpp"
#include "meteo/sources/source_types.hpp"
#include "meteo/store/ledger.hpp"
#include "run_failure.hpp"
#include "run_log_fields.hpp"
#include "unit_load.hpp"

namespace meteo::pipeline {
namespace {

// The ledger's id for the file; a file the ledger lost (a restored database) is recorded anew,
// its checksum read from the file (which its gzip trailer vouches for).
std::int64_t ledger_id(Database& db, const RawArchive& archive, ArchivedPayload& payload,
                       const std::optional<RawPayloadRecord>& recorded) {
  if (recorded) return recorded->id;
  const BodyDigest digest = archive.digest(payload.relative_path);
  payload.sha256 = digest.sha256;
  payload.size = digest.size;
  return record_raw_payload(db, payload);
}

template <class Record>
RunCounts replay_payload(Database& db, const RawArchive& archive, sources::Source<Record>& source,
                         const SourceRegions& regions, ArchivedPayload payload, const Shard& shard,
                         spdlog::logger& log, StepProgress& progress) {
  const std::string& name = source.config().name;
  const auto recorded = find_raw_payload(db, payload.relative_path);
  const std::int64_t payload_id = ledger_id(db, archive, payload, recorded);
  if (recorded) payload.sha256 = recorded->sha256;  // the file is checked against the ledger's
  const std::filesystem::path path = payload.relative_path;
  const UtcSeconds hour = payload.origin.hour;
  const sources::LandedPayload landed = landed_payload(archive, std::move(payload));
  const std::int64_t run_id = begin_run(db, name, hour, RunKind::replay, payload_id);
  try {
    auto records = source.adopt(landed, shard);
    const UnitLoad load{db, source.config(), regions, run_id, hour, nullptr, log};
    std::optional<HourSpan> observed;
    const RunCounts counts = load_unit(load, sources::FetchUnit{}, *records, observed);
    progress.step(path.string());
    LogFields fields = run_fields(name, run_id, hour);
    if (!shard.whole()) fields.add("shard", shard.text());
    fields.add("payload", path.string()).add(counts_fields(counts));
    log_with(log, progress.step_level(), fields, "{} hour {}: replay run {} of {}: {}",
             describe_worker(name, shard), to_iso8601(hour), run_id, path.string(),
             describe_counts(counts));
    return counts;
  } catch (const std::exception& error) {
    DatabaseRunStore ledger(db);
    record_run_failure(ledger, run_id, name, error, log);
    throw;
  }
}

// Contiguous slices of the (fetch-ordered) payloads, one per job, sizes within one of each other.
std::vector<std::vector<ArchivedPayload>> slices(std::vector<ArchivedPayload> payloads, int jobs) {
  const std::size_t count = std::max<std::size_t>(
      1, std::min<std::size_t>(static_cast<std::size_t>(jobs), payloads.size()));
  std::vector<std::vector<ArchivedPayload>> parts(count);
  for (std::size_t i = 0; i < payloads.size(); ++i) {
    parts[i * count / payloads.size()].push_back(std::move(payloads[i]));
  }
  return parts;
}

void print_plan(const SourceConfig& source, const ReplayRequest& request,
                const std::vector<ArchivedPayload>& payloads, std::ostream& out) {
  std::uintmax_t bytes = 0;
  for (const auto& payload : payloads) bytes += payload.stored_size;
  out << "source " << source.name << ": " << payloads.size() << " archived payload(s) in ["
      << to_iso8601(request.window.from) << ", " << to_iso8601(request.window.to) << "), " << bytes
      << " compressed bytes, " << std::min<std::size_t>(request.jobs, payloads.size())
      << " job(s)\n";
  for (const auto& payload : payloads) out << "  " << payload.relative_path.string() << "\n";
}

// Runs the slices on threads; the first failure stops the others after their current payload.
class ReplayWorkers {
 public:
  ReplayWorkers(const Config& config, const SourceConfig& source, const Shard& shard,
                spdlog::logger& log, StepProgress& progress)
      : config_(config),
        source_(source),
        shard_(shard),
        archive_(config.archive),
        log_(log),
        progress_(progress) {}

  RunCounts run(std::vector<std::vector<ArchivedPayload>> parts) {
    std::vector<std::thread> threads;
    for (auto& part : parts) {
      threads.emplace_back([this, &part] { work(std::move(part)); });
    }
    for (auto& thread : threads) thread.join();
    if (failure_) throw *failure_;
    return total_;
  }

 private:
  void work(std::vector<ArchivedPayload> part) {
    try {
      Database db = Database::connect(config_.database, &log_);
      const SourceRegions regions = load_source_regions(db, config_, source_, log_);
      // A source of its own: each worker parses on its own thread.
      auto source = sources::make_source(source_, log_);
      for (auto& payload : part) {
        if (stop_) return;
        const RunCounts counts = std::visit(
            [&](auto& typed) {
              return replay_payload(db, archive_, *typed, regions, payload, shard_, log_,
                                    progress_);
            },
            source);
        const std::lock_guard lock(mutex_);
        total_ += counts;
      }
    } catch (const Error& error) {
      fail(error);
    } catch (const std::exception& error) {
      fail(Error(ExitCode::software, error.what()));
    }
  }

  void fail(const Error& error) {
    stop_ = true;
    const std::lock_guard lock(mutex_);
    if (!failure_) failure_ = error;
  }

  const Config& config_;
  const SourceConfig& source_;
  const Shard shard_;
  const RawArchive archive_;
  spdlog::logger& log_;
  StepProgress& progress_;
  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  std::optional<Error> failure_;
  RunCounts total_;
};

}  // namespace

bool replayable(const SourceConfig& source) {
  return sources::history_of(source) == sources::History::archive;
}

void require_replayable(const SourceConfig& source) {
  if (replayable(source)) return;
  const std::string what = source.air_quality ? " is an air-quality layer: the layer keeps"
                                              : " is a station network: its portal keeps";
  throw Error(ExitCode::usage, "source " + source.name + what +
                                   " the history, re-read it with `meteo-etl backfill`");
}

RunCounts replay_source(Database& db, const Config& config, const SourceConfig& source,
                        const ReplayRequest& request, spdlog::logger& log, std::ostream& out) {
  require_replayable(source);
  const RawArchive archive(config.archive);
  auto payloads = archive.list(source.name, request.window.from, request.window.to);
  if (request.dry_run) {
    print_plan(source, request, payloads, out);
    return {};
  }
  DatabaseRunStore ledger(db);
  const auto lock = ledger.try_lock(source_lock_key(source.name, request.shard));
  if (!lock) throw lock_held_error(source.name, request.shard);
  recover_abandoned_runs(ledger, source.name, log);
  if (payloads.empty()) {
    log.warn("source {}: no archived payload in [{}, {}) under {}", source.name,
             to_iso8601(request.window.from), to_iso8601(request.window.to),
             archive.root().string());
    return {};
  }
  const std::size_t count = payloads.size();
  RunCounts total;
  {
    const auto progress = start_progress(request.progress, count, "payloads");
    ReplayWorkers workers(config, source, request.shard, log, *progress);
    total = workers.run(slices(std::move(payloads), request.jobs));
  }
  LogFields fields = LogFields()
                         .add("source", source.name)
                         .add("from", to_iso8601(request.window.from))
                         .add("to", to_iso8601(request.window.to));
  if (!request.shard.whole()) fields.add("shard", request.shard.text());
  fields.add("payloads", count).add(counts_fields(total));
  log_with(log, spdlog::level::info, fields, "{}: replayed {} payload(s): {}",
           describe_worker(source.name, request.shard), count, describe_counts(total));
  return total;
}

}  // namespace meteo::pipeline
