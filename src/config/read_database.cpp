// [database]: where the store lives, how to reach it, and how hard to retry a load.
#include <unistd.h>

#include "sections.hpp"

namespace meteo::config_detail {
namespace {

DatabaseTls tls_mode(const ConfigReader& reader, const std::string& mode) {
  if (mode == "off") return DatabaseTls::off;
  if (mode == "required") return DatabaseTls::required;
  if (mode == "verify-ca") return DatabaseTls::verify_ca;
  if (mode == "verify-identity") return DatabaseTls::verify_identity;
  reader.fail("database.tls",
              "must be off, required, verify-ca or verify-identity (got \"" + mode + "\")");
}

// A CA file with a mode that does not verify would look safe and not be: refused, like its absence
// with a mode that does.
void read_database_tls(const ConfigReader& reader, const toml::table& t, DatabaseConfig& db) {
  std::string mode = "off";
  reader.read_string(t, "database", "tls", mode);
  reader.read_string(t, "database", "tls_ca", db.tls_ca);
  if (!db.tls_ca.empty()) db.tls_ca = reader.resolve(db.tls_ca).string();
  db.tls = tls_mode(reader, mode);
  const bool verifies = db.tls == DatabaseTls::verify_ca || db.tls == DatabaseTls::verify_identity;
  if (verifies && db.tls_ca.empty()) {
    reader.fail("database.tls_ca", "is required with tls = \"" + mode + "\"");
  }
  if (!verifies && !db.tls_ca.empty()) {
    reader.fail("database.tls_ca", "is only used with tls = \"verify-ca\" or \"verify-identity\"");
  }
  if (verifies && ::access(db.tls_ca.c_str(), R_OK) != 0) {
    reader.fail("database.tls_ca", "cannot read " + db.tls_ca);
  }
}

int node_port(const ConfigReader& reader, const std::string& key, const std::string& text) {
  const bool digits = !text.empty() && text.size() <= 5 &&
                      text.find_first_not_of("0123456789") == std::string::npos;
  const int port = digits ? std::stoi(text) : 0;
  if (port < 1 || port > 65535) {
    reader.fail(key, "the port must be a number between 1 and 65535 (got \"" + text + "\")");
  }
  return port;
}

// "host", "host:port" or "[IPv6 address]:port"; the port defaults to 3306. An IPv6 address without
// brackets is refused: in "fe80::1:3306" nobody can tell whether 3306 is the port.
DatabaseHost database_host(const ConfigReader& reader, const std::string& key,
                           const std::string& text) {
  DatabaseHost node;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string::npos) reader.fail(key, "no ']' after the IPv6 address in " + text);
    node.host = text.substr(1, close - 1);
    const std::string rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') {
        reader.fail(key, "expected \":port\" after ']' (got \"" + text + "\")");
      }
      node.port = node_port(reader, key, rest.substr(1));
    }
  } else {
    const auto colon = text.find(':');
    if (colon != std::string::npos && text.find(':', colon + 1) != std::string::npos) {
      reader.fail(
          key, "an IPv6 address goes in brackets, \"[" + text + "]\" or \"[" + text + "]:3306\"");
    }
    node.host = text.substr(0, colon);
    if (colon != std::string::npos) node.port = node_port(reader, key, text.substr(colon + 1));
  }
  if (node.host.empty()) reader.fail(key, "no host name or address in \"" + text + "\"");
  if (node.host.find_first_of(" \t/") != std::string::npos) {
    reader.fail(key, "\"" + node.host + "\" is not a host name or address");
  }
  return node;
}

// [database] hosts: the nodes of a cluster, in the order they are tried. Said together with host,
// port or socket, which would be used is anyone's guess: refused.
void read_database_hosts(const ConfigReader& reader, const toml::table& t, DatabaseConfig& db) {
  if (!t.contains("hosts")) return;
  for (const char* single : {"host", "port", "socket"}) {
    if (t.contains(single)) {
      reader.fail("database.hosts", std::string("cannot be set with ") + single +
                                        ": a cluster's nodes are all in hosts (\"host:port\")");
    }
  }
  const auto entries = reader.read_string_array(t, "database", "hosts");
  if (entries.empty()) reader.fail("database.hosts", "must name at least one node");
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const std::string key = "database.hosts[" + std::to_string(i) + "]";
    DatabaseHost node = database_host(reader, key, entries[i]);
    for (std::size_t earlier = 0; earlier < i; ++earlier) {
      if (db.hosts[earlier].host == node.host && db.hosts[earlier].port == node.port) {
        reader.fail(key, "\"" + entries[i] + "\" is the same node as hosts[" +
                             std::to_string(earlier) + "] (\"" + entries[earlier] + "\")");
      }
    }
    db.hosts.push_back(std::move(node));
  }
}

void read_transaction_retries(const ConfigReader& reader, const toml::table& t,
                              DatabaseConfig& db) {
  const std::string where = "database";
  reader.read_integer(t, where, "transaction_retries", db.transaction_retries, 0, 20);
  long long backoff = db.transaction_retry_backoff.count();
  reader.read_integer(t, where, "transaction_retry_backoff_ms", backoff, 0, 60000);
  db.transaction_retry_backoff = std::chrono::milliseconds(backoff);
  if (t.contains("lock_wait_timeout_seconds")) {
    int lock_wait = 0;
    reader.read_integer(t, where, "lock_wait_timeout_seconds", lock_wait, 1, 3600);
    db.lock_wait_timeout_seconds = lock_wait;
  }
}

}  // namespace

DatabaseConfig read_database(const ConfigReader& reader, const toml::table* t) {
  DatabaseConfig db;
  if (!t) return db;
  const std::string where = "database";
  reader.expect_only(*t, where,
                     {"host", "port", "socket", "hosts", "user", "password_env", "password_file",
                      "name", "connect_timeout_seconds", "tls", "tls_ca", "transaction_retries",
                      "transaction_retry_backoff_ms", "lock_wait_timeout_seconds",
                      "load_data_local", "lease_seconds"});
  reader.read_string(*t, where, "host", db.host);
  reader.read_integer(*t, where, "port", db.port, 1, 65535);
  reader.read_string(*t, where, "socket", db.socket);
  read_database_hosts(reader, *t, db);
  reader.read_string(*t, where, "user", db.user);
  reader.read_string(*t, where, "name", db.name);
  long long timeout = db.connect_timeout.count();
  reader.read_integer(*t, where, "connect_timeout_seconds", timeout, 1, 600);
  db.connect_timeout = std::chrono::seconds(timeout);
  read_transaction_retries(reader, *t, db);
  reader.read_bool(*t, where, "load_data_local", db.load_data_local);
  long long lease = db.lease_ttl.count();
  reader.read_integer(*t, where, "lease_seconds", lease, 3, 3600);
  db.lease_ttl = std::chrono::seconds(lease);
  db.password = reader.read_secret(*t, where, "password");
  if (db.name.empty()) reader.fail("database.name", "must not be empty");
  read_database_tls(reader, *t, db);
  return db;
}

}  // namespace meteo::config_detail
