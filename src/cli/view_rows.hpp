// A view as columns (the table and CSV header, the JSON key) and rows of JSON cells, so the three
// formats of `query` (table, csv, json) print the same values.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace meteo {

struct Column {
  std::string header, key;
};
struct ViewRows {
  std::vector<Column> columns;
  std::vector<nlohmann::json> rows;  // arrays, one cell per column
};

// A missing value is JSON null: NULL in a table, empty in CSV.
nlohmann::json optional_cell(const std::optional<double>& value);
nlohmann::json optional_cell(const std::optional<std::string>& value);
nlohmann::json optional_cell(const std::optional<int>& value);

// Tables round numbers and show NULL; CSV keeps every digit; JSON is an array of objects.
void print_view(std::ostream& out, const ViewRows& view, const std::string& format);

}  // namespace meteo
