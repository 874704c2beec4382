// The fields of a run's log lines (see LogFields): which run, and its counts as numbers, so a log
// shipper reads them without parsing the message.
#pragma once

#include <cstdint>
#include <string>

#include "meteo/core/log_fields.hpp"
#include "meteo/station_store.hpp"
#include "meteo/store.hpp"
#include "meteo/time.hpp"

namespace meteo::pipeline {

// source, run_id and hour (ISO 8601, UTC).
LogFields run_fields(const std::string& source, std::int64_t run_id, UtcSeconds hour);

// fetched, stored, corrections, unchanged, rejected, duplicates, outside, disagreements and
// other_shards: what describe_counts says in words.
LogFields counts_fields(const RunCounts& counts);

// fetched, stored, corrections, unchanged and rejected of one window of a station network.
LogFields counts_fields(const StationLoadCounts& counts);

}  // namespace meteo::pipeline
