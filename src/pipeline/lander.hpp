// "Land raw": the step between fetch and parse. A payload is durable on disk and known to the
// ledger before anything reads it, so a record we were served once can always be replayed.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "meteo/archive/raw_archive.hpp"
#include "meteo/metrics/registry.hpp"
#include "meteo/sources/source.hpp"
#include "meteo/store/database.hpp"
#include "stage_timing.hpp"

namespace spdlog {
class logger;
}

namespace meteo::pipeline {

// A payload in `archive`, with a stream of it checked against its recorded sha256.
sources::LandedPayload landed_payload(const RawArchive& archive, ArchivedPayload archived);

// Throws Error(usage) naming the path when it is not a file this process can read.
void require_readable_file(const std::filesystem::path& path);

// Streams a local file into `archive` as `origin` (status 0). Throws Error(usage) naming the path
// when it cannot be read, Error(io) when the archive cannot be written. Records nothing.
ArchivedPayload archive_file(const RawArchive& archive, PayloadOrigin origin,
                             const std::filesystem::path& path);

// "file:<absolute path>": the url a landed file is recorded under.
std::string file_url(const std::filesystem::path& path);

// Now, to the microsecond: the order of payloads (a reading keeps its newest payload's values).
UtcMicros now_micros();

// Lands the answers of one ledger run, numbered in the order they come. A body streamed in is
// timed as the "fetch" stage and its landing as "archive" when metrics are given.
class ArchiveLander final : public sources::Lander {
 public:
  ArchiveLander(Database& db, const RawArchive& archive, PayloadOrigin run,
                metrics::Registry* metrics, spdlog::logger& log);

  BodyStream open_stream(const std::string& url) override;
  sources::LandedPayload land_stream(long http_status) override;
  void land(const std::string& url, const HttpResponse& response) override;
  sources::LandedPayload land_file(const std::filesystem::path& path) override;

 private:
  PayloadOrigin next_origin(const std::string& url);

  Database& db_;
  const RawArchive& archive_;
  PayloadOrigin run_;  // source, hour and run id; the rest is each payload's
  metrics::Registry* metrics_;
  spdlog::logger& log_;
  int sequence_ = 0;
  PayloadOrigin streaming_;
  std::optional<ArchiveWriter> writer_;
  std::optional<OptionalStageTimer> fetching_;
};

}  // namespace meteo::pipeline
