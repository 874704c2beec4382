// Configuration files for end-to-end tests, pointing at the test server.
#pragma once

#include <string>

#include "meteo/config/config.hpp"
#include "subprocess.hpp"

namespace meteo::testing {

// The [database] table for `db`: its hosts instead of host, port and socket when it has some, its
// lease_seconds when not the default. Its password (if any) travels in $METEO_DB_PASSWORD.
std::string database_toml(const DatabaseConfig& db);

// A site of one sensor source: database_toml(db), the archive under `archive_root`, the region
// set fr-regions (shared data), and the source `sensors` reading `sensor_url` with the key in
// $SENSOR_API_KEY and one HTTP attempt.
std::string sensor_site_toml(const DatabaseConfig& db, const std::string& archive_root,
                             const std::string& sensor_url);

// What cron gives a job: PATH, the config file, and the database password when there is one.
Environment cron_environment(const std::string& config_path, const DatabaseConfig& db);

}  // namespace meteo::testing
