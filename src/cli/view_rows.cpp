#include "view_rows.hpp"

#include "table_output.hpp"

namespace meteo {

using nlohmann::json;

namespace {

// Tables round numbers and show NULL; CSV keeps every digit and leaves a missing value empty.
std::string cell_text(const json& cell, const std::string& format) {
  if (cell.is_null()) return format == "csv" ? "" : "NULL";
  if (cell.is_string()) return cell.get<std::string>();
  if (cell.is_boolean()) return cell.get<bool>() ? "1" : "0";
  if (cell.is_number_integer() || cell.is_number_unsigned()) return cell.dump();
  return format == "csv" ? exact_number(cell.get<double>()) : table_number(cell.get<double>());
}

}  // namespace

json optional_cell(const std::optional<double>& value) {
  return value ? json(*value) : json(nullptr);
}
json optional_cell(const std::optional<std::string>& value) {
  return value ? json(*value) : json(nullptr);
}
json optional_cell(const std::optional<int>& value) {
  return value ? json(*value) : json(nullptr);
}

void print_view(std::ostream& out, const ViewRows& view, const std::string& format) {
  if (format == "json") {
    json array = json::array();
    for (const json& row : view.rows) {
      json object = json::object();
      for (std::size_t i = 0; i < view.columns.size(); ++i) object[view.columns[i].key] = row[i];
      array.push_back(std::move(object));
    }
    out << array.dump(2) << '\n';
    return;
  }
  TextRow header;
  for (const auto& column : view.columns) header.push_back(column.header);
  std::vector<TextRow> text;
  for (const json& row : view.rows) {
    TextRow line;
    for (const json& cell : row) line.push_back(cell_text(cell, format));
    text.push_back(std::move(line));
  }
  format == "csv" ? print_csv(out, header, text) : print_table(out, header, text);
}

}  // namespace meteo
