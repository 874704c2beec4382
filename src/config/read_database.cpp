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
                     {"host", "port", "socket", "user", "password_env", "password_file", "name",
                      "connect_timeout_seconds", "tls", "tls_ca", "transaction_retries",
                      "transaction_retry_backoff_ms", "lock_wait_timeout_seconds",
                      "load_data_local", "lease_seconds"});
  reader.read_string(*t, where, "host", db.host);
  reader.read_integer(*t, where, "port", db.port, 1, 65535);
  reader.read_string(*t, where, "socket", db.socket);
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
