// `run` with [verify] after_run: the hours a run touched are verified before it exits.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "meteo/config/config.hpp"
#include "meteo/store/database.hpp"
#include "meteo/store/verify.hpp"

namespace spdlog {
class logger;
}

namespace meteo::pipeline {

// The UTC hours a run wrote to, both ends included.
struct HourSpan {
  UtcSeconds first, last;
};

// Widens `span` (empty: nothing yet) to take in the hour of `instant`.
void widen(std::optional<HourSpan>& span, UtcSeconds instant);

// The hours a sensor run touched: from the earliest hour holding a reading it wrote last (a
// correction stays in its reading's hour) to its own hour; when the source has a later run hour,
// up to that one, since readings the run carried may have moved back from a later hour to its own
// (a reading belongs to the earliest hour that carried it) and the hours they left were recomputed.
VerifyWindow sensor_run_window(UtcSeconds run_hour, std::optional<UtcSeconds> earliest_written,
                               std::optional<UtcSeconds> newest_run_hour);

// The hours a station run touched: the measurement hours of the observations it wrote and its own
// hour (its raw payloads' and its rejects'), as one window.
VerifyWindow station_run_window(UtcSeconds run_hour, const std::optional<HourSpan>& observed);

// Verifies sensor_run_window. Violations are logged as errors and throw Error(verify_failed).
// Does nothing unless config.verify.after_run.
void verify_after_sensor_run(Database& db, const Config& config, const std::string& source,
                             std::int64_t run_id, UtcSeconds hour, spdlog::logger& log);

// The same for a station run: station_run_window.
void verify_after_station_run(Database& db, const Config& config, const std::string& source,
                              UtcSeconds hour, const std::optional<HourSpan>& observed,
                              spdlog::logger& log);

}  // namespace meteo::pipeline
