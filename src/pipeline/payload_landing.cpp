#include "payload_landing.hpp"

namespace meteo::pipeline {

UtcMicros now_micros() {
  return std::chrono::floor<std::chrono::microseconds>(std::chrono::system_clock::now());
}

ArchivedPayload land_payload(Database& db, const RawArchive& archive, const PayloadOrigin& origin,
                             std::string_view body) {
  ArchivedPayload archived = archive.write(origin, body);
  record_raw_payload(db, archived);
  return archived;
}

ArchivedPayload land_payload(Database& db, ArchiveWriter& writer, int http_status) {
  ArchivedPayload archived = writer.commit();
  archived.origin.http_status = http_status;
  record_raw_payload(db, archived);
  return archived;
}

}  // namespace meteo::pipeline
