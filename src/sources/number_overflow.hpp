// Internal to the sources module: numbers past a double's range in a JSON text.
//
// `1e309` is valid JSON grammar, but nlohmann's parser stops the whole parse on a number that
// overflows a double, so one such field would lose every record of the payload. The filter below
// sits between the bytes and the parser: it hands such a number over as `null` padded with spaces
// to the number's length (byte offsets in later errors stay true) and queues its text, so that
// the parser's consumer can reject the one record that held it. Both sources use it: the sensor
// feed's streaming reader and the station portal's DOM builder (duplicate_keys.hpp).
#pragma once

#include <cstddef>
#include <cstdio>
#include <deque>
#include <iterator>
#include <string>
#include <string_view>
#include <utility>

namespace meteo::sources_json {

// True for a JSON number whose magnitude is too large for a double (underflow is not: the
// parser reads it as 0 or a subnormal, like any JSON reader).
bool overflows_a_double(std::string_view number);

// Why a record holding such a number is rejected: "field \"lat\": number 1e999 is out of range
// (past a double's ±1.8e308)", without the field when the number is not one of the record's own.
std::string out_of_range_reason(std::string_view number, const std::string* field = nullptr);

// The texts of the overflowing numbers the filter replaced, oldest first. Each replacement's
// `null` reaches the parser's consumer before the parser reads any byte after it.
using NumberOverflows = std::deque<std::string>;

// The bytes of a text in memory, for the filter.
class TextBytes {
 public:
  explicit TextBytes(std::string_view text) : text_(text) {}
  int next() { return at_ < text_.size() ? static_cast<unsigned char>(text_[at_++]) : EOF; }

 private:
  std::string_view text_;
  std::size_t at_ = 0;
};

// `Bytes::next()` returns the next byte as an unsigned char value, or EOF at the end.
template <typename Bytes>
class OverflowFilter {
 public:
  OverflowFilter(Bytes bytes, NumberOverflows& overflows)
      : bytes_(std::move(bytes)), overflows_(overflows) {}

  int peek() {
    if (current_ == kUnread) current_ = next_byte();
    return current_;
  }
  void advance() { current_ = kUnread; }

  // What nlohmann's iterator input adapter takes: an input iterator over chars.
  class Iterator {
   public:
    using iterator_category = std::input_iterator_tag;
    using value_type = char;
    using difference_type = std::ptrdiff_t;
    using pointer = const char*;
    using reference = char;

    explicit Iterator(OverflowFilter* filter = nullptr) : filter_(filter) {}
    char operator*() const { return static_cast<char>(filter_->peek()); }
    Iterator& operator++() {
      filter_->advance();
      return *this;
    }
    // Only ever compared with the end iterator.
    bool operator==(const Iterator&) const { return filter_ == nullptr || filter_->peek() == EOF; }
    bool operator!=(const Iterator& other) const { return !(*this == other); }

   private:
    OverflowFilter* filter_;
  };
  Iterator begin() { return Iterator(this); }
  static Iterator end() { return Iterator(); }

 private:
  static constexpr int kUnread = -2;

  static bool number_char(int c) {
    return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
  }

  int read() {
    if (held_ != kUnread) return std::exchange(held_, kUnread);
    return bytes_.next();
  }

  int next_byte() {
    if (number_at_ < number_.size()) return static_cast<unsigned char>(number_[number_at_++]);
    const int c = read();
    if (in_string_) {
      if (escaped_) {
        escaped_ = false;
      } else if (c == '\\') {
        escaped_ = true;
      } else if (c == '"') {
        in_string_ = false;
      }
      return c;
    }
    if (c == '"') {
      in_string_ = true;
      return c;
    }
    if (c != '-' && (c < '0' || c > '9')) return c;
    read_number(c);
    return static_cast<unsigned char>(number_[number_at_++]);
  }

  void read_number(int first) {
    number_.assign(1, static_cast<char>(first));
    number_at_ = 0;
    int c = read();
    while (number_char(c)) {
      number_ += static_cast<char>(c);
      c = read();
    }
    held_ = c;  // the byte after the number, EOF included
    if (!overflows_a_double(number_)) return;
    overflows_.push_back(number_);
    number_.replace(0, std::string::npos, "null");
    number_.resize(overflows_.back().size(), ' ');  // the shortest overflow, 2e308, has 5 bytes
  }

  Bytes bytes_;
  NumberOverflows& overflows_;
  int current_ = kUnread;
  int held_ = kUnread;
  std::string number_;  // the number being handed over, from number_at_
  std::size_t number_at_ = 0;
  bool in_string_ = false;
  bool escaped_ = false;
};

}  // namespace meteo::sources_json
