#include "meteo/serve/ingest_format.hpp"

#include <algorithm>
#include <cctype>

namespace meteo::serve {
namespace {

// The media type alone: parameters dropped, blanks trimmed, lower case (types are
// case-insensitive).
std::string media_type(std::string_view content_type) {
  std::string_view type = content_type.substr(0, content_type.find(';'));
  const auto first = type.find_first_not_of(" \t");
  if (first == std::string_view::npos) return "";
  type = type.substr(first, type.find_last_not_of(" \t") - first + 1);
  std::string lower(type);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower;
}

}  // namespace

std::optional<sources::FileFormat> file_format_of_content_type(std::string_view content_type) {
  const std::string type = media_type(content_type);
  if (type == "application/json") return sources::FileFormat::json;
  if (type == "application/x-ndjson" || type == "application/jsonl") {
    return sources::FileFormat::json_lines;
  }
  if (type == "text/csv") return sources::FileFormat::csv;
  return std::nullopt;
}

std::string unsupported_content_type_message(const std::string& source,
                                             std::string_view content_type) {
  return "source " + source +
         " reads a body in the format its Content-Type names: application/json (the portal's "
         "exports/json array or a records page), application/x-ndjson or application/jsonl "
         "(JSON Lines), text/csv (the portal's CSV export); got " +
         (content_type.empty() ? std::string("none") : "\"" + std::string(content_type) + "\"");
}

}  // namespace meteo::serve
