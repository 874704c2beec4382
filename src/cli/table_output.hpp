// Rows of strings printed as an aligned table or as RFC 4180 CSV.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace meteo {

using TextRow = std::vector<std::string>;

void print_table(std::ostream& out, const TextRow& header, const std::vector<TextRow>& rows);
void print_csv(std::ostream& out, const TextRow& header, const std::vector<TextRow>& rows);

}  // namespace meteo
