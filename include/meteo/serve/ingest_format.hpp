// The format of a body POSTed to /ingest/<source> for a station network, as its Content-Type
// names it: the body is written to a scratch file whose name tells nothing.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "meteo/sources/file_format.hpp"

namespace meteo::serve {

// application/json, application/x-ndjson or application/jsonl, text/csv, in any case and with
// any parameters ("text/csv; charset=utf-8"); none for another type or an empty header.
std::optional<sources::FileFormat> file_format_of_content_type(std::string_view content_type);

// Why a body of this Content-Type (empty: none sent) is refused, naming the types taken.
std::string unsupported_content_type_message(const std::string& source,
                                             std::string_view content_type);

}  // namespace meteo::serve
