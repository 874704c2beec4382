// One MySQL/MariaDB session: UTC and utf8mb4, retried transactions, LOAD DATA when allowed.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "meteo/store/settings.hpp"

namespace sql {
class Connection;
}

namespace spdlog {
class logger;
}

namespace meteo {

namespace store {
struct Lease;
class LeaseKeeper;
}  // namespace store

// How a load transaction that hit a deadlock or a lock wait timeout is re-run.
struct TransactionRetry {
  int retries = 3;                         // re-runs after the first attempt
  std::chrono::milliseconds backoff{250};  // before the first re-run, doubled for each next one
  spdlog::logger* log = nullptr;           // warned at each re-run; none: re-runs are silent
};

// One connection, session in UTC and utf8mb4, closed on destruction.
class Database {
 public:
  // Throws Error(temporary) naming host/socket when the server cannot be reached or refuses us.
  // With [database] hosts, the nodes are tried in order and the first that lets us in and is ready
  // for queries (a Galera node in the primary component) is used; the Error then names each node
  // with its reason. `log` receives the warnings of re-run transactions and which node was chosen.
  static Database connect(const DatabaseConfig& config, spdlog::logger* log = nullptr);
  Database(Database&&) noexcept;
  Database& operator=(Database&&) noexcept;
  ~Database();

  sql::Connection& connection();
  void execute(const std::string& statement);  // one statement, no result
  const TransactionRetry& transaction_retry() const { return retry_; }
  // The server this session is on: for a cluster, the node chosen (host and port set to it, hosts
  // empty), so that a second connection reaches the same node.
  const DatabaseConfig& config() const { return config_; }

  // Whether loads may send fresh rows by LOAD DATA LOCAL INFILE: [database] load_data_local, until
  // the client or server refuses it, after which this session uses INSERT (warned once).
  bool bulk_load_allowed() const { return bulk_load_allowed_; }
  void refuse_bulk_load(const std::string& why);

  // The GET_LOCK and the lease that mark the ledger run this session loads as alive (begin_run).
  // A session loads one run at a time: holding a new one releases the previous.
  void hold_run_lock(std::string name, const store::Lease& lease);

  // The leases this session holds, renewed in the background while it lives.
  store::LeaseKeeper& leases();

 private:
  Database(std::unique_ptr<sql::Connection> connection, DatabaseConfig config,
           TransactionRetry retry);
  void release_run_lock();

  std::unique_ptr<sql::Connection> connection_;
  DatabaseConfig config_;
  TransactionRetry retry_;
  bool bulk_load_allowed_ = false;
  std::unique_ptr<store::LeaseKeeper> leases_;  // created with the first lease
  std::string run_lock_;
  std::string run_lease_;
};

// "database 'meteo' at b.example:3306 as user 'meteo'": what messages about a session name.
std::string database_location(const DatabaseConfig& config);

// The MySQL connector this binary runs with, from its driver (no connection needed).
std::string connector_version();

}  // namespace meteo
