// Schema migrations: numbered scripts applied once each, recorded with their SHA-256.
#include "meteo/store/migrations.hpp"

#include <algorithm>
#include <map>

#include "meteo/core/errors.hpp"
#include "sql_support.hpp"

namespace meteo {

namespace {

using store::Binder;

constexpr const char* kCreateLedger =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INT NOT NULL,"
    " name VARCHAR(255) NOT NULL,"
    " checksum CHAR(64) NOT NULL,"
    " applied_at DATETIME NOT NULL,"
    " PRIMARY KEY (version)"
    ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";

constexpr const char* kNotMigrated = "schema not migrated: run `meteo-etl migrate`";

struct AppliedMigration {
  std::string name;
  std::string checksum;
};

std::map<int, AppliedMigration> applied_migrations(sql::Connection& connection) {
  auto statement =
      store::prepare(connection, "SELECT version, name, checksum FROM schema_migrations");
  auto row = store::run_query(*statement);
  std::map<int, AppliedMigration> applied;
  while (row->next()) {
    applied[row->getInt(1)] = {store::text(*row, 2), store::text(*row, 3)};
  }
  return applied;
}

// The server computes the hash, so the tool needs no crypto library.
std::string checksum_of(sql::Connection& connection, const std::string& text) {
  auto statement = store::prepare(connection, "SELECT LOWER(SHA2(?, 256))");
  Binder(*statement).text(text);
  auto row = store::run_query(*statement);
  row->next();
  return store::text(*row, 1);
}

void check_order(const std::vector<Migration>& migrations) {
  for (std::size_t i = 1; i < migrations.size(); ++i) {
    if (migrations[i].version <= migrations[i - 1].version) {
      throw Error(ExitCode::software, "migrations out of order: " + migrations[i - 1].name +
                                          " before " + migrations[i].name);
    }
  }
}

// Throws unless the recorded migration is this exact file.
void verify_applied(const Migration& migration, const AppliedMigration& applied,
                    const std::string& checksum) {
  if (applied.checksum != checksum) {
    throw Error(ExitCode::config, "migration " + migration.name +
                                      " was changed after it was applied (checksum " +
                                      applied.checksum + " when applied, " + checksum + " now)");
  }
  if (applied.name != migration.name) {
    throw Error(ExitCode::config, "migration " + std::to_string(migration.version) +
                                      " was applied as " + applied.name + " but is now named " +
                                      migration.name);
  }
}

std::string first_line(const std::string& statement) {
  return statement.substr(0, std::min(statement.find('\n'), std::size_t{100}));
}

// DDL commits implicitly in MySQL, so each migration is recorded right after its statements:
// a failure leaves the earlier migrations recorded and this one to be repaired by hand.
void run_migration(Database& db, const Migration& migration, const std::string& checksum) {
  const auto statements = split_sql_statements(migration.sql);
  for (std::size_t i = 0; i < statements.size(); ++i) {
    try {
      db.execute(statements[i]);
    } catch (const Error& error) {
      throw Error(error.code(), "migration " + migration.name + ", statement " +
                                    std::to_string(i + 1) + " (" + first_line(statements[i]) +
                                    ") failed; the statements before it are " +
                                    "applied and cannot be rolled back: " + error.what());
    }
  }
  store::guarded("recording migration " + migration.name, [&] {
    auto statement = store::prepare(db.connection(),
                                    "INSERT INTO schema_migrations (version, name, checksum,"
                                    " applied_at) VALUES (?, ?, ?, UTC_TIMESTAMP())");
    Binder(*statement).int64(migration.version).text(migration.name).text(checksum);
    statement->executeUpdate();
  });
}

// Two `migrate` commands at once would both try to create the same tables.
class MigrationLock {
 public:
  explicit MigrationLock(sql::Connection& connection)
      : connection_(connection), name_(store::lock_name(connection, "migrate")) {
    if (!store::get_lock(connection_, name_, 60)) {
      throw Error(ExitCode::temporary, "another `meteo-etl migrate` is running on this database");
    }
  }
  ~MigrationLock() {
    try {
      store::release_lock(connection_, name_);
    } catch (...) {  // the lock dies with the session anyway
    }
  }
  MigrationLock(const MigrationLock&) = delete;
  MigrationLock& operator=(const MigrationLock&) = delete;

 private:
  sql::Connection& connection_;
  std::string name_;
};

int highest_version(const std::map<int, AppliedMigration>& applied) {
  return applied.empty() ? 0 : applied.rbegin()->first;
}

}  // namespace

MigrationReport apply_migrations(Database& db, const std::vector<Migration>& migrations) {
  check_order(migrations);
  auto& connection = db.connection();
  return store::guarded("applying migrations", [&] {
    MigrationLock lock(connection);
    db.execute(kCreateLedger);
    auto applied = applied_migrations(connection);
    MigrationReport report;
    for (const auto& migration : migrations) {
      const auto checksum = checksum_of(connection, migration.sql);
      if (auto found = applied.find(migration.version); found != applied.end()) {
        verify_applied(migration, found->second, checksum);
        continue;
      }
      run_migration(db, migration, checksum);
      applied[migration.version] = {migration.name, checksum};
      report.applied.push_back(migration.name);
    }
    report.schema_version = highest_version(applied);
    return report;
  });
}

int require_current_schema(Database& db, const std::vector<Migration>& migrations) {
  auto& connection = db.connection();
  return store::guarded("checking the schema version", [&] {
    if (!store::table_exists(connection, "schema_migrations")) {
      throw Error(ExitCode::config, std::string(kNotMigrated) + " (no schema_migrations table)");
    }
    const auto applied = applied_migrations(connection);
    for (const auto& migration : migrations) {
      const auto found = applied.find(migration.version);
      if (found == applied.end()) {
        throw Error(ExitCode::config,
                    std::string(kNotMigrated) + " (" + migration.name + " is not applied)");
      }
      if (found->second.checksum != checksum_of(connection, migration.sql)) {
        throw Error(ExitCode::config, std::string(kNotMigrated) + " (" + migration.name +
                                          " was changed after it was applied)");
      }
    }
    return highest_version(applied);
  });
}

}  // namespace meteo
