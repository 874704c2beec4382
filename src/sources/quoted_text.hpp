// Internal to the sources module: how rejection reasons quote offending values.
#pragma once

#include <cstddef>
#include <string>

namespace meteo::sources_text {

// At most `max_chars` bytes, ending in "..." when cut; never splits a UTF-8 sequence.
std::string shortened(std::string text, std::size_t max_chars);

}  // namespace meteo::sources_text
