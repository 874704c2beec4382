// The ingest endpoint's credential check.
#pragma once

#include <string_view>

#include "meteo/core/secret.hpp"

namespace meteo::serve {

// True when `authorization` (the header's value) is "Bearer <token>" with exactly `token`.
// Compared in constant time over SHA-256 digests of equal length, so neither the token's bytes
// nor its length leak through timing. An empty `token` matches nothing.
bool bearer_token_matches(const Secret& token, std::string_view authorization);

}  // namespace meteo::serve
