#include "meteo/serve/bearer_token.hpp"

#include <openssl/crypto.h>

#include <string>

#include "meteo/core/hashing.hpp"

namespace meteo::serve {

bool bearer_token_matches(const Secret& token, std::string_view authorization) {
  constexpr std::string_view kScheme = "Bearer ";
  if (token.empty() || authorization.substr(0, kScheme.size()) != kScheme) return false;
  // Digests of equal length: the comparison's time says nothing of the token's length either.
  const std::string expected = sha256_hex(token.reveal());
  const std::string given = sha256_hex(authorization.substr(kScheme.size()));
  return CRYPTO_memcmp(expected.data(), given.data(), expected.size()) == 0;
}

}  // namespace meteo::serve
