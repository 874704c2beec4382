// Content-Type checks: which media types a caller takes as a body.
#include "content_type.hpp"

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>

#include "meteo/http/client.hpp"

namespace meteo {
namespace {

// "Application/JSON; charset=UTF-8" -> "application/json".
std::string media_type(std::string_view content_type) {
  std::string_view type = content_type.substr(0, content_type.find(';'));
  const auto is_space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
  while (!type.empty() && is_space(type.front())) type.remove_prefix(1);
  while (!type.empty() && is_space(type.back())) type.remove_suffix(1);
  std::string lowered(type);
  std::transform(lowered.begin(), lowered.end(), lowered.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lowered;
}

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

bool is_json_type(const std::string& type) {
  return type == "application/json" || type == "text/json" || type == "application/x-json" ||
         (type.rfind("application/", 0) == 0 && ends_with(type, "+json"));
}

// Servers label JSON with these too; they rule nothing out, so the parser decides.
bool says_nothing(const std::string& type) {
  return type.empty() || type == "text/plain" || type == "application/octet-stream";
}

}  // namespace

bool accepts_content_type(AcceptedContent accepted, std::string_view content_type) {
  if (accepted == AcceptedContent::any) return true;
  const std::string type = media_type(content_type);
  return is_json_type(type) || says_nothing(type);
}

namespace http_detail {

std::string body_excerpt(std::string_view body) {
  std::string excerpt;
  bool pending_space = false;
  for (const unsigned char c : body.substr(0, kExcerptBytes)) {
    if (std::isspace(c)) {
      pending_space = !excerpt.empty();
      continue;
    }
    if (pending_space) excerpt += ' ';
    pending_space = false;
    excerpt += (c < 0x20 || c >= 0x7f) ? '?' : static_cast<char>(c);
  }
  return excerpt;
}

}  // namespace http_detail
}  // namespace meteo
