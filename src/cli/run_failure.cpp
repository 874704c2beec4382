#include "run_failure.hpp"

#include <spdlog/spdlog.h>

namespace meteo {

void record_run_failure(Database& db, std::int64_t run_id, const std::string& source,
                        const std::exception& error, spdlog::logger& log) {
  try {
    fail_run(db, run_id, error.what());
  } catch (const std::exception& ledger_error) {
    log.warn("source {}: could not mark run {} failed: {}", source, run_id, ledger_error.what());
  }
}

}  // namespace meteo
