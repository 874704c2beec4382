#include "table_output.hpp"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

namespace meteo {
namespace {

// Display width in code points, so "Île-de-France" lines up with ASCII names.
std::size_t display_width(const std::string& text) {
  return std::count_if(text.begin(), text.end(),
                       [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; });
}

void print_row(std::ostream& out, const TextRow& row, const std::vector<std::size_t>& widths) {
  for (std::size_t i = 0; i < row.size(); ++i) {
    out << row[i];
    if (i + 1 < row.size()) out << std::string(widths[i] - display_width(row[i]) + 2, ' ');
  }
  out << '\n';
}

std::string csv_field(const std::string& value) {
  if (value.find_first_of(",\"\r\n") == std::string::npos) return value;
  std::string quoted = "\"";
  for (char c : value) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

}  // namespace

std::string table_number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f", value);
  return text;
}

std::string exact_number(double value) {
  return nlohmann::json(value).dump();
}

void print_table(std::ostream& out, const TextRow& header, const std::vector<TextRow>& rows) {
  std::vector<std::size_t> widths(header.size());
  for (std::size_t i = 0; i < header.size(); ++i) widths[i] = display_width(header[i]);
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i)
      widths[i] = std::max(widths[i], display_width(row[i]));
  }
  print_row(out, header, widths);
  TextRow rule;
  for (auto width : widths) rule.push_back(std::string(width, '-'));
  print_row(out, rule, widths);
  for (const auto& row : rows) print_row(out, row, widths);
}

void print_csv(std::ostream& out, const TextRow& header, const std::vector<TextRow>& rows) {
  auto print_line = [&](const TextRow& row) {
    for (std::size_t i = 0; i < row.size(); ++i) out << (i ? "," : "") << csv_field(row[i]);
    out << "\r\n";
  };
  print_line(header);
  for (const auto& row : rows) print_line(row);
}

}  // namespace meteo
