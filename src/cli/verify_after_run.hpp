// `run` with [verify] after_run: the hours a run touched are verified before it exits.
#pragma once

#include <cstdint>
#include <string>

#include "meteo/config.hpp"
#include "meteo/store.hpp"

namespace spdlog {
class logger;
}

namespace meteo {

// Verifies [the earliest hour holding a reading the run wrote last, run hour + 1 h): corrections
// stay in their original hour. Violations are logged as errors and throw Error(verify_failed).
// Does nothing unless config.verify.after_run.
void verify_after_sensor_run(Database& db, const Config& config, const std::string& source,
                             std::int64_t run_id, UtcSeconds hour, spdlog::logger& log);

// The same for a station run: its run hour.
void verify_after_station_run(Database& db, const Config& config, const std::string& source,
                              UtcSeconds hour, spdlog::logger& log);

}  // namespace meteo
