// Internal to the sources module: the rows of a CSV text, read by Debian's libcsv (RFC 4180:
// comma-separated unless told otherwise (an Opendatasoft export uses ';'), fields in double quotes
// may hold the separator, line ends and "" for a quote; LF or CRLF line ends).
#pragma once

#include <csv.h>

#include <cstddef>
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace meteo::sources_csv {

struct CsvRow {
  std::size_t line = 0;  // 1-based line of the row's first byte
  std::vector<std::string> fields;
  std::optional<std::string> problem;  // text after a closing quote, say: the row is unreliable
};

// One libcsv parser: csv_init on construction, csv_free on destruction; the handle stays inside.
class CsvParser {
 public:
  using FieldCallback = void (*)(void* data, std::size_t size, void* context);
  using RowCallback = void (*)(int terminator, void* context);

  explicit CsvParser(char delimiter = ',');
  ~CsvParser();
  CsvParser(const CsvParser&) = delete;
  CsvParser& operator=(const CsvParser&) = delete;

  // csv_parse: the number of bytes read, fewer than given on an error (see error()).
  std::size_t parse(std::string_view bytes, FieldCallback on_field, RowCallback on_row,
                    void* context);
  // One byte read without strict checking (a quote inside an unquoted field kept as text).
  void parse_leniently(char byte, FieldCallback on_field, RowCallback on_row, void* context);
  // csv_fini: false when the text ends inside a quoted field.
  bool finish(FieldCallback on_field, RowCallback on_row, void* context);
  int error();

 private:
  csv_parser parser_;
};

class CsvReader {
 public:
  // `text` must outlive the reader; a UTF-8 BOM at its start is skipped.
  explicit CsvReader(std::string_view text, char delimiter = ',');

  // The next non-blank row, or nothing at the end. Throws Error(data) naming `origin` for a
  // quote left open at the end of the text.
  std::optional<CsvRow> next(std::string_view origin);

 private:
  static void on_field(void* data, std::size_t size, void* context) noexcept;
  static void on_row(int terminator, void* context) noexcept;
  void read_line();
  void finish(std::string_view origin);

  CsvParser parser_;
  char delimiter_;
  std::string_view text_;
  std::size_t at_ = 0;
  std::size_t line_ = 1;
  bool finished_ = false;
  bool row_open_ = false;   // the row's first byte has been read, its line end not yet
  bool row_ready_ = false;  // row_ is complete
  CsvRow row_;
  std::string field_tail_;      // text after the closing quote of the field being read
  std::exception_ptr failure_;  // thrown in a callback, rethrown once libcsv has returned
};

}  // namespace meteo::sources_csv
