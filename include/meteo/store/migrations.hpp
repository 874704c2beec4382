// The schema: the migrations embedded from sql/migrations/, applied in order and checked.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "meteo/store/database.hpp"

namespace meteo {

struct Migration {
  int version = 0;   // from the file name: 0001_initial.sql -> 1
  std::string name;  // the file name
  std::string sql;   // statements separated by ';' at end of line
};

// The files of sql/migrations/, embedded at build time, in version order.
const std::vector<Migration>& bundled_migrations();

// Splits a migration into statements (';' outside quotes and comments ends one).
std::vector<std::string> split_sql_statements(std::string_view script);

struct MigrationReport {
  std::vector<std::string> applied;  // names applied by this call
  int schema_version = 0;
};

// Applies pending migrations in order, each recorded in schema_migrations with its SHA-256.
// Throws Error(config) when an applied migration's checksum no longer matches its file.
MigrationReport apply_migrations(Database& db, const std::vector<Migration>& migrations);

// Throws Error(config, "schema not migrated: run `meteo-etl migrate`") unless every migration is
// applied with a matching checksum. Returns the schema version.
int require_current_schema(Database& db, const std::vector<Migration>& migrations);

// The highest migration number this build carries: the schema it expects.
int latest_schema_version();

}  // namespace meteo
