// "Land raw": the step between fetch and parse. A payload is durable on disk and known to the
// ledger before anything reads it, so a reading we were served once can always be replayed.
#pragma once

#include <string_view>

#include "meteo/archive.hpp"
#include "meteo/store.hpp"

namespace meteo::pipeline {

// Now, to the microsecond: the order of payloads (a reading keeps its newest payload's values).
UtcMicros now_micros();

// Archives the body (Error(io) when the archive cannot be written: nothing was parsed or
// loaded yet) and records the file in raw_payloads.
ArchivedPayload land_payload(Database& db, const RawArchive& archive, const PayloadOrigin& origin,
                             std::string_view body);
// The same for a body already streamed into `writer` (opened before the status was known).
ArchivedPayload land_payload(Database& db, ArchiveWriter& writer, int http_status);

}  // namespace meteo::pipeline
