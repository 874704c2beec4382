// The bulk path of the loads: rows known to be absent go to the server by LOAD DATA LOCAL INFILE,
// the server's own fast path, instead of multi-row INSERT ... ON DUPLICATE KEY UPDATE.
#pragma once

#include <cppconn/connection.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace meteo::store {

// Rows in LOAD DATA's text format: tab between fields, newline after each row, a backslash before
// the bytes that would end a field or a row, \N for NULL. Any bytes survive, ids included.
class TsvRows {
 public:
  TsvRows& text(std::string_view value);
  TsvRows& optional_text(const std::optional<std::string>& value);
  TsvRows& real(double value);  // the shortest text that reads back as the same double
  TsvRows& integer(long long value);
  void end_row();

  std::size_t rows() const { return rows_; }
  const std::string& bytes() const { return bytes_; }

 private:
  void separate();

  std::string bytes_;
  std::size_t rows_ = 0;
  bool row_started_ = false;
};

// Whether a server error is a refusal of LOCAL INFILE by configuration, on either side (MySQL 8
// servers refuse by default): no row was sent.
bool is_local_infile_refusal(int mysql_error);

enum class BulkLoadOutcome {
  loaded,      // every row went in
  duplicates,  // some rows' keys were already stored: those rows were skipped, the others loaded
  refused,     // the client or server does not allow LOCAL INFILE: nothing was written
};

// LOAD DATA LOCAL INFILE of `rows` into `table` (`columns`, in the rows' order), through a private
// temporary file. Any warning but a duplicate key, or a row count that does not add up, throws
// Error(software): the transaction rolls back rather than store a value the server altered.
// `skipped`, when given, receives how many rows were skipped as duplicates.
BulkLoadOutcome load_data_local(sql::Connection& connection, const std::string& table,
                                const std::string& columns, const TsvRows& rows,
                                std::size_t* skipped = nullptr);

// LOAD DATA into a child table checks each row's parent one at a time, five times slower than the
// load itself here; rows whose parents this transaction has just written skip that check.
// Sets foreign_key_checks back to 1, the session's setting (configure_session leaves it as is),
// on destruction.
class ForeignKeyChecksOff {
 public:
  explicit ForeignKeyChecksOff(sql::Connection& connection);
  ~ForeignKeyChecksOff();
  ForeignKeyChecksOff(const ForeignKeyChecksOff&) = delete;
  ForeignKeyChecksOff& operator=(const ForeignKeyChecksOff&) = delete;

 private:
  sql::Connection& connection_;
};

}  // namespace meteo::store
