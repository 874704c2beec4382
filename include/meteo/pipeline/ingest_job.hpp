// Ingest: a local file (a payload saved by hand, a partner's export) loaded through the same
// stages as a fetched payload: landed raw in the archive first, then the source's own reader
// (Source::adopt) and the same per-record-type load as the hourly run, under its own ledger run
// (kind "ingest"). Loads are idempotent, so ingesting a file twice counts nothing twice.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>

#include "meteo/config/config.hpp"
#include "meteo/core/errors.hpp"
#include "meteo/model/run_counts.hpp"
#include "meteo/sources/file_format.hpp"
#include "meteo/store/database.hpp"

namespace spdlog {
class logger;
}

namespace meteo::pipeline {

// What an ingest loaded, under which ledger run.
struct IngestOutcome {
  std::int64_t run_id = 0;
  RunCounts counts;
};

// Thrown by ingest_file when another run holds the source's lock (ExitCode::temporary): a caller
// may tell it from an unreachable database (`serve` answers 429, not 503).
class SourceBusy : public Error {
 public:
  using Error::Error;
};

// Holds the source's lock, closes its abandoned runs, then lands, reads and loads `file` as one
// unit of partition "file" (no window, no watermark). `format`: what the file holds when its
// sender said so (`serve`: the Content-Type of the body it saved under a scratch name); none: a
// source reading several formats tells it by the file's extension. Throws Error(usage) naming the
// file when it cannot be read or when the source takes no files (a station network), SourceBusy
// when its lock is held, Error(data) when the source's reader finds it malformed; a failure once
// the ledger run is begun is recorded on it.
IngestOutcome ingest_file(Database& db, const Config& config, const SourceConfig& source,
                          const std::filesystem::path& file,
                          std::optional<sources::FileFormat> format, spdlog::logger& log);

// --dry-run: reads `file` as ingest_file would and counts what it holds; needs no database and
// writes nothing (the file goes through a scratch archive, deleted after).
RunCounts count_file(const SourceConfig& source, const std::filesystem::path& file,
                     spdlog::logger& log);

}  // namespace meteo::pipeline
