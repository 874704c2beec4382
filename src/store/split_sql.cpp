// Splits migration scripts into statements, the way the mysql client does for plain scripts
// (no DELIMITER, so no stored-program bodies).
#include <cctype>

#include "meteo/store/migrations.hpp"

namespace meteo {

namespace {

bool is_space(char c) {
  return std::isspace(static_cast<unsigned char>(c)) != 0;
}

// "--" starts a comment only when followed by whitespace or the end (MySQL's rule).
bool dash_comment_at(std::string_view s, std::size_t i) {
  return s.compare(i, 2, "--") == 0 && (i + 2 == s.size() || is_space(s[i + 2]));
}

// Index just past the quoted text opening at `i` (quote doubled or backslash-escaped inside).
std::size_t skip_quoted(std::string_view s, std::size_t i) {
  const char quote = s[i++];
  while (i < s.size()) {
    if (s[i] == '\\' && quote != '`') {
      i += 2;
    } else if (s[i] == quote) {
      if (i + 1 < s.size() && s[i + 1] == quote) {
        i += 2;  // '' inside '...'
      } else {
        return i + 1;
      }
    } else {
      ++i;
    }
  }
  return s.size();  // unterminated: the server will report it
}

// Index just past the comment opening at `i`.
std::size_t skip_comment(std::string_view s, std::size_t i) {
  if (s[i] == '/') {
    const auto end = s.find("*/", i + 2);
    return end == std::string_view::npos ? s.size() : end + 2;
  }
  const auto end = s.find('\n', i);
  return end == std::string_view::npos ? s.size() : end + 1;
}

bool comment_at(std::string_view s, std::size_t i) {
  return s[i] == '#' || dash_comment_at(s, i) || s.compare(i, 2, "/*") == 0;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

}  // namespace

std::vector<std::string> split_sql_statements(std::string_view script) {
  std::vector<std::string> statements;
  // Where the current statement's code starts; npos while it holds only whitespace and comments
  // (leading comments are left out of the statement).
  std::size_t start = std::string_view::npos;
  auto code_at = [&](std::size_t i) {
    if (start == std::string_view::npos) start = i;
  };
  auto finish = [&](std::size_t end) {
    if (start != std::string_view::npos) {
      statements.emplace_back(trim(script.substr(start, end - start)));
    }
    start = std::string_view::npos;
  };
  for (std::size_t i = 0; i < script.size();) {
    const char c = script[i];
    if (comment_at(script, i)) {
      i = skip_comment(script, i);
    } else if (c == '\'' || c == '"' || c == '`') {
      code_at(i);
      i = skip_quoted(script, i);
    } else if (c == ';') {
      finish(i);
      ++i;
    } else {
      if (!is_space(c)) code_at(i);
      ++i;
    }
  }
  finish(script.size());
  return statements;
}

}  // namespace meteo
