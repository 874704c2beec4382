// The fields of a run's log lines (see LogFields): which run, and its counts as numbers, so a log
// shipper reads them without parsing the message.
#pragma once

#include <cstdint>
#include <string>

#include "meteo/core/log_fields.hpp"
#include "meteo/core/time.hpp"
#include "meteo/model/run_counts.hpp"

namespace meteo::pipeline {

// source, run_id and hour (ISO 8601, UTC).
LogFields run_fields(const std::string& source, std::int64_t run_id, UtcSeconds hour);

// A whole run's line, or one unit's (a window of a station dataset), which leaves out the counts
// only a whole run has (duplicates are counted before the units are loaded).
enum class CountsScope { run, unit };

// run: fetched, stored, corrections, unchanged, rejected, duplicates, outside, disagreements and
// other_shards (what describe_counts says in words); unit: the first five.
LogFields counts_fields(const RunCounts& counts, CountsScope scope = CountsScope::run);

}  // namespace meteo::pipeline
