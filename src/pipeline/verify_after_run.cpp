#include "verify_after_run.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "meteo/core/errors.hpp"
#include "meteo/pipeline/config_views.hpp"
#include "meteo/pipeline/verify_output.hpp"
#include "meteo/store/verify.hpp"

namespace meteo::pipeline {
namespace {

void verify_hours(Database& db, const Config& config, const std::string& source,
                  const VerifyWindow& window, spdlog::logger& log) {
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  const VerifyReport report = verify_stored_data(db, verify_scope(config), window, now);
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

void widen(std::optional<HourSpan>& span, UtcSeconds instant) {
  const UtcSeconds hour = floor_to_hour(instant);
  if (!span) {
    span = HourSpan{hour, hour};
    return;
  }
  span->first = std::min(span->first, hour);
  span->last = std::max(span->last, hour);
}

VerifyWindow sensor_run_window(UtcSeconds run_hour, std::optional<UtcSeconds> earliest_written,
                               std::optional<UtcSeconds> newest_run_hour) {
  const UtcSeconds from = std::min(run_hour, earliest_written.value_or(run_hour));
  const UtcSeconds last = std::max(run_hour, newest_run_hour.value_or(run_hour));
  return {from, last + std::chrono::hours(1)};
}

VerifyWindow station_run_window(UtcSeconds run_hour, const std::optional<HourSpan>& observed) {
  std::optional<HourSpan> touched = observed;
  widen(touched, run_hour);
  return {touched->first, touched->last + std::chrono::hours(1)};
}

void verify_after_sensor_run(Database& db, const Config& config, const std::string& source,
                             std::int64_t run_id, UtcSeconds hour, spdlog::logger& log) {
  if (!config.verify.after_run) return;
  const VerifyWindow window = sensor_run_window(hour, earliest_hour_written_by(db, source, run_id),
                                                newest_run_hour(db, source));
  verify_hours(db, config, source, window, log);
}

void verify_after_station_run(Database& db, const Config& config, const std::string& source,
                              UtcSeconds hour, const std::optional<HourSpan>& observed,
                              spdlog::logger& log) {
  if (!config.verify.after_run) return;
  verify_hours(db, config, source, station_run_window(hour, observed), log);
}

}  // namespace meteo::pipeline
