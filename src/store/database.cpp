#include "meteo/store/database.hpp"

#include <cppconn/connection.h>
#include <cppconn/driver.h>
#include <cppconn/exception.h>
#include <cppconn/resultset.h>
#include <cppconn/statement.h>
#include <mysql_driver.h>
#include <spdlog/spdlog.h>

#include <vector>

#include "lease_keeper.hpp"
#include "meteo/core/errors.hpp"
#include "sql_support.hpp"

namespace meteo {

namespace {

// "host:port", an IPv6 address in brackets as in [database] hosts.
std::string node_address(const std::string& host, int port) {
  const bool ipv6 = host.find(':') != std::string::npos;
  return (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

// "database 'meteo'", followed by `place` (" at ...", or nothing), then " as user 'meteo'".
std::string where(const DatabaseConfig& config, const std::string& place) {
  const std::string what = config.name.empty() ? "server" : "database '" + config.name + "'";
  return what + place + " as user '" + config.user + "'";
}

std::string where(const DatabaseConfig& config) {
  return where(config, " at " + (config.socket.empty() ? node_address(config.host, config.port)
                                                       : "socket " + config.socket));
}

// Debian's connector speaks through libmariadb, so its own names, not OPT_SSL_MODE (which that
// library ignores, leaving the connection in clear): sslEnforce refuses a server without TLS, a CA
// makes the chain verified, sslVerify adds the host name check.
void add_tls_options(const DatabaseConfig& config, sql::ConnectOptionsMap& options) {
  if (config.tls == DatabaseTls::off) return;
  options["sslEnforce"] = true;
  if (config.tls == DatabaseTls::required) return;
  options["sslCA"] = config.tls_ca;
  options["sslVerify"] = config.tls == DatabaseTls::verify_identity;
}

// libmariadb's CR_SSL_CONNECTION_ERROR: the handshake failed or the certificate did not verify.
constexpr int kTlsConnectionError = 2026;

// A refused login or a missing database will not pass by itself (77, 78): cron must not wait for
// it. Anything else at connect time (the server down, too many connections) may: 75.
ExitCode connect_failure_code(int mysql_error) {
  const ExitCode code = store::exit_code_for(mysql_error);
  return code == ExitCode::software ? ExitCode::temporary : code;
}

std::string connect_failure_hint(ExitCode code) {
  switch (code) {
    case ExitCode::no_permission:
      return " (check [database] user and the password)";
    case ExitCode::config:
      return " (check [database] name and the account's grants)";
    default:
      return "";
  }
}

// Why one server did not give us a session, and what that deserves.
struct Refusal {
  ExitCode code;
  bool tls;            // the TLS handshake or the certificate failed
  std::string reason;  // the driver's words, the error number, a hint
};

Refusal refusal_of(const DatabaseConfig& config, const sql::SQLException& error) {
  // A certificate that does not verify will not next hour either: someone must act (78).
  if (config.tls != DatabaseTls::off && error.getErrorCode() == kTlsConnectionError) {
    return {ExitCode::config, true,
            std::string(error.what()) +
                " (check [database] tls and tls_ca against the server's certificate)"};
  }
  const ExitCode code = connect_failure_code(error.getErrorCode());
  return {code, false,
          std::string(error.what()) + " (MySQL error " + std::to_string(error.getErrorCode()) +
              ")" + connect_failure_hint(code)};
}

sql::ConnectOptionsMap connect_options(const DatabaseConfig& config) {
  sql::ConnectOptionsMap options;
  if (config.socket.empty()) {
    options["hostName"] = config.host;
    options["port"] = config.port;
  } else {
    options["hostName"] = std::string("localhost");
    options["socket"] = config.socket;
  }
  options["userName"] = config.user;
  options["password"] = config.password.reveal();
  if (!config.name.empty()) options["schema"] = config.name;
  options["OPT_CONNECT_TIMEOUT"] = static_cast<int>(config.connect_timeout.count());
  options["OPT_CHARSET_NAME"] = std::string("utf8mb4");
  // One statement per call: a stray ';' in a value can never start a second statement.
  options["CLIENT_MULTI_STATEMENTS"] = false;
  options["OPT_RECONNECT"] = false;  // a silent reconnect would lose the session settings
  // Explicit both ways: libmariadb lets the server read local files unless told not to.
  options["OPT_LOCAL_INFILE"] = config.load_data_local ? 1 : 0;
  add_tls_options(config, options);
  return options;
}

// Every DATETIME is UTC and every string utf8mb4; strict mode makes an oversized or invalid value
// fail loudly instead of being truncated, whatever the server's own sql_mode.
void configure_session(sql::Connection& connection, const DatabaseConfig& config) {
  std::unique_ptr<sql::Statement> statement(connection.createStatement());
  statement->execute("SET time_zone = '+00:00'");
  statement->execute("SET NAMES utf8mb4");
  statement->execute(
      "SET SESSION sql_mode = CONCAT_WS(',', NULLIF(@@SESSION.sql_mode, ''), 'STRICT_ALL_TABLES')");
  if (config.lock_wait_timeout_seconds) {
    // A load blocked behind another session's lock gives up (and is re-run) sooner.
    statement->execute("SET SESSION innodb_lock_wait_timeout = " +
                       std::to_string(*config.lock_wait_timeout_seconds));
  }
}

// A session on one server, set up; throws the driver's error.
std::unique_ptr<sql::Connection> open_session(const DatabaseConfig& config) {
  auto options = connect_options(config);
  std::unique_ptr<sql::Connection> connection(
      sql::mysql::get_mysql_driver_instance()->connect(options));
  configure_session(*connection, config);
  return connection;
}

// One global variable or status value, "" when the server has none (MySQL, or no wsrep).
std::string global_value(sql::Connection& connection, const std::string& show) {
  std::unique_ptr<sql::Statement> statement(connection.createStatement());
  std::unique_ptr<sql::ResultSet> row(statement->executeQuery(show));
  return row->next() ? row->getString(2).asStdString() : "";
}

// Why a Galera node that let us in cannot be used, "" when it can: outside the cluster's primary
// component a node accepts logins but refuses queries (1047). MariaDB shows wsrep_ready = OFF on
// a server that is no Galera node too (wsrep_on = OFF): usable, as is MySQL, which has neither.
std::string galera_unreadiness(sql::Connection& connection) {
  if (!store::is_cluster_node(connection)) return "";
  const std::string ready = global_value(connection, "SHOW GLOBAL STATUS LIKE 'wsrep_ready'");
  if (ready == "ON") return "";
  const std::string status =
      global_value(connection, "SHOW GLOBAL STATUS LIKE 'wsrep_cluster_status'");
  return "the Galera node is not ready for queries (wsrep_ready = " + ready +
         ", wsrep_cluster_status = " + status +
         ": outside the cluster's primary component, or still joining)";
}

// The session and the server it is on (for a cluster: the node chosen, with hosts cleared).
struct Session {
  std::unique_ptr<sql::Connection> connection;
  DatabaseConfig server;
};

// One server, as [database] host/port or socket say; today's messages and exit codes.
Session single_server_session(const DatabaseConfig& config) {
  try {
    return {open_session(config), config};
  } catch (const sql::SQLException& error) {
    const Refusal refusal = refusal_of(config, error);
    throw Error(refusal.code, (refusal.tls ? "TLS to the " + where(config) + " failed: "
                                           : "cannot connect to the " + where(config) + ": ") +
                                  refusal.reason);
  }
}

DatabaseConfig node_config(const DatabaseConfig& cluster, const DatabaseHost& node) {
  DatabaseConfig config = cluster;
  config.host = node.host;
  config.port = node.port;
  config.socket.clear();
  config.hosts.clear();
  return config;
}

// 75 when a node may come back by itself (down, not ready, too many connections); when every node
// refused the account or the database, that refusal's code (the first node's): waiting won't help.
ExitCode cluster_failure_code(const std::vector<Refusal>& refusals) {
  for (const auto& refusal : refusals) {
    if (refusal.code == ExitCode::temporary) return ExitCode::temporary;
  }
  return refusals.front().code;
}

// The first node of [database] hosts that lets us in and is ready for queries.
Session cluster_session(const DatabaseConfig& cluster, spdlog::logger* log) {
  std::vector<Refusal> refusals;
  std::string skipped;  // "a:3306: why; b:3306: why"
  for (const auto& node : cluster.hosts) {
    DatabaseConfig config = node_config(cluster, node);
    const std::string address = node_address(node.host, node.port);
    try {
      auto connection = open_session(config);
      const std::string unready = galera_unreadiness(*connection);
      if (unready.empty()) {
        if (log != nullptr && skipped.empty()) {
          log->debug("database: connected to node {}, the first of [database] hosts", address);
        } else if (log != nullptr) {
          log->info("database: connected to node {} of [database] hosts; skipped {}", address,
                    skipped);
        }
        return {std::move(connection), std::move(config)};
      }
      refusals.push_back({ExitCode::temporary, false, unready});
    } catch (const sql::SQLException& error) {
      refusals.push_back(refusal_of(config, error));
    }
    skipped += (skipped.empty() ? "" : "; ") + address + ": " +
               (refusals.back().tls ? "TLS failed: " : "") + refusals.back().reason;
  }
  throw Error(cluster_failure_code(refusals),
              "cannot connect to any node of the " + database_location(cluster) + ": " + skipped);
}

// On a Galera node a read may not see what another node committed a moment ago (a lease just
// released, a run just loaded) until this node applies it: wait for that before each read.
// Writes need no wait: the cluster certifies them against whatever this node had not seen. Set
// once the node is chosen: on a node outside the primary component the wait itself fails (1205).
void wait_for_causal_reads(sql::Connection& connection) {
  if (!store::is_cluster_node(connection)) return;
  std::unique_ptr<sql::Statement> statement(connection.createStatement());
  statement->execute("SET SESSION wsrep_sync_wait = 1");
}

}  // namespace

std::string database_location(const DatabaseConfig& config) {
  return config.hosts.empty()
             ? where(config)
             : where(config,
                     " ([database] hosts, " + std::to_string(config.hosts.size()) + " node(s))");
}

Database Database::connect(const DatabaseConfig& config, spdlog::logger* log) {
  Session session =
      config.hosts.empty() ? single_server_session(config) : cluster_session(config, log);
  store::guarded("setting up the session on the " + where(session.server),
                 [&] { wait_for_causal_reads(*session.connection); });
  const TransactionRetry retry{session.server.transaction_retries,
                               session.server.transaction_retry_backoff, log};
  return Database(std::move(session.connection), std::move(session.server), retry);
}

Database::Database(std::unique_ptr<sql::Connection> connection, DatabaseConfig config,
                   TransactionRetry retry)
    : connection_(std::move(connection)),
      config_(std::move(config)),
      retry_(retry),
      bulk_load_allowed_(config_.load_data_local) {}
Database::Database(Database&&) noexcept = default;

// The session replaced lets go of its run's lock and lease first, as its destructor would.
Database& Database::operator=(Database&& other) noexcept {
  if (this == &other) return *this;
  { Database replaced(std::move(*this)); }
  connection_ = std::move(other.connection_);
  config_ = std::move(other.config_);
  retry_ = other.retry_;
  bulk_load_allowed_ = other.bulk_load_allowed_;
  leases_ = std::move(other.leases_);
  run_lock_ = std::move(other.run_lock_);
  run_lease_ = std::move(other.run_lease_);
  return *this;
}

Database::~Database() {
  if (!connection_) return;
  try {
    release_run_lock();
  } catch (...) {  // the GET_LOCK goes with the session; the lease row is only a leftover
  }
}

sql::Connection& Database::connection() {
  if (!connection_) throw Error(ExitCode::software, "use of a moved-from Database");
  return *connection_;
}

void Database::hold_run_lock(std::string name, const store::Lease& lease) {
  if (run_lock_ != name)
    store::guarded("releasing the lock of the previous run", [&] { release_run_lock(); });
  run_lock_ = std::move(name);
  run_lease_ = lease.name;
  leases().hold(lease);
}

void Database::release_run_lock() {
  if (!run_lease_.empty()) leases().release(connection(), std::exchange(run_lease_, {}));
  if (!run_lock_.empty()) store::release_lock(connection(), std::exchange(run_lock_, {}));
}

store::LeaseKeeper& Database::leases() {
  if (!leases_) leases_ = std::make_unique<store::LeaseKeeper>(config_, retry_.log);
  return *leases_;
}

void Database::refuse_bulk_load(const std::string& why) {
  if (!bulk_load_allowed_) return;
  bulk_load_allowed_ = false;
  if (retry_.log != nullptr) {
    retry_.log->warn(
        "{}: loading with INSERT instead (set [database] load_data_local = false to"
        " do so without this warning)",
        why);
  }
}

void Database::execute(const std::string& statement) {
  store::guarded("SQL statement `" + statement.substr(0, 120) + "`", [&] {
    std::unique_ptr<sql::Statement> executor(connection().createStatement());
    if (executor->execute(statement)) {
      // Rows nobody asked for: read and drop them, or the next command is "out of sync".
      std::unique_ptr<sql::ResultSet> discarded(executor->getResultSet());
    }
  });
}

}  // namespace meteo
