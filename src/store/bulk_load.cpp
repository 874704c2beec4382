#include "bulk_load.hpp"

#include <cppconn/exception.h>
#include <cppconn/resultset.h>
#include <cppconn/statement.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <memory>
#include <vector>

#include "meteo/core/errors.hpp"

namespace meteo::store {

namespace {

constexpr int kDuplicateKey = 1062;  // ER_DUP_ENTRY, a warning under LOAD DATA LOCAL

// A file only this process reads and writes, removed however the load ends.
class ScratchFile {
 public:
  ScratchFile() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "meteo-etl-load-XXXXXX").string();
    fd_ = ::mkstemp(pattern.data());  // mode 0600
    if (fd_ < 0) {
      throw Error(ExitCode::io, "cannot create a scratch file for LOAD DATA in " + pattern + ": " +
                                    std::strerror(errno));
    }
    path_ = pattern;
  }
  ~ScratchFile() {
    if (fd_ >= 0) ::close(fd_);
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
  }
  ScratchFile(const ScratchFile&) = delete;
  ScratchFile& operator=(const ScratchFile&) = delete;

  void write_all(const std::string& bytes) {
    for (std::size_t done = 0; done < bytes.size();) {
      const ssize_t written = ::write(fd_, bytes.data() + done, bytes.size() - done);
      if (written < 0 && errno == EINTR) continue;
      if (written < 0) {
        throw Error(ExitCode::io, "cannot write the LOAD DATA scratch file " + path_ + ": " +
                                      std::strerror(errno));
      }
      done += static_cast<std::size_t>(written);
    }
    ::close(fd_);
    fd_ = -1;
  }
  const std::string& path() const { return path_; }

 private:
  int fd_ = -1;
  std::string path_;
};

// The path goes into the statement as a quoted literal: one with a quote or a backslash (a strange
// TMPDIR) is not worth escaping for every sql_mode; such a machine uses the upsert path.
bool quotable(const std::string& path) {
  return path.find_first_of("'\\") == std::string::npos;
}

struct Warning {
  int code = 0;
  std::string message;
};

// The warnings of the previous statement (at most max_error_count of them) and their count.
std::pair<std::size_t, std::vector<Warning>> last_warnings(sql::Connection& connection) {
  std::unique_ptr<sql::Statement> statement(connection.createStatement());
  std::unique_ptr<sql::ResultSet> count(statement->executeQuery("SHOW COUNT(*) WARNINGS"));
  const std::size_t total = count->next() ? count->getUInt64(1) : 0;
  std::vector<Warning> warnings;
  if (total == 0) return {0, warnings};
  std::unique_ptr<sql::ResultSet> rows(statement->executeQuery("SHOW WARNINGS"));
  while (rows->next()) warnings.push_back({rows->getInt(2), rows->getString(3)});
  return {total, warnings};
}

}  // namespace

bool is_local_infile_refusal(int mysql_error) {
  return mysql_error == 1148      // ER_NOT_ALLOWED_COMMAND (server or client)
         || mysql_error == 3948   // MySQL 8: ER_CLIENT_LOCAL_FILES_DISABLED
         || mysql_error == 2068   // CR_LOAD_DATA_LOCAL_INFILE_REJECTED
         || mysql_error == 4166;  // MariaDB: ER_LOAD_INFILE_CAPABILITY_DISABLED
}

void TsvRows::separate() {
  if (row_started_) bytes_ += '\t';
  row_started_ = true;
}

TsvRows& TsvRows::text(std::string_view value) {
  separate();
  for (const char c : value) {
    switch (c) {
      case '\\':
        bytes_ += "\\\\";
        break;
      case '\t':
        bytes_ += "\\t";
        break;
      case '\n':
        bytes_ += "\\n";
        break;
      case '\r':
        bytes_ += "\\r";
        break;
      case '\0':
        bytes_ += "\\0";
        break;
      default:
        bytes_ += c;
    }
  }
  return *this;
}

TsvRows& TsvRows::optional_text(const std::optional<std::string>& value) {
  if (value) return text(*value);
  separate();
  bytes_ += "\\N";
  return *this;
}

TsvRows& TsvRows::real(double value) {
  separate();
  char buffer[32];
  const auto end = std::to_chars(buffer, buffer + sizeof buffer, value).ptr;
  bytes_.append(buffer, end);
  return *this;
}

TsvRows& TsvRows::integer(long long value) {
  separate();
  char buffer[24];
  const auto end = std::to_chars(buffer, buffer + sizeof buffer, value).ptr;
  bytes_.append(buffer, end);
  return *this;
}

void TsvRows::end_row() {
  bytes_ += '\n';
  row_started_ = false;
  ++rows_;
}

BulkLoadOutcome load_data_local(sql::Connection& connection, const std::string& table,
                                const std::string& columns, const TsvRows& rows,
                                std::size_t* skipped) {
  if (skipped != nullptr) *skipped = 0;
  if (rows.rows() == 0) return BulkLoadOutcome::loaded;
  ScratchFile file;
  if (!quotable(file.path())) return BulkLoadOutcome::refused;
  file.write_all(rows.bytes());
  // Separators as hex literals, which read the same under any sql_mode (NO_BACKSLASH_ESCAPES).
  const std::string statement_text =
      "LOAD DATA LOCAL INFILE '" + file.path() + "' INTO TABLE " + table +
      " CHARACTER SET utf8mb4 FIELDS TERMINATED BY X'09' ESCAPED BY X'5C'"
      " LINES TERMINATED BY X'0A' (" +
      columns + ")";
  std::uint64_t affected = 0;
  try {
    std::unique_ptr<sql::Statement> statement(connection.createStatement());
    affected = statement->executeUpdate(statement_text);
  } catch (const sql::SQLException& error) {
    if (is_local_infile_refusal(error.getErrorCode())) return BulkLoadOutcome::refused;
    throw;
  }
  const auto [total, warnings] = last_warnings(connection);
  for (const auto& warning : warnings) {
    if (warning.code != kDuplicateKey) {
      throw Error(ExitCode::software, "LOAD DATA of " + std::to_string(rows.rows()) +
                                          " rows into " + table + ": the server warned " +
                                          std::to_string(warning.code) + " (" + warning.message +
                                          ")");
    }
  }
  // Each skipped row has its duplicate-key warning; the server lists only the first few, so one
  // warning more than the rows skipped would be a row altered, perhaps among the unlisted.
  const std::uint64_t not_loaded = rows.rows() - std::min<std::uint64_t>(affected, rows.rows());
  if (total > 0 && affected <= rows.rows() && total == not_loaded) {
    if (skipped != nullptr) *skipped = not_loaded;
    return BulkLoadOutcome::duplicates;
  }
  if (total > 0 || affected != rows.rows()) {
    throw Error(ExitCode::software, "LOAD DATA of " + std::to_string(rows.rows()) + " rows into " +
                                        table + " wrote " + std::to_string(affected) + " with " +
                                        std::to_string(total) + " warning(s)");
  }
  return BulkLoadOutcome::loaded;
}

ForeignKeyChecksOff::ForeignKeyChecksOff(sql::Connection& connection) : connection_(connection) {
  std::unique_ptr<sql::Statement> statement(connection_.createStatement());
  statement->execute("SET SESSION foreign_key_checks = 0");
}

ForeignKeyChecksOff::~ForeignKeyChecksOff() {
  // A failure here means the connection is gone, and the session with it.
  try {
    std::unique_ptr<sql::Statement> statement(connection_.createStatement());
    statement->execute("SET SESSION foreign_key_checks = 1");
  } catch (...) {
  }
}

}  // namespace meteo::store
