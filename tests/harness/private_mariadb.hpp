// MariaDB servers of one drill's own, on its own directory (tests/harness/mariadb.sh, spider.sh),
// so that stopping, killing or restarting them disturbs no other test.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

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

// A 3-node Galera cluster of one drill's own (tests/harness/galera.sh), nodes numbered 1 to 3.
class PrivateGaleraCluster {
 public:
  static constexpr std::size_t kNodes = 3;

  // Initialises and starts the nodes in `directory`; throws when the cluster does not form.
  explicit PrivateGaleraCluster(std::filesystem::path directory);
  ~PrivateGaleraCluster();  // stops every node by its pid
  PrivateGaleraCluster(const PrivateGaleraCluster&) = delete;
  PrivateGaleraCluster& operator=(const PrivateGaleraCluster&) = delete;

  // Root over node `node`'s socket; `database` empty for the server itself.
  DatabaseConfig config(int node, const std::string& database = "") const;
  std::string address(int node) const;  // "127.0.0.1:<port>", for [database] hosts

  void kill_node(int node);   // SIGKILL, as a crash
  void start_node(int node);  // rejoins by IST or SST; returns once it is synced

 private:
  std::filesystem::path directory_;
  std::vector<std::string> sockets_;
  std::vector<std::string> ports_;
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
