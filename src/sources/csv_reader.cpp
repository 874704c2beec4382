#include "csv_reader.hpp"

#include <new>
#include <stdexcept>
#include <utility>

#include "meteo/core/errors.hpp"

namespace meteo::sources_csv {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

// Strict: a quote inside an unquoted field or text after a closing quote stops csv_parse (both
// are handled by the reader); at csv_fini, a quoted field never closed is an error.
constexpr unsigned char kOptions = CSV_STRICT | CSV_STRICT_FINI;

// Only '\n' ends a row, so each row ends on the line end the reader counts; a '\r' before it
// (CRLF) is trimmed as a "space" off an unquoted field or after a closing quote. Spaces and tabs
// are kept: the fields are handed on as the file holds them.
int is_space(unsigned char c) {
  return c == '\r';
}
int is_term(unsigned char c) {
  return c == '\n';
}

}  // namespace

CsvParser::CsvParser(char delimiter) {
  if (csv_init(&parser_, kOptions) != 0) throw std::logic_error("csv_init refused its parser");
  csv_set_delim(&parser_, static_cast<unsigned char>(delimiter));
  csv_set_space_func(&parser_, is_space);
  csv_set_term_func(&parser_, is_term);
}

CsvParser::~CsvParser() {
  csv_free(&parser_);
}

std::size_t CsvParser::parse(std::string_view bytes, FieldCallback on_field, RowCallback on_row,
                             void* context) {
  return csv_parse(&parser_, bytes.data(), bytes.size(), on_field, on_row, context);
}

void CsvParser::parse_leniently(char byte, FieldCallback on_field, RowCallback on_row,
                                void* context) {
  csv_set_opts(&parser_, kOptions & ~CSV_STRICT);
  const std::size_t read = csv_parse(&parser_, &byte, 1, on_field, on_row, context);
  csv_set_opts(&parser_, kOptions);
  if (read != 1) throw std::bad_alloc();  // the only error left without strict checking
}

bool CsvParser::finish(FieldCallback on_field, RowCallback on_row, void* context) {
  return csv_fini(&parser_, on_field, on_row, context) == 0;
}

int CsvParser::error() {
  return csv_error(&parser_);
}

CsvReader::CsvReader(std::string_view text, char delimiter)
    : parser_(delimiter), delimiter_(delimiter), text_(text) {
  if (text_.substr(0, kBom.size()) == kBom) at_ = kBom.size();
}

void CsvReader::on_field(void* data, std::size_t size, void* context) noexcept {
  auto& reader = *static_cast<CsvReader*>(context);
  try {
    std::string field(static_cast<const char*>(data), size);
    if (!reader.field_tail_.empty()) {
      field += reader.field_tail_;
      reader.field_tail_.clear();
    }
    reader.row_.fields.push_back(std::move(field));
  } catch (...) {
    if (!reader.failure_) reader.failure_ = std::current_exception();
  }
}

void CsvReader::on_row(int /*terminator*/, void* context) noexcept {
  auto& reader = *static_cast<CsvReader*>(context);
  reader.row_open_ = false;
  reader.row_ready_ = true;
}

std::optional<CsvRow> CsvReader::next(std::string_view origin) {
  while (!row_ready_ && !finished_) {
    if (at_ < text_.size()) {
      read_line();
    } else {
      finish(origin);
    }
  }
  if (!row_ready_) return std::nullopt;
  row_ready_ = false;
  const std::size_t width = row_.fields.size();
  CsvRow row = std::exchange(row_, CsvRow{});
  row_.fields.reserve(width);  // the next row is likely as wide
  return row;
}

// One physical line (with its '\n') to libcsv, so the reader knows the line a row starts on.
void CsvReader::read_line() {
  const std::size_t end = text_.find('\n', at_);
  const std::size_t stop = end == std::string_view::npos ? text_.size() : end + 1;
  const std::string_view line = text_.substr(at_, stop - at_);
  at_ = stop;
  if (!row_open_ && line.find_first_not_of("\r\n") != std::string_view::npos) {
    row_open_ = true;  // libcsv skips blank lines; any other byte starts a row
    row_.line = line_;
  }
  std::size_t done = 0;
  while (done < line.size()) {
    done += parser_.parse(line.substr(done), on_field, on_row, this);
    if (failure_) std::rethrow_exception(std::exchange(failure_, nullptr));
    if (done == line.size()) break;
    if (parser_.error() != CSV_EPARSE) throw std::bad_alloc();  // CSV_ENOMEM, CSV_ETOOBIG
    if (line[done] == '"') {
      // A quote inside an unquoted field: kept as text, as any other byte.
      parser_.parse_leniently('"', on_field, on_row, this);
      ++done;
      continue;
    }
    // Text after a closing quote: the field keeps it up to the next delimiter or line end (its
    // '\r' left to libcsv), and the row is flagged.
    if (!row_.problem) {
      row_.problem =
          "text after a closing quote in field " + std::to_string(row_.fields.size() + 1);
    }
    const char stops[] = {delimiter_, '\n', '\0'};
    std::size_t tail_end = line.find_first_of(stops, done);
    if (tail_end == std::string_view::npos) tail_end = line.size();
    while (tail_end > done && line[tail_end - 1] == '\r') --tail_end;
    if (tail_end == done) tail_end = done + 1;  // never empty: libcsv stops only at text
    field_tail_ += line.substr(done, tail_end - done);
    done = tail_end;
  }
  if (end != std::string_view::npos) ++line_;
}

void CsvReader::finish(std::string_view origin) {
  finished_ = true;
  if (!parser_.finish(on_field, on_row, this)) {
    throw Error(ExitCode::data, std::string(origin) + ": line " + std::to_string(row_.line) +
                                    ": a quoted field is never closed");
  }
  if (failure_) std::rethrow_exception(std::exchange(failure_, nullptr));
}

}  // namespace meteo::sources_csv
