// The store's settings ([database]): plain structs.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "meteo/core/secret.hpp"

namespace meteo {

// TLS to the database, named after MySQL's --ssl-mode. required encrypts without checking who
// answers; verify-ca also checks the certificate chain against tls_ca; verify-identity also checks
// that the certificate names the host connected to.
enum class DatabaseTls { off, required, verify_ca, verify_identity };

// One node of a cluster ([database] hosts).
struct DatabaseHost {
  std::string host;
  int port = 3306;
};

struct DatabaseConfig {
  std::string host = "127.0.0.1";
  int port = 3306;
  std::string socket;  // when set, used instead of host/port
  // The nodes of a cluster (Galera), tried in this order: the first that lets us in and is ready
  // for queries is used. When set, host, port and socket are not.
  std::vector<DatabaseHost> hosts;
  std::string user = "meteo";
  Secret password;
  std::string name = "meteo";
  std::chrono::seconds connect_timeout{10};
  DatabaseTls tls = DatabaseTls::off;
  std::string tls_ca;  // PEM CA certificate(s); required by verify-ca and verify-identity
  // A load transaction that hits a deadlock or a lock wait timeout is rolled back and re-run this
  // many times (after transaction_retry_backoff, doubled each time) before the run fails with 75.
  int transaction_retries = 3;
  std::chrono::milliseconds transaction_retry_backoff{250};
  std::optional<int> lock_wait_timeout_seconds;  // the session's innodb_lock_wait_timeout
  // Fresh readings go to the server by LOAD DATA LOCAL INFILE, several times faster than INSERT.
  // Off by default: a client that allows it lets the server ask for any file the tool can read,
  // so it is disabled on the connection unless this is set.
  bool load_data_local = false;
  // How long a lock (a source's, a run's) outlives a holder that stopped renewing it, as seen
  // from another node of a cluster. On one server a dead holder lets go at once.
  std::chrono::seconds lease_ttl{30};
};

}  // namespace meteo
