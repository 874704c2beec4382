#include "explore_query.hpp"

#include <algorithm>
#include <cctype>

namespace portal_sim {
namespace {

constexpr long long kMaxPageLimit = 100;
constexpr long long kDefaultPageLimit = 10;
constexpr long long kMaxOffsetPlusLimit = 10000;

std::string lower_case(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower;
}

std::string_view trimmed(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

bool is_word_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

struct Token {
  enum class Kind { word, quoted_field, op, text, date, open, close };
  Kind kind;
  std::string text;
};

// The closing quote of a literal opened at `open`, or a 400.
std::size_t closing_quote(std::string_view where, std::size_t open) {
  const auto close = where.find(where[open], open + 1);
  if (close == std::string_view::npos) throw bad_query("unterminated literal in where clause");
  return close;
}

std::vector<Token> tokenize(std::string_view where) {
  std::vector<Token> tokens;
  std::size_t pos = 0;
  while (pos < where.size()) {
    const char c = where[pos];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++pos;
    } else if (c == '(' || c == ')') {
      tokens.push_back({c == '(' ? Token::Kind::open : Token::Kind::close, std::string(1, c)});
      ++pos;
    } else if (c == '\'' || c == '"' || c == '`') {
      const auto close = closing_quote(where, pos);
      const auto kind = c == '`' ? Token::Kind::quoted_field : Token::Kind::text;
      tokens.push_back({kind, std::string(where.substr(pos + 1, close - pos - 1))});
      pos = close + 1;
    } else if (c == '<' || c == '>' || c == '=' || c == '!') {
      const bool two = pos + 1 < where.size() && where[pos + 1] == '=';
      tokens.push_back({Token::Kind::op, std::string(where.substr(pos, two ? 2 : 1))});
      pos += two ? 2 : 1;
    } else if (is_word_char(c)) {
      const std::size_t start = pos;
      while (pos < where.size() && is_word_char(where[pos])) ++pos;
      const std::string word(where.substr(start, pos - start));
      // date'...' is one literal.
      if (lower_case(word) == "date" && pos < where.size() &&
          (where[pos] == '\'' || where[pos] == '"')) {
        const auto close = closing_quote(where, pos);
        tokens.push_back({Token::Kind::date, std::string(where.substr(pos + 1, close - pos - 1))});
        pos = close + 1;
      } else {
        tokens.push_back({Token::Kind::word, word});
      }
    } else {
      throw bad_query(std::string("unexpected character '") + c + "' in where clause");
    }
  }
  return tokens;
}

TimeComparison::Operator comparison_operator(const std::string& op) {
  using Op = TimeComparison::Operator;
  if (op == "<") return Op::less;
  if (op == "<=") return Op::less_or_equal;
  if (op == ">") return Op::greater;
  if (op == ">=") return Op::greater_or_equal;
  if (op == "=") return Op::equal;
  throw bad_query("operator " + op + " is not supported on a date field");
}

// The field must exist (like the real portal) and be the one the simulator filters on.
void check_time_field(const std::string& name, const Dataset& dataset) {
  if (dataset.field(name) == nullptr) throw bad_query("Unknown field: " + name);
  if (name != dataset.time_field) {
    throw bad_query(
        "portal-sim only filters and sorts on " +
        (dataset.time_field.empty() ? std::string("a time field") : dataset.time_field) +
        ", not on " + name);
  }
}

class WhereParser {
 public:
  WhereParser(std::vector<Token> tokens, const Dataset& dataset)
      : tokens_(std::move(tokens)), dataset_(dataset) {}

  TimeFilter parse() {
    TimeFilter filter;
    for (;;) {
      skip(Token::Kind::open);
      filter.comparisons.push_back(comparison());
      skip(Token::Kind::close);
      if (at_end()) break;
      const Token& joiner = next("AND");
      if (joiner.kind != Token::Kind::word || lower_case(joiner.text) != "and") {
        throw bad_query("only AND may join conditions, found '" + joiner.text + "'");
      }
    }
    if (depth_ != 0) throw bad_query("unbalanced parentheses in where clause");
    return filter;
  }

 private:
  TimeComparison comparison() {
    const Token& field = next("a field name");
    if (field.kind != Token::Kind::word && field.kind != Token::Kind::quoted_field) {
      throw bad_query("expected a field name, found '" + field.text + "'");
    }
    check_time_field(field.text, dataset_);
    const Token& op = next("an operator");
    if (op.kind != Token::Kind::op) throw bad_query("expected an operator after " + field.text);
    const auto comparison_op = comparison_operator(op.text);
    const Token& literal = next("a date");
    if (literal.kind != Token::Kind::date && literal.kind != Token::Kind::text) {
      throw bad_query("expected a date literal, found '" + literal.text + "'");
    }
    const auto value = parse_iso8601(literal.text);
    if (!value) throw bad_query("Invalid date literal: '" + literal.text + "'");
    return {comparison_op, *value};
  }

  void skip(Token::Kind kind) {
    while (!at_end() && tokens_[pos_].kind == kind) {
      depth_ += kind == Token::Kind::open ? 1 : -1;
      if (depth_ < 0) throw bad_query("unbalanced parentheses in where clause");
      ++pos_;
    }
  }

  const Token& next(const char* expected) {
    if (at_end())
      throw bad_query(std::string("where clause ends where ") + expected + " was expected");
    return tokens_[pos_++];
  }

  bool at_end() const { return pos_ >= tokens_.size(); }

