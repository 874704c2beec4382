// A MariaDB server of one drill's own, on its own directory (tests/harness/mariadb.sh), so that
// stopping, killing or restarting it disturbs no other test.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>

#include "meteo/config/config.hpp"

namespace meteo::testing {

class PrivateMariaDb {
 public:
  // Initialises `directory` on first use and starts the server; throws when it does not start.
  explicit PrivateMariaDb(std::filesystem::path directory);
  ~PrivateMariaDb();  // stops the server (the directory stays, for a post-mortem)
  PrivateMariaDb(const PrivateMariaDb&) = delete;
  PrivateMariaDb& operator=(const PrivateMariaDb&) = delete;

  // Root over the server's socket; `database` empty for the server itself.
  DatabaseConfig config(const std::string& database = "") const;
  const std::filesystem::path& directory() const { return directory_; }

  void start();      // on the same datadir: after a crash, InnoDB recovers first
  void stop();       // a clean shutdown
  void kill_hard();  // SIGKILL to mariadbd: a crash, nothing flushed, no connection told

 private:
  pid_t server_pid() const;
  std::filesystem::path directory_;
};

}  // namespace meteo::testing
