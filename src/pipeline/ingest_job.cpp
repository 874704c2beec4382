#include "meteo/pipeline/ingest_job.hpp"

#include <spdlog/spdlog.h>
#include <stdlib.h>  // mkdtemp

#include <optional>
#include <string>
#include <system_error>

#include "database_run_store.hpp"
#include "lander.hpp"
#include "meteo/archive/raw_archive.hpp"
#include "meteo/core/errors.hpp"
#include "meteo/core/log_fields.hpp"
#include "meteo/pipeline/source_regions.hpp"
#include "meteo/sources/source_types.hpp"
#include "meteo/store/ledger.hpp"
#include "run_failure.hpp"
#include "run_log_fields.hpp"
#include "unit_load.hpp"

namespace meteo::pipeline {
namespace {

namespace fs = std::filesystem;

// The one unit a file is: it covers what it holds, so no window and no watermark moves.
sources::FetchUnit file_unit(const fs::path& file, UtcSeconds now) {
  return {"file", std::nullopt, std::nullopt, "file " + fs::absolute(file).string(), now};
}

// A sensor payload's transaction closed the ledger run already.
void close_file_run(Database&, std::int64_t, const RunCounts&,
                    const sources::Source<SensorReading>&) {}

// Station and air-quality windows leave their run open until the last: a file is the last.
void close_file_run(Database& db, std::int64_t run_id, const RunCounts& counts,
                    const sources::Source<WeatherObservation>&) {
  DatabaseRunStore(db).finish_run(run_id, counts);
}

void close_file_run(Database& db, std::int64_t run_id, const RunCounts& counts,
                    const sources::Source<AirQualityMeasurement>&) {
  DatabaseRunStore(db).finish_run(run_id, counts);
}

// The line that closes an ingest run, in the words and fields of a run's.
void log_ingest_run(spdlog::logger& log, const std::string& source, std::int64_t run_id,
                    UtcSeconds hour, const std::string& url, const RunCounts& counts) {
  log_with(log, spdlog::level::info,
           run_fields(source, run_id, hour).add("file", url).add(counts_fields(counts)),
           "source {} hour {}: ingest run {} of {} succeeded: {}", source, to_iso8601(hour), run_id,
           url, describe_counts(counts));
}

template <class Record>
IngestOutcome load_file(Database& db, const Config& config, sources::Source<Record>& source,
                        const fs::path& file, std::optional<sources::FileFormat> format,
                        spdlog::logger& log) {
  const std::string& name = source.config().name;
  const auto now = std::chrono::system_clock::now();
  const UtcSeconds hour = floor_to_hour(now);
  const SourceRegions regions = load_source_regions(db, config, source.config(), log);
  const RawArchive archive(config.archive);
  const std::int64_t run_id = begin_run(db, name, hour, RunKind::file);
  try {
    ArchiveLander lander(db, archive, PayloadOrigin{name, hour, run_id, 0, {}, {}, 0}, nullptr,
                         log);
    sources::LandedPayload landed = lander.land_file(file);
    landed.format = format;
    auto records = source.adopt(landed, Shard{});
    const UnitLoad load{db,
                        source.config(),
                        regions,
                        run_id,
                        hour,
                        nullptr,
                        log,
                        &config.alerts,
                        std::chrono::floor<std::chrono::seconds>(now),
                        config.daily_settings(name)};
    std::optional<HourSpan> observed;
    const RunCounts counts = load_unit(
        load, file_unit(file, std::chrono::floor<std::chrono::seconds>(now)), *records, observed);
    close_file_run(db, run_id, counts, source);
    log_ingest_run(log, name, run_id, hour, landed.archived.origin.url, counts);
    return {run_id, counts};
  } catch (const std::exception& error) {
    DatabaseRunStore ledger(db);
    record_run_failure(ledger, run_id, name, error, log);
    throw;
  }
}

// A directory of its own under the system's temporary directory, removed with everything in it.
class ScratchDirectory {
 public:
  ScratchDirectory() {
    std::string pattern = (fs::temp_directory_path() / "meteo-etl-ingest-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
      throw Error(ExitCode::io,
                  "cannot create a scratch directory in " + fs::temp_directory_path().string());
    }
    path_ = pattern;
  }
  ScratchDirectory(const ScratchDirectory&) = delete;
  ScratchDirectory& operator=(const ScratchDirectory&) = delete;
  ~ScratchDirectory() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

template <class Record>
RunCounts count_records(sources::Source<Record>& source, const fs::path& file) {
  const ScratchDirectory scratch;
  const RawArchive archive(ArchiveConfig{scratch.path(), 0, 1});
  const UtcSeconds hour = floor_to_hour(std::chrono::system_clock::now());
  PayloadOrigin origin{source.config().name, hour, 0, 0, now_micros(), file_url(file), 0};
  const sources::LandedPayload landed =
      landed_payload(archive, archive_file(archive, std::move(origin), file));
  return source.adopt(landed, Shard{})->census();
}

}  // namespace

IngestOutcome ingest_file(Database& db, const Config& config, const SourceConfig& source,
                          const fs::path& file, std::optional<sources::FileFormat> format,
                          spdlog::logger& log) {
  // A mistyped path is not worth a ledger run.
  require_readable_file(file);
  DatabaseRunStore ledger(db);
  const auto lock = ledger.try_lock(source_lock_key(source.name, Shard{}));
  if (!lock) {
    const Error held = lock_held_error(source.name, Shard{});
    throw SourceBusy(held.code(), held.what());
  }
  recover_abandoned_runs(ledger, source.name, log);
  sources::AnySource typed_source = sources::make_source(source, log);
  return std::visit([&](auto& typed) { return load_file(db, config, *typed, file, format, log); },
                    typed_source);
}

RunCounts count_file(const SourceConfig& source, const fs::path& file, spdlog::logger& log) {
  sources::AnySource typed_source = sources::make_source(source, log);
  return std::visit([&](auto& typed) { return count_records(*typed, file); }, typed_source);
}

}  // namespace meteo::pipeline
