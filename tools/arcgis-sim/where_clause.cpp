#include "where_clause.hpp"

#include <cctype>
#include <string_view>

namespace arcgis_sim {
namespace {

enum class TokenKind { word, number, quoted, symbol, end };

struct Token {
  TokenKind kind = TokenKind::end;
  std::string text;  // a quoted string's content, unescaped
};

bool is_word_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
}

bool is_keyword(const Token& token, std::string_view keyword) {
  if (token.kind != TokenKind::word || token.text.size() != keyword.size()) return false;
  for (std::size_t i = 0; i < keyword.size(); ++i) {
    if (std::toupper(static_cast<unsigned char>(token.text[i])) != keyword[i]) return false;
  }
  return true;
}

class Tokenizer {
 public:
  explicit Tokenizer(std::string_view text) : text_(text) {}

  std::vector<Token> all() {
    std::vector<Token> tokens;
    do tokens.push_back(next());
    while (tokens.back().kind != TokenKind::end);
    return tokens;
  }

 private:
  Token next() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
    if (pos_ == text_.size()) return {TokenKind::end, "the end of the clause"};
    const char c = text_[pos_];
    if (c == '\'') return quoted();
    if (std::isdigit(static_cast<unsigned char>(c))) return run(TokenKind::number);
    if (is_word_char(c)) return run(TokenKind::word);
    if (text_.compare(pos_, 2, ">=") == 0 || text_.compare(pos_, 2, "<=") == 0 ||
        text_.compare(pos_, 2, "<>") == 0) {
      pos_ += 2;
      return {TokenKind::symbol, std::string(text_.substr(pos_ - 2, 2))};
    }
    ++pos_;
    return {TokenKind::symbol, std::string(1, c)};
  }

  Token run(TokenKind kind) {
    const std::size_t start = pos_;
    while (pos_ < text_.size() && is_word_char(text_[pos_])) ++pos_;
    return {kind, std::string(text_.substr(start, pos_ - start))};
  }

  // 'it''s' is "it's".
  Token quoted() {
    std::string content;
    for (++pos_; pos_ < text_.size(); ++pos_) {
      if (text_[pos_] != '\'') {
        content += text_[pos_];
      } else if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '\'') {
        content += '\'';
        ++pos_;
      } else {
        ++pos_;
        return {TokenKind::quoted, content};
      }
    }
    throw WhereError("unterminated string literal");
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

// clause := term (AND term)* ; term := '(' clause ')' | 1=1 | comparison
class Parser {
 public:
  Parser(std::vector<Token> tokens, const FeatureTable& table)
      : tokens_(std::move(tokens)), table_(table) {}

  std::vector<WhereClause::Condition> clause() {
    std::vector<WhereClause::Condition> conditions;
    term(conditions);
    while (is_keyword(peek(), "AND")) {
      ++next_;
      term(conditions);
    }
    return conditions;
  }

  void expect_end() const {
    if (peek().kind != TokenKind::end) refuse("unexpected '" + peek().text + "'");
  }

 private:
  const Token& peek() const { return tokens_[next_]; }
  Token take() { return tokens_[next_ < tokens_.size() - 1 ? next_++ : next_]; }
  bool at_symbol(std::string_view symbol) const {
    return peek().kind == TokenKind::symbol && peek().text == symbol;
  }

  [[noreturn]] static void refuse(const std::string& why) { throw WhereError(why); }

  void term(std::vector<WhereClause::Condition>& conditions) {
    if (at_symbol("(")) {
      ++next_;
      for (auto& condition : clause()) conditions.push_back(std::move(condition));
      if (!at_symbol(")")) refuse("missing ')'");
      ++next_;
    } else if (peek().kind == TokenKind::number) {
      always_true();
    } else {
      conditions.push_back(comparison());
    }
  }

  void always_true() {
    const Token left = take();
    const bool is_equals = at_symbol("=");
    take();
    const Token right = take();
    if (left.text != "1" || !is_equals || right.kind != TokenKind::number || right.text != "1") {
      refuse("only 1=1 may compare numbers");
    }
  }

  WhereClause::Condition comparison() {
    const Token name = take();
    if (name.kind != TokenKind::word) refuse("expected a field name, not '" + name.text + "'");
    const auto field = table_.field_index(name.text);
    if (!field) refuse("no field named " + name.text);
    const Token op = take();
    const FieldType type = table_.fields()[*field].type;
    if (op.kind == TokenKind::symbol && op.text == "=" && type == FieldType::text) {
      const Token value = take();
      if (value.kind != TokenKind::quoted) refuse(name.text + " = wants a quoted string");
      return {*field, WhereClause::Test::equals, value.text, 0};
    }
    if (op.kind == TokenKind::symbol && (op.text == ">=" || op.text == "<") &&
        type == FieldType::date) {
      const auto test = op.text == ">=" ? WhereClause::Test::at_least : WhereClause::Test::before;
      return {*field, test, "", timestamp()};
    }
    refuse("unsupported comparison: " + name.text + " " + op.text);
  }

  Millis timestamp() {
    if (!is_keyword(take(), "TIMESTAMP")) refuse("dates compare with TIMESTAMP '...' only");
    const Token literal = take();
    const auto at =
        literal.kind == TokenKind::quoted ? parse_sql_timestamp(literal.text) : std::nullopt;
    if (!at) refuse("a TIMESTAMP literal is 'YYYY-MM-DD HH:MM:SS', not " + literal.text);
    return *at;
  }

  std::vector<Token> tokens_;
  const FeatureTable& table_;
  std::size_t next_ = 0;
};

}  // namespace

WhereClause WhereClause::parse(const std::string& text, const FeatureTable& table) {
  WhereClause where;
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) return where;
  Parser parser(Tokenizer(text).all(), table);
  where.conditions_ = parser.clause();
  parser.expect_end();
  return where;
}

bool WhereClause::accepts(const Feature& feature) const {
  for (const auto& condition : conditions_) {
    const std::string& value = feature.values[condition.field];
    if (condition.test == Test::equals) {
      if (value != condition.text) return false;
      continue;
    }
    const Millis at = parse_iso8601_utc(value).value_or(0);
    if (condition.test == Test::at_least ? at < condition.instant : at >= condition.instant) {
      return false;
    }
  }
  return true;
}

}  // namespace arcgis_sim
