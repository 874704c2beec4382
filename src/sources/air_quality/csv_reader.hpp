// Internal to the sources module: the rows of a CSV text (RFC 4180: comma-separated, fields in
// double quotes may hold commas, line ends and "" for a quote; LF or CRLF line ends).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace meteo::air_quality {

struct CsvRow {
  std::size_t line = 0;  // 1-based line of the row's first byte
  std::vector<std::string> fields;
  std::optional<std::string> problem;  // text after a closing quote, say: the row is unreliable
};

class CsvReader {
 public:
  // `text` must outlive the reader; a UTF-8 BOM at its start is skipped.
  explicit CsvReader(std::string_view text);

  // The next non-blank row, or nothing at the end. Throws Error(data) naming `origin` for a
  // quote left open at the end of the text.
  std::optional<CsvRow> next(std::string_view origin);

 private:
  bool at_line_end() const;
  void skip_line_end();
  std::string quoted_field(CsvRow& row, std::string_view origin);
  std::string plain_field();

  std::string_view text_;
  std::size_t at_ = 0;
  std::size_t line_ = 1;
};

}  // namespace meteo::air_quality
