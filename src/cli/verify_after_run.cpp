#include "verify_after_run.hpp"

#include <spdlog/spdlog.h>

#include "meteo/errors.hpp"
#include "meteo/verify.hpp"
#include "verify_output.hpp"

namespace meteo {
namespace {

void verify_hours(Database& db, const Config& config, const std::string& source,
                  const VerifyWindow& window, spdlog::logger& log) {
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  const VerifyReport report = verify_stored_data(db, config, window, now);
  const std::string hours = describe_window(window);
  std::string failed;
  for (const auto& check : report.checks) {
    if (check.passed()) continue;
    log.error("source {}: verify {} {}: FAILED ({})", source, hours, check.name,
              check.violation_count);
    for (const auto& violation : check.violations) {
      log.error("source {}: verify {}: {}", source, check.name, violation);
    }
    failed += (failed.empty() ? "" : ", ") + check.name + " (" +
              std::to_string(check.violation_count) + ")";
  }
  if (!failed.empty()) {
    throw Error(ExitCode::verify_failed,
                "verification of hours " + hours + " after the run failed: " + failed);
  }
  log.info("source {}: hours {} verified: every check ok", source, hours);
}

}  // namespace

void verify_after_sensor_run(Database& db, const Config& config, const std::string& source,
                             std::int64_t run_id, UtcSeconds hour, spdlog::logger& log) {
  if (!config.verify.after_run) return;
  const auto earliest = earliest_hour_written_by(db, source, run_id);
  const UtcSeconds from = earliest && *earliest < hour ? *earliest : hour;
  verify_hours(db, config, source, {from, hour + std::chrono::hours(1)}, log);
}

void verify_after_station_run(Database& db, const Config& config, const std::string& source,
                              UtcSeconds hour, spdlog::logger& log) {
  if (!config.verify.after_run) return;
  verify_hours(db, config, source, {hour, hour + std::chrono::hours(1)}, log);
}

}  // namespace meteo
