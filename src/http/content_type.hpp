// Internal to the http module: what a refused body looked like, for the error message.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace meteo::http_detail {

// How much of a refused body is kept: enough to recognise a maintenance page in a log line.
inline constexpr std::size_t kExcerptBytes = 120;

// The first kExcerptBytes of `body` on one line: whitespace runs become one space, control and
// non-ASCII bytes '?', so the excerpt is safe in text and JSON logs whatever the encoding.
std::string body_excerpt(std::string_view body);

}  // namespace meteo::http_detail
