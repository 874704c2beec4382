#include "csv_reader.hpp"

#include "meteo/core/errors.hpp"

namespace meteo::air_quality {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

}  // namespace

CsvReader::CsvReader(std::string_view text) : text_(text) {
  if (text_.substr(0, kBom.size()) == kBom) at_ = kBom.size();
}

bool CsvReader::at_line_end() const {
  return at_ >= text_.size() || text_[at_] == '\n' ||
         (text_[at_] == '\r' && at_ + 1 < text_.size() && text_[at_ + 1] == '\n');
}

void CsvReader::skip_line_end() {
  if (at_ < text_.size() && text_[at_] == '\r') ++at_;
  if (at_ < text_.size() && text_[at_] == '\n') {
    ++at_;
    ++line_;
  }
}

std::optional<CsvRow> CsvReader::next(std::string_view origin) {
  while (at_ < text_.size() && at_line_end()) skip_line_end();  // blank lines
  if (at_ >= text_.size()) return std::nullopt;
  CsvRow row;
  row.line = line_;
  while (true) {
    const bool quoted = at_ < text_.size() && text_[at_] == '"';
    row.fields.push_back(quoted ? quoted_field(row, origin) : plain_field());
    if (at_line_end()) break;
    ++at_;  // the comma
  }
  skip_line_end();
  return row;
}

std::string CsvReader::plain_field() {
  const std::size_t start = at_;
  while (!at_line_end() && text_[at_] != ',') ++at_;
  return std::string(text_.substr(start, at_ - start));
}

std::string CsvReader::quoted_field(CsvRow& row, std::string_view origin) {
  const std::size_t opened_on = line_;
  std::string field;
  ++at_;  // the opening quote
  while (true) {
    if (at_ >= text_.size()) {
      throw Error(ExitCode::data, std::string(origin) + ": line " + std::to_string(opened_on) +
                                      ": a quoted field is never closed");
    }
    const char c = text_[at_++];
    if (c == '"' && at_ < text_.size() && text_[at_] == '"') {
      field += '"';
      ++at_;
    } else if (c == '"') {
      break;
    } else {
      if (c == '\n') ++line_;
      field += c;
    }
  }
  // Anything between the closing quote and the next comma is malformed: kept, but flagged.
  const std::size_t after = at_;
  while (!at_line_end() && text_[at_] != ',') ++at_;
  if (at_ > after) {
    if (!row.problem) {
      row.problem = "text after a closing quote in field " + std::to_string(row.fields.size() + 1);
    }
    field += text_.substr(after, at_ - after);
  }
  return field;
}

}  // namespace meteo::air_quality
