// Closing the ledger row of a run that failed.
#pragma once

#include <cstdint>
#include <exception>
#include <string>

#include "meteo/pipeline/run_store.hpp"

namespace spdlog {
class logger;
}

namespace meteo::pipeline {

// Marks the run failed with the error's message. The database may be what failed, so a ledger
// that cannot be written is a warning: the caller rethrows the original error either way.
void record_run_failure(RunStore& store, std::int64_t run_id, const std::string& source,
                        const std::exception& error, spdlog::logger& log);

// Closes the ledger rows that died runs of `source` left 'running', with a warning. Called as soon
// as the source's lock is held: no live run of the source can own such a row then.
void recover_abandoned_runs(RunStore& store, const std::string& source, spdlog::logger& log);

}  // namespace meteo::pipeline
