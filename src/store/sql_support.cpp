#include "sql_support.hpp"

#include <cppconn/datatype.h>
#include <cppconn/statement.h>

#include <map>

namespace meteo::store {

StatementPtr prepare(sql::Connection& connection, const std::string& statement) {
  return StatementPtr(connection.prepareStatement(statement));
}

ResultPtr run_query(sql::PreparedStatement& statement) {
  return ResultPtr(statement.executeQuery());
}

ExitCode exit_code_for(int mysql_error) {
  switch (mysql_error) {
    case 2002:  // can't connect through the socket
    case 2003:  // can't connect to the host
    case 2006:  // server has gone away
    case 2013:  // lost connection during query
    case 2055:  // lost connection, system error
    case 1053:  // server shutdown in progress
    case 1927:  // MariaDB: the connection was killed
    case 4031:  // MySQL 8: disconnected by the server for inactivity
    case 1047:  // Galera: the node left the cluster's primary component ("WSREP has not yet
                // prepared node for application use"); another node may take the next run
    case 1205:  // lock wait timeout
    case 1213:  // deadlock: the transaction was rolled back
      return ExitCode::temporary;
    case 1045:                         // access denied for the user: a wrong password or user name
    case 1698:                         // access denied, e.g. by unix_socket authentication
      return ExitCode::no_permission;  // like a refused API key: someone must fix the secret
    case 1044:                         // access denied to the database
    case 1049:                         // unknown database
    case 1142:                         // command denied on a table
    case 1143:                         // command denied on a column
    case 1227:                         // missing privilege
      return ExitCode::config;         // the grants or the config need fixing, not the code
    default:
      return ExitCode::software;
  }
}

void throw_error(const sql::SQLException& error, std::string_view purpose) {
  std::string message(purpose);
  message += ": ";
  message += error.what();
  message += " (MySQL error " + std::to_string(error.getErrorCode()) + ", SQLSTATE " +
             error.getSQLState() + ")";
  throw DatabaseError(message, error.getErrorCode());
}

Binder& Binder::text(const std::string& value) {
  statement_.setString(next_++, value);
  return *this;
}

Binder& Binder::optional_text(const std::optional<std::string>& value) {
  if (value) return text(*value);
  statement_.setNull(next_++, sql::DataType::VARCHAR);
  return *this;
}

Binder& Binder::real(double value) {
  statement_.setDouble(next_++, value);
  return *this;
}

Binder& Binder::int64(std::int64_t value) {
  statement_.setInt64(next_++, value);
  return *this;
}

Binder& Binder::count(std::size_t value) {
  statement_.setUInt64(next_++, value);
  return *this;
}

Binder& Binder::null_value() {
  statement_.setNull(next_++, sql::DataType::BIGINT);
  return *this;
}

Binder& Binder::datetime(UtcSeconds value) {
  statement_.setDateTime(next_++, to_sql_datetime(value));
  return *this;
}

std::string text(const sql::ResultSet& row, unsigned column) {
  return row.getString(column).asStdString();
}

std::optional<std::string> optional_text(const sql::ResultSet& row, unsigned column) {
  if (row.isNull(column)) return std::nullopt;
  return text(row, column);
}

std::optional<double> optional_real(const sql::ResultSet& row, unsigned column) {
  if (row.isNull(column)) return std::nullopt;
  return static_cast<double>(row.getDouble(column));
}

std::string placeholders(std::size_t n) {
  std::string list;
  for (std::size_t i = 0; i < n; ++i) list += i == 0 ? "?" : ",?";
  return list;
}

std::vector<HourRange> hour_ranges(const std::set<UtcSeconds>& hours, std::chrono::hours bridged) {
  std::vector<HourRange> ranges;
  for (const auto hour : hours) {
    if (!ranges.empty() && hour <= ranges.back().to + bridged) {
      ranges.back().to = hour + std::chrono::hours(1);
    } else {
      ranges.push_back({hour, hour + std::chrono::hours(1)});
    }
  }
  return ranges;
}

namespace {

std::string multi_row_statement(const MultiRowInsert& insert, std::size_t rows) {
  std::string statement = insert.head + " VALUES ";
  for (std::size_t i = 0; i < rows; ++i) {
    if (i > 0) statement += ',';
    statement += insert.row;
  }
  if (!insert.tail.empty()) statement += ' ' + insert.tail;
  return statement;
}

// The end of the chunk that starts at `first`.
std::size_t chunk_end(const MultiRowInsert& insert, std::size_t first, std::size_t rows,
                      const std::function<std::size_t(std::size_t)>& row_bytes) {
  std::size_t end = first + 1;
  std::size_t bytes = row_bytes ? row_bytes(first) : 0;
  while (end < rows && end - first < insert.max_rows) {
    if (row_bytes) {
      bytes += row_bytes(end);
      if (bytes > kChunkBytes) break;
    }
    ++end;
  }
  return end;
}

}  // namespace

void insert_rows(sql::Connection& connection, const MultiRowInsert& insert, std::size_t rows,
                 const std::function<void(Binder&, std::size_t)>& bind,
                 const std::function<std::size_t(std::size_t)>& row_bytes) {
  std::map<std::size_t, StatementPtr> by_size;  // most chunks share one size: prepare it once
  for (std::size_t first = 0; first < rows;) {
    const std::size_t end = chunk_end(insert, first, rows, row_bytes);
    StatementPtr& statement = by_size[end - first];
    if (!statement) statement = prepare(connection, multi_row_statement(insert, end - first));
    Binder binder(*statement);
    for (std::size_t i = first; i < end; ++i) bind(binder, i);
    statement->executeUpdate();
    first = end;
  }
}

Transaction::Transaction(sql::Connection& connection, Isolation isolation)
    : connection_(connection) {
  connection_.setAutoCommit(false);
  try {
    if (isolation == Isolation::read_committed) {
      // Applies to the next transaction only, which starts with our first statement.
      std::unique_ptr<sql::Statement> statement(connection_.createStatement());
      statement->execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED");
    }
  } catch (...) {
    connection_.setAutoCommit(true);
    throw;
  }
}

Transaction::~Transaction() {
  if (!open_) return;
  // Errors are swallowed: we are already failing, and a lost connection rolls back by itself.
  try {
    connection_.rollback();
  } catch (...) {
  }
  try {
    connection_.setAutoCommit(true);
  } catch (...) {
  }
}

void Transaction::commit() {
  // Not connection_.commit(): Connector/C++ 1.1 ignores what the server answers to it, so a COMMIT
  // refused (a Galera certification conflict, 1213) or a connection lost just before it would
  // pass for committed. The statement's errors are thrown like any other's.
  std::unique_ptr<sql::Statement> statement(connection_.createStatement());
  statement->execute("COMMIT");
  open_ = false;
  connection_.setAutoCommit(true);
}

std::string lock_name(sql::Connection& connection, const std::string& suffix) {
  auto statement = prepare(connection,
                           "SELECT n, CHAR_LENGTH(n), CONCAT('meteo-etl:', LEFT(SHA2(n, 256), 54))"
                           " FROM (SELECT CONCAT('meteo-etl:', IFNULL(DATABASE(), ''), ':', ?)"
                           " AS n) AS names");
  Binder(*statement).text(suffix);
  auto row = run_query(*statement);
  row->next();
  return row->getInt(2) <= 64 ? text(*row, 1) : text(*row, 3);
}

bool get_lock(sql::Connection& connection, const std::string& name, int timeout_seconds) {
  auto statement = prepare(connection, "SELECT GET_LOCK(?, ?)");
  Binder(*statement).text(name).int64(timeout_seconds);
  auto row = run_query(*statement);
  // 1: acquired, 0: timed out, NULL: an error (e.g. killed), treated as not acquired.
  return row->next() && !row->isNull(1) && row->getInt(1) == 1;
}

void release_lock(sql::Connection& connection, const std::string& name) {
  auto statement = prepare(connection, "SELECT RELEASE_LOCK(?)");
  Binder(*statement).text(name);
  run_query(*statement);
}

bool is_cluster_node(sql::Connection& connection) {
  auto statement = prepare(connection, "SHOW GLOBAL VARIABLES LIKE 'wsrep_on'");
  auto row = run_query(*statement);
  return row->next() && text(*row, 2) == "ON";
}

bool table_exists(sql::Connection& connection, const std::string& table) {
  auto statement = prepare(connection,
                           "SELECT COUNT(*) FROM information_schema.tables"
                           " WHERE table_schema = DATABASE() AND table_name = ?");
  Binder(*statement).text(table);
  auto row = run_query(*statement);
  return row->next() && row->getInt(1) > 0;
}

bool column_exists(sql::Connection& connection, const std::string& table,
                   const std::string& column) {
  auto statement = prepare(connection,
                           "SELECT COUNT(*) FROM information_schema.COLUMNS"
                           " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?"
                           " AND COLUMN_NAME = ?");
  Binder(*statement).text(table).text(column);
  auto row = run_query(*statement);
  return row->next() && row->getInt64(1) > 0;
}

}  // namespace meteo::store
