// Private helpers of the store: statements, parameter binding, error translation, transactions.
#pragma once

#include <cppconn/connection.h>
#include <cppconn/exception.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "meteo/core/errors.hpp"
#include "meteo/core/time.hpp"

namespace meteo::store {

using StatementPtr = std::unique_ptr<sql::PreparedStatement>;
using ResultPtr = std::unique_ptr<sql::ResultSet>;

StatementPtr prepare(sql::Connection& connection, const std::string& statement);
ResultPtr run_query(sql::PreparedStatement& statement);

// The exit code a driver error deserves: temporary when retrying later may succeed.
ExitCode exit_code_for(int mysql_error);

// A driver error turned into an Error; keeps the server's error number for the callers that decide
// whether to re-run a transaction.
class DatabaseError : public Error {
 public:
  DatabaseError(const std::string& message, int mysql_error)
      : Error(exit_code_for(mysql_error), message), mysql_error_(mysql_error) {}
  int mysql_error() const noexcept { return mysql_error_; }

 private:
  int mysql_error_;
};

// Rethrows a driver error as a DatabaseError naming what we were doing.
[[noreturn]] void throw_error(const sql::SQLException& error, std::string_view purpose);

// Runs `work`, turning driver errors into Errors that name `purpose`.
template <class Work>
auto guarded(std::string_view purpose, Work&& work) -> decltype(work()) {
  try {
    return work();
  } catch (const sql::SQLException& error) {
    throw_error(error, purpose);
  }
}

// Binds parameters left to right, so multi-row statements need no index arithmetic.
class Binder {
 public:
  explicit Binder(sql::PreparedStatement& statement) : statement_(statement) {}
  Binder& text(const std::string& value);
  Binder& optional_text(const std::optional<std::string>& value);
  Binder& real(double value);
  Binder& int64(std::int64_t value);
  Binder& count(std::size_t value);
  Binder& datetime(UtcSeconds value);
  Binder& null_value();

 private:
  sql::PreparedStatement& statement_;
  unsigned next_ = 1;
};

std::string text(const sql::ResultSet& row, unsigned column);
std::optional<std::string> optional_text(const sql::ResultSet& row, unsigned column);
std::optional<double> optional_real(const sql::ResultSet& row, unsigned column);

// "?,?,?" with n placeholders.
std::string placeholders(std::size_t n);

// Hours [from, to) read or rebuilt in one statement.
struct HourRange {
  UtcSeconds from;
  UtcSeconds to;
};

// The hours as ranges of consecutive hours; a gap of at most `bridged` hours between two ranges
// joins them (its hours are rebuilt too, to the same values), so sparse hours, a SYNOP station's
// every third, cost one statement rather than one each.
std::vector<HourRange> hour_ranges(const std::set<UtcSeconds>& hours,
                                   std::chrono::hours bridged = std::chrono::hours(0));

// Runs `head VALUES row,row,... tail` over `rows` rows, in chunks of at most `max_rows` rows and
// about kChunkBytes of parameters (rows whose size is given by `row_bytes`), so no statement
// outgrows max_allowed_packet. `bind` binds the parameters of one row.
struct MultiRowInsert {
  std::string head;  // "INSERT INTO t (a, b)"
  std::string row;   // "(?, ?)"
  std::string tail;  // "ON DUPLICATE KEY UPDATE ..."
  std::size_t max_rows = 500;
};
inline constexpr std::size_t kChunkBytes = std::size_t{4} << 20;
void insert_rows(sql::Connection& connection, const MultiRowInsert& insert, std::size_t rows,
                 const std::function<void(Binder&, std::size_t)>& bind,
                 const std::function<std::size_t(std::size_t)>& row_bytes = {});

// One transaction: rolls back on destruction unless committed, then restores autocommit.
class Transaction {
 public:
  enum class Isolation { server_default, read_committed };
  explicit Transaction(sql::Connection& connection,
                       Isolation isolation = Isolation::server_default);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  sql::Connection& connection_;
  bool open_ = true;
};

// Server-wide GET_LOCK names are at most 64 characters: "meteo-etl:<database>:<suffix>", or a
// hash of it when longer. The database is part of the name because tests share a server.
std::string lock_name(sql::Connection& connection, const std::string& suffix);
// GET_LOCK(name, timeout): true when acquired, false when another session holds it.
bool get_lock(sql::Connection& connection, const std::string& name, int timeout_seconds);
// How long a lock may outlive a killed process: its sessions end one by one, and a session ends
// only once the server has finished (or rolled back) what it was doing for it.
inline constexpr std::chrono::seconds kDyingSessionGrace(2);
void release_lock(sql::Connection& connection, const std::string& name);

// Whether the server is a node of a Galera cluster (wsrep_on; MySQL 8 has no such variable).
bool is_cluster_node(sql::Connection& connection);

// Whether a table (or view) exists in the connection's database.
bool table_exists(sql::Connection& connection, const std::string& table);
// Whether a table of the connection's database has this column: for reads that an older schema
// (the dashboard of a database not yet migrated) must still answer.
bool column_exists(sql::Connection& connection, const std::string& table,
                   const std::string& column);

}  // namespace meteo::store
