#include "lander.hpp"

#include <spdlog/spdlog.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>

#include "meteo/core/errors.hpp"
#include "meteo/http/client.hpp"
#include "meteo/store/ledger.hpp"

namespace meteo::pipeline {

UtcMicros now_micros() {
  return std::chrono::floor<std::chrono::microseconds>(std::chrono::system_clock::now());
}

ArchiveLander::ArchiveLander(Database& db, const RawArchive& archive, PayloadOrigin run,
                             metrics::Registry* metrics, spdlog::logger& log)
    : db_(db), archive_(archive), run_(std::move(run)), metrics_(metrics), log_(log) {}

PayloadOrigin ArchiveLander::next_origin(const std::string& url) {
  PayloadOrigin origin = run_;
  origin.sequence = sequence_++;
  origin.fetched_at = now_micros();
  origin.url = url;
  return origin;
}

BodyStream ArchiveLander::open_stream(const std::string& url) {
  streaming_ = next_origin(url);
  fetching_.emplace(metrics_, run_.source, "fetch");
  // A retried try starts a new file: the failed try's temporary file goes with its writer.
  return {[this] {
            writer_.reset();
            streaming_.fetched_at = now_micros();
            writer_.emplace(archive_.open(streaming_));
          },
          [this](std::string_view chunk) { writer_->append(chunk); }};
}

sources::LandedPayload ArchiveLander::land_stream(long http_status) {
  fetching_.reset();
  const OptionalStageTimer archiving(metrics_, run_.source, "archive");
  ArchivedPayload archived = writer_->commit();
  writer_.reset();
  archived.origin.http_status = http_status;
  record_raw_payload(db_, archived);
  log_.debug("source {}: payload of {} bytes archived as {}", run_.source, archived.size,
             archived.relative_path.string());
  return landed_payload(archive_, std::move(archived));
}

void ArchiveLander::land(const std::string& url, const HttpResponse& response) {
  PayloadOrigin origin = next_origin(url);
  origin.http_status = response.status;
  record_raw_payload(db_, archive_.write(origin, response.body));
}

namespace {

std::ifstream open_local_file(const std::filesystem::path& path) {
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) {
    throw Error(ExitCode::usage, "cannot read " + path.string() + ": it is a directory");
  }
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    throw Error(ExitCode::usage, "cannot read " + path.string() + ": " + std::strerror(errno));
  }
  return file;
}

}  // namespace

void require_readable_file(const std::filesystem::path& path) {
  open_local_file(path);
}

ArchivedPayload archive_file(const RawArchive& archive, PayloadOrigin origin,
                             const std::filesystem::path& path) {
  std::ifstream file = open_local_file(path);
  ArchiveWriter writer = archive.open(origin);
  // A chunk at a time, as a body arrives: a file of any size lands in constant memory.
  std::array<char, 1 << 16> chunk{};
  while (file.read(chunk.data(), chunk.size()) || file.gcount() > 0) {
    writer.append(std::string_view(chunk.data(), static_cast<std::size_t>(file.gcount())));
  }
  if (file.bad()) throw Error(ExitCode::usage, "cannot read " + path.string());
  ArchivedPayload archived = writer.commit();
  archived.origin.http_status = 0;
  return archived;
}

std::string file_url(const std::filesystem::path& path) {
  return "file:" + std::filesystem::absolute(path).string();
}

sources::LandedPayload ArchiveLander::land_file(const std::filesystem::path& path) {
  const std::filesystem::path absolute = std::filesystem::absolute(path);
  ArchivedPayload archived = archive_file(archive_, next_origin(file_url(absolute)), absolute);
  record_raw_payload(db_, archived);
  log_.debug("source {}: file {} of {} bytes archived as {}", run_.source, absolute.string(),
             archived.size, archived.relative_path.string());
  return landed_payload(archive_, std::move(archived));
}

sources::LandedPayload landed_payload(const RawArchive& archive, ArchivedPayload archived) {
  const std::filesystem::path path = archived.relative_path;
  const std::string sha256 = archived.sha256;
  return {std::move(archived),
          [&archive, path, sha256] { return archive.open_reader(path, sha256); }};
}

}  // namespace meteo::pipeline
