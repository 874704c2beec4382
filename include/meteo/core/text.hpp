// Text that leaves the process (database rows, logs, metrics) must be valid UTF-8: a message can
// quote bytes a partner sent, and a server in strict mode refuses a row holding invalid ones.
#pragma once

#include <string>
#include <string_view>

namespace meteo {

// `text` with every byte that does not belong to a well-formed UTF-8 sequence written as the
// four ASCII characters `\xNN` (so the culprit stays visible); valid text comes back unchanged.
// Overlong forms, UTF-16 surrogates and code points past U+10FFFF count as invalid.
std::string valid_utf8(std::string_view text);

}  // namespace meteo
