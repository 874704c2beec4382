// MariaDB servers of one drill's own, on its own directory (tests/harness/mariadb.sh, spider.sh),
// so that stopping, killing or restarting them disturbs no other test.
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

// A Spider head and its InnoDB backends backend1 and backend2 (tests/harness/spider.sh), each a
// private server of its own under `directory`.
class PrivateSpider {
 public:
  static constexpr int kBackends = 2;

  explicit PrivateSpider(std::filesystem::path directory);  // throws when one does not start
  ~PrivateSpider();                                         // stops the three servers
  PrivateSpider(const PrivateSpider&) = delete;
  PrivateSpider& operator=(const PrivateSpider&) = delete;

  // Root over the head's socket, with LOAD DATA LOCAL allowed as on the test server.
  DatabaseConfig head(const std::string& database = "") const;
  // Root over backend `k`'s socket (1 <= k <= kBackends), to see what Spider stored there.
  DatabaseConfig backend(int k, const std::string& database = "") const;

  // deploy/spider/shard.sh: the migrated `database` on the head gets its readings and
  // observations sharded across backend1 .. backend<backends>.
  void shard(const std::string& database, int backends = kBackends) const;

 private:
  std::filesystem::path directory_;
};

}  // namespace meteo::testing
