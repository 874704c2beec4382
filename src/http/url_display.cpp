// URLs as messages, logs and the ledger show them: never a credential a URL can carry.
#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <string_view>

#include "meteo/http/client.hpp"

namespace meteo {
namespace {

constexpr std::string_view kMask = "***";

// Drops the user:password part of a URL.
std::string without_userinfo(std::string_view url, std::size_t authority) {
  const auto authority_end = url.find_first_of("/?#", authority);
  const auto at =
      url.rfind('@', authority_end == std::string_view::npos ? url.size() : authority_end);
  if (at == std::string_view::npos || at < authority) return std::string(url);
  return std::string(url.substr(0, authority)).append(kMask).append(url.substr(at));
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

// "API_Key", "api-key", "api%5Fkey" and "apiKey" all become "apikey".
std::string folded_name(std::string_view name) {
  std::string folded;
  for (std::size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    if (c == '%' && i + 2 < name.size() && hex_digit(name[i + 1]) >= 0 &&
        hex_digit(name[i + 2]) >= 0) {
      c = static_cast<char>(hex_digit(name[i + 1]) * 16 + hex_digit(name[i + 2]));
      i += 2;
    }
    if (c == '-' || c == '_' || c == '.') continue;
    folded.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return folded;
}

// A name ending in one of these words names a credential: key, apikey, api_key,
// subscription-key, token, access_token, client_secret, password, X-Amz-Signature, sig...
bool names_a_credential(std::string_view name) {
  static constexpr std::array<std::string_view, 10> kWords{
      "key", "token",     "secret", "password", "passwd",
      "pwd", "signature", "sig",    "auth",     "credential"};
  const std::string folded = folded_name(name);
  return std::any_of(kWords.begin(), kWords.end(), [&](std::string_view word) {
    return folded.size() >= word.size() &&
           std::string_view(folded).substr(folded.size() - word.size()) == word;
  });
}

// "a=1&apikey=abc&b" -> "a=1&apikey=***&b".
std::string masked_query(std::string_view query) {
  std::string shown;
  shown.reserve(query.size());
  for (std::size_t start = 0; start <= query.size();) {
    const auto end = std::min(query.find('&', start), query.size());
    const std::string_view parameter = query.substr(start, end - start);
    const auto equals = parameter.find('=');
    if (equals != std::string_view::npos && equals + 1 < parameter.size() &&
        names_a_credential(parameter.substr(0, equals))) {
      shown.append(parameter.substr(0, equals + 1)).append(kMask);
    } else {
      shown.append(parameter);
    }
    if (end < query.size()) shown.push_back('&');
    start = end + 1;
  }
  return shown;
}

}  // namespace

std::string displayable_url(std::string_view url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return std::string(url);
  std::string shown = without_userinfo(url, scheme_end + 3);
  const auto query = shown.find('?');
  if (query == std::string::npos) return shown;
  const auto fragment = std::min(shown.find('#', query), shown.size());
  return shown.substr(0, query + 1) +
         masked_query(std::string_view(shown).substr(query + 1, fragment - query - 1)) +
         shown.substr(fragment);
}

}  // namespace meteo
