#include "run_failure.hpp"

#include <spdlog/spdlog.h>

namespace meteo::pipeline {

void record_run_failure(RunStore& store, std::int64_t run_id, const std::string& source,
                        const std::exception& error, spdlog::logger& log) {
  try {
    store.fail_run(run_id, error.what());
  } catch (const std::exception& ledger_error) {
    log.warn("source {}: could not mark run {} failed: {}", source, run_id, ledger_error.what());
  }
}

void recover_abandoned_runs(RunStore& store, const std::string& source, spdlog::logger& log) {
  if (const auto closed = store.close_abandoned_runs(source); closed > 0) {
    log.warn("source {}: marked {} abandoned run(s) failed (an earlier run died mid-run)", source,
             closed);
  }
}

}  // namespace meteo::pipeline
