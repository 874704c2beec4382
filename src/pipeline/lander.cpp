#include "lander.hpp"

#include <spdlog/spdlog.h>

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

sources::LandedPayload landed_payload(const RawArchive& archive, ArchivedPayload archived) {
  const std::filesystem::path path = archived.relative_path;
  const std::string sha256 = archived.sha256;
  return {std::move(archived),
          [&archive, path, sha256] { return archive.open_reader(path, sha256); }};
}

}  // namespace meteo::pipeline