  std::vector<Token> tokens_;
  const Dataset& dataset_;
  std::size_t pos_ = 0;
  int depth_ = 0;
};

std::optional<long long> integer(std::string_view text) {
  text = trimmed(text);
  if (text.empty() || text.size() > 18) return std::nullopt;
  const bool negative = text.front() == '-';
  if (negative) text.remove_prefix(1);
  if (text.empty()) return std::nullopt;
  long long value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return negative ? -value : value;
}

long long integer_parameter(const char* name, const std::optional<std::string>& text,
                            long long fallback) {
  if (!text) return fallback;
  const auto value = integer(*text);
  if (!value) {
    throw bad_parameter(std::string("Invalid value for ") + name + " API parameter: '" + *text +
                        "' is not an integer.");
  }
  return *value;
}

long long checked_offset(const std::optional<std::string>& text) {
  const long long offset = integer_parameter("offset", text, 0);
  if (offset < 0) {
    throw bad_parameter("Invalid value for offset API parameter: " + std::to_string(offset) +
                        " was found but offset >= 0 is expected.");
  }
  return offset;
}

}  // namespace

ApiError bad_parameter(const std::string& message) {
  return ApiError(400, "InvalidRESTParameterError", message);
}

ApiError bad_query(const std::string& message) {
  return ApiError(400, "ODSQLError", "ODSQL query is malformed: " + message);
}

bool TimeComparison::accepts(Seconds t) const {
  switch (op) {
    case Operator::less:
      return t < value;
    case Operator::less_or_equal:
      return t <= value;
    case Operator::greater:
      return t > value;
    case Operator::greater_or_equal:
      return t >= value;
    case Operator::equal:
      return t == value;
  }
  return false;
}

bool TimeFilter::accepts(Seconds t) const {
  return std::all_of(comparisons.begin(), comparisons.end(),
                     [t](const TimeComparison& comparison) { return comparison.accepts(t); });
}

TimeFilter parse_where(std::string_view where, const Dataset& dataset) {
  if (trimmed(where).empty()) return {};
  return WhereParser(tokenize(where), dataset).parse();
}

bool parse_descending(std::string_view order_by, const Dataset& dataset) {
  order_by = trimmed(order_by);
  if (order_by.empty()) return false;
  const auto space = order_by.find_first_of(" \t");
  const std::string field(order_by.substr(0, space));
  const std::string direction =
      space == std::string_view::npos ? "asc" : lower_case(trimmed(order_by.substr(space)));
  check_time_field(field, dataset);
  if (direction != "asc" && direction != "desc") {
    throw bad_query("order_by expects ASC or DESC after " + field + ", found '" + direction + "'");
  }
  return direction == "desc";
}

std::vector<std::size_t> parse_select(std::string_view select, const Dataset& dataset) {
  std::vector<std::size_t> columns;
  const auto add_all = [&] {
    for (std::size_t i = 0; i < dataset.fields.size(); ++i) columns.push_back(i);
  };
  if (trimmed(select).empty()) {
    add_all();
    return columns;
  }
  std::size_t start = 0;
  while (start <= select.size()) {
    const auto comma = std::min(select.find(',', start), select.size());
    const auto name = trimmed(select.substr(start, comma - start));
    if (name == "*") {
      add_all();
    } else {
      const Field* field = dataset.field(name);
      if (field == nullptr) throw bad_query("Unknown field: " + std::string(name));
      columns.push_back(static_cast<std::size_t>(field - dataset.fields.data()));
    }
    start = comma + 1;
  }
  return columns;
}

Paging records_paging(const std::optional<std::string>& limit_text,
                      const std::optional<std::string>& offset_text) {
  Paging paging;
  paging.limit = integer_parameter("limit", limit_text, kDefaultPageLimit);
  if (paging.limit < -1 || paging.limit > kMaxPageLimit) {
    throw bad_parameter("Invalid value for limit API parameter: " + std::to_string(paging.limit) +
                        " was found but -1 <= limit <= 100 is expected.");
  }
  if (paging.limit == -1) paging.limit = kDefaultPageLimit;
  paging.offset = checked_offset(offset_text);
  if (paging.offset + paging.limit > kMaxOffsetPlusLimit) {
    throw bad_parameter("Invalid value for sum of offset + limit API parameter: " +
                        std::to_string(paging.offset + paging.limit) +
                        " was found but <= 10000 is expected.");
  }
  return paging;
}

Paging exports_paging(const std::optional<std::string>& limit_text,
                      const std::optional<std::string>& offset_text) {
  Paging paging;
  paging.limit = integer_parameter("limit", limit_text, -1);
  if (paging.limit < -1) {
    throw bad_parameter("Invalid value for limit API parameter: " + std::to_string(paging.limit) +
                        " was found but limit >= -1 is expected.");
  }
  paging.offset = checked_offset(offset_text);
  return paging;
}

bool CatalogueFilter::accepts(const Dataset& dataset) const {
  if (lower_case(dataset.id).find(text) != std::string::npos) return true;
  return titles_too &&
         lower_case(dataset.metas.value("title", std::string())).find(text) != std::string::npos;
}

std::optional<CatalogueFilter> parse_catalogue_where(std::string_view where) {
  const std::string lower = lower_case(where);
  const bool like = lower.find(" like ") != std::string::npos;
  const bool search = lower.find("search(") != std::string::npos;
  if (!like && !search) return std::nullopt;
  const auto open = lower.find_first_of("'\"");
  if (open == std::string::npos) return std::nullopt;
  const auto close = lower.find(lower[open], open + 1);
  if (close == std::string::npos) return std::nullopt;
  CatalogueFilter filter;
  for (const char c : lower.substr(open + 1, close - open - 1)) {
    if (c != '*' && c != '%') filter.text += c;  // wildcards: a substring match covers them
  }
  filter.titles_too = search;
  return filter;
}

}  // namespace portal_sim
