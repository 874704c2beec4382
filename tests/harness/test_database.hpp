// The test server and a throw-away database per test.
#pragma once

#include <string>

#include "meteo/config/config.hpp"
#include "meteo/store/database.hpp"

namespace meteo::testing {

// Where the test server is: $METEO_TEST_DB_HOST/_PORT/_USER/_PASSWORD when set (an external
// server, e.g. the mysql:8 service of GitHub Actions), otherwise the private MariaDB that
// harness/mariadb.sh started, described in $METEO_TEST_DB_DIR/env. The database name is empty.
// Calls GTEST_SKIP-free FAIL semantics: throws std::runtime_error when neither is available.
DatabaseConfig test_server_config();

// Creates a uniquely named database (t_<pid>_<counter>_<random>) and drops it on destruction.
class ScratchDatabase {
 public:
  ScratchDatabase();
  ~ScratchDatabase();
  ScratchDatabase(const ScratchDatabase&) = delete;
  ScratchDatabase& operator=(const ScratchDatabase&) = delete;

  const DatabaseConfig& config() const { return config_; }  // name = the scratch database
  Database connect() const { return Database::connect(config_); }
  // A scratch database with every bundled migration applied.
  static ScratchDatabase migrated();

 private:
  // migrated() cannot return a named local of this non-movable type: it builds a prvalue.
  explicit ScratchDatabase(bool migrate);
  DatabaseConfig config_;
};

}  // namespace meteo::testing
