// Rows of strings printed as an aligned table or as RFC 4180 CSV, and the numbers in them.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace meteo {

using TextRow = std::vector<std::string>;

// A number for a person reading a terminal table: 2 decimals.
std::string table_number(double value);

// A number for other programs (CSV, JSON): the shortest text that parses back to the same double,
// as the JSON outputs write it ("15.0", "12.345678901234567"), so nothing is lost in an export.
std::string exact_number(double value);

void print_table(std::ostream& out, const TextRow& header, const std::vector<TextRow>& rows);
void print_csv(std::ostream& out, const TextRow& header, const std::vector<TextRow>& rows);

}  // namespace meteo
