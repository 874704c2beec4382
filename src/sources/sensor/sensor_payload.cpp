// Parses the partner's payload in one streaming pass: each array element is built, validated and
// dropped before the next, so a big payload is never held twice (body text + full DOM).
#include <cstdio>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "../duplicate_keys.hpp"
#include "../number_overflow.hpp"
#include "meteo/core/errors.hpp"
#include "meteo/sources/sensor/payload.hpp"
#include "sensor_record.hpp"

namespace meteo {
namespace {

using json = sensor_feed::Json;

constexpr std::size_t kTypicalFields = 8;
// Levels of the payload array itself plus the deepest record kept.
constexpr int kMaxDepth = sensor_feed::kMaxRecordNesting + 1;
// How much of a too-deep record's text is stored: enough to see its id and its shape.
constexpr std::size_t kMaxDeepTextBytes = 4096;

// The compact JSON text of a record nesting too deep to be built, written as its events arrive:
// its first kMaxDeepTextBytes and its full length. Building it would take a DOM level per nesting
// level, and dumping that DOM would recurse once per level; this keeps no state per level.
class DeepRecordText {
 public:
  // `prefix`: the record's text so far; `after_open`: whether its innermost open container is
  // still empty (its next child takes no comma).
  DeepRecordText(std::string_view prefix, bool after_open) : after_open_(after_open) {
    append(prefix);
  }

  void key(const std::string& name) {
    separate();
    append(sensor_feed::compact_json(json(name)));
    append(":");
    after_key_ = true;
  }
  void value(const json& value) {
    separate();
    append(sensor_feed::compact_json(value));
  }
  void open(json::value_t type) {
    separate();
    append(type == json::value_t::object ? "{" : "[");
    after_open_ = true;
  }
  void close(char closer) {
    append(std::string_view(&closer, 1));
    after_open_ = false;
  }

  std::string reason() const {
    std::string reason = sensor_feed::too_deep_reason();
    if (length_ <= kMaxDeepTextBytes) return reason;
    return reason + " (" + std::to_string(length_) + " bytes of compact JSON, the first " +
           std::to_string(text_.size()) + " kept)";
  }
  std::string take_text() && {
    // A cut in the middle of a UTF-8 sequence drops the partial sequence.
    std::size_t lead = text_.size();
    while (lead > 0 && (static_cast<unsigned char>(text_[lead - 1]) & 0xC0) == 0x80) --lead;
    if (lead > 0 && static_cast<unsigned char>(text_[lead - 1]) >= 0xC0) {
      const auto byte = static_cast<unsigned char>(text_[lead - 1]);
      const std::size_t sequence = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2;
      if (lead - 1 + sequence > text_.size()) text_.resize(lead - 1);
    }
    return std::move(text_);
  }

 private:
  // A comma between siblings; none after a key or as a container's first child.
  void separate() {
    if (!after_key_ && !after_open_) append(",");
    after_key_ = false;
    after_open_ = false;
  }
  void append(std::string_view piece) {
    length_ += piece.size();
    if (text_.size() < kMaxDeepTextBytes) {
      text_.append(piece.substr(0, kMaxDeepTextBytes - text_.size()));
    }
  }

  std::string text_;
  std::size_t length_ = 0;
  bool after_key_ = false;
  bool after_open_ = false;
};

// SAX events in, validated readings out. Depth 1 is the top-level array; anything deeper belongs
// to the element under construction.
class PayloadReader final : public nlohmann::json_sax<json> {
 public:
  PayloadReader(SensorRecordSink& out, sources_json::NumberOverflows& overflows)
      : out_(out), overflows_(overflows) {}

  std::size_t record_count() const { return record_count_; }

  bool null() override {
    // An overflowing number arrives as null, its text queued by the filter.
    if (!overflows_.empty()) {
      note_overflow(overflows_.front());
      overflows_.pop_front();
    }
    return add_value(json(nullptr));
  }
  bool boolean(bool value) override { return add_value(json(value)); }
  bool number_integer(number_integer_t value) override { return add_value(json(value)); }
  bool number_unsigned(number_unsigned_t value) override { return add_value(json(value)); }
  bool number_float(number_float_t value, const string_t&) override {
    return add_value(json(value));
  }
  // Copied, not moved: the lexer reuses this buffer, and stealing it would make it regrow
  // character by character for the next token.
  bool string(string_t& value) override { return add_value(json(value)); }
  bool binary(binary_t& value) override { return add_value(json(value)); }
  bool key(string_t& name) override {
    if (deep_) {
      deep_->key(name);
    } else {
      pending_key_ = name;
    }
    return true;
  }
  bool start_object(std::size_t) override { return open(json::value_t::object); }
  bool end_object() override { return close('}'); }
  bool start_array(std::size_t) override { return open(json::value_t::array); }
  bool end_array() override { return close(']'); }

  bool parse_error(std::size_t position, const std::string&,
                   const nlohmann::detail::exception& error) override {
    // `position` counts the offending byte (or the end of input) itself.
    failed_ = true;
    error_byte_ = position > 0 ? position - 1 : 0;
    error_detail_ = sensor_feed::json_error_detail(error.what());
    return false;
  }

  void throw_if_not_a_payload(std::string_view origin) const {
    const std::string prefix(origin);
    if (failed_) {
      throw Error(ExitCode::data, prefix + ": payload is not valid JSON at byte " +
                                      std::to_string(error_byte_) + ": " + error_detail_);
    }
    if (top_level_ != json::value_t::array) {
      throw Error(ExitCode::data, prefix + ": payload is a JSON " + json(top_level_).type_name() +
                                      ", expected an array of readings");
    }
  }

 private:
  bool inside_array_payload() const { return top_level_ == json::value_t::array; }

  bool open(json::value_t type) {
    ++depth_;
    if (depth_ == 1) {
      top_level_ = type;
      return true;
    }
    if (!inside_array_payload()) return true;  // skipped: reported once parsing succeeds
    if (!deep_ && depth_ > kMaxDepth) start_deep_text();
    if (deep_) {
      deep_->open(type);
      return true;
    }
    json* container = depth_ == 2 ? &(element_ = json(type)) : &insert(json(type));
    // One allocation for a typical record rather than a vector regrowing field by field.
    if (container->is_object()) container->get_ref<json::object_t&>().reserve(kTypicalFields);
    open_containers_.push_back(container);
    return true;
  }

  bool close(char closer) {
    --depth_;
    if (depth_ == 0 || !inside_array_payload()) return true;
    if (deep_) {
      deep_->close(closer);
      if (depth_ == 1) finish_deep_element();
      return true;
    }
    open_containers_.pop_back();
    if (depth_ == 1) finish_element(std::move(element_));
    return true;
  }

  bool add_value(json&& value) {
    if (depth_ == 0) {
      top_level_ = value.type();
      return true;
    }
    if (!inside_array_payload()) return true;
    if (deep_) {
      deep_->value(value);
      return true;
    }
    if (depth_ == 1) {
      finish_element(std::move(value));
    } else {
      insert(std::move(value));
    }
    return true;
  }

  // Only the chain of open containers is pointed to, and each is modified only through its
  // own parent, so adding a child never invalidates a pointer on the stack.
  json& insert(json&& value) {
    json& parent = *open_containers_.back();
    if (parent.is_object())
      return insert_field(parent.get_ref<json::object_t&>(), std::move(value));
    parent.push_back(std::move(value));
    return parent.back();
  }

  // A repeated key is kept beside the first, in order, so the stored record shows both values;
  // the search is the one operator[] would make anyway. Appending also keeps every open
  // container the last child of its parent, which start_deep_text relies on.
  json& insert_field(json::object_t& object, json&& value) {
    if (object.find(pending_key_) != object.end()) note_duplicate_key();
    object.emplace_back(pending_key_, std::move(value));
    return object.back().second;
  }

  // The element's first problem found while parsing rejects it (validation comes after).
  void note_problem(std::string reason) {
    if (!element_problem_) element_problem_ = std::move(reason);
  }

  // Two values for one field: which one the partner meant is unknowable, so neither is stored.
  void note_duplicate_key() {
    const bool record_field = open_containers_.size() == 1;
    note_problem(sources_json::duplicate_key_reason(pending_key_, record_field));
  }

  // An overflowing number is named with its field when it has one.
  void note_overflow(const std::string& number) {
    if (depth_ == 0 || !inside_array_payload() || deep_ || element_problem_) return;
    const bool record_field = depth_ == 2 && element_.is_object();
    note_problem(sources_json::out_of_range_reason(number, record_field ? &pending_key_ : nullptr));
  }

  std::variant<SensorReading, std::string> outcome_of(json& record) {
    if (element_problem_) return *std::exchange(element_problem_, std::nullopt);
    return sensor_feed::validate_record(record);
  }

  // The record so far becomes text: its dump ends with the closers of the open containers (each
  // is its parent's last child), which are dropped since they are still open.
  void start_deep_text() {
    const json& innermost = *open_containers_.back();
    std::string prefix = sensor_feed::compact_json(element_);
    prefix.resize(prefix.size() - open_containers_.size());
    deep_.emplace(prefix, innermost.empty());
    if (innermost.is_object()) deep_->key(pending_key_);
    open_containers_.clear();
    element_ = json();
  }

  void finish_deep_element() {
    const std::size_t position = record_count_++;
    element_problem_.reset();
    std::string reason = deep_->reason();
    out_.rejected({position, std::move(reason), std::move(*deep_).take_text()});
    deep_.reset();
  }

  void finish_element(json&& element) {
    json record = std::move(element);
    const std::size_t position = record_count_++;
    auto outcome = outcome_of(record);
    if (auto* reading = std::get_if<SensorReading>(&outcome)) {
      out_.reading(std::move(*reading));
    } else {
      out_.rejected(
          {position, std::move(std::get<std::string>(outcome)), sensor_feed::compact_json(record)});
    }
  }

  SensorRecordSink& out_;
  sources_json::NumberOverflows& overflows_;
  std::optional<std::string> element_problem_;  // the reason the element is rejected
  std::size_t record_count_ = 0;
  int depth_ = 0;
  json::value_t top_level_ = json::value_t::discarded;  // not seen yet
  json element_;
  std::vector<json*> open_containers_;
  std::string pending_key_;
  std::optional<DeepRecordText> deep_;  // the element, once too deep to build
  bool failed_ = false;
  std::size_t error_byte_ = 0;
  std::string error_detail_;
};

class CollectingSink final : public SensorRecordSink {
 public:
  explicit CollectingSink(ParsedPayload& out) : out_(out) {}
  void reading(SensorReading&& reading) override { out_.readings.push_back(std::move(reading)); }
  void rejected(RejectedRecord&& record) override { out_.rejected.push_back(std::move(record)); }

 private:
  ParsedPayload& out_;
};

// The bytes of a stream, read straight from its buffer as nlohmann's stream adapter does.
class StreamBytes {
 public:
  explicit StreamBytes(std::istream& stream) : stream_(stream), buffer_(*stream.rdbuf()) {}
  int next() {
    const auto c = buffer_.sbumpc();
    if (c != std::char_traits<char>::eof()) return c;
    stream_.setstate(std::ios::eofbit);
    return EOF;
  }

 private:
  std::istream& stream_;
  std::streambuf& buffer_;
};

template <typename Bytes>
std::size_t parse_into(std::string_view origin, SensorRecordSink& sink, Bytes bytes) {
  sources_json::NumberOverflows overflows;
  sources_json::OverflowFilter<Bytes> filter(std::move(bytes), overflows);
  PayloadReader reader(sink, overflows);
  json::sax_parse(filter.begin(), filter.end(), &reader);
  reader.throw_if_not_a_payload(origin);
  return reader.record_count();
}

template <typename Bytes>
ParsedPayload collect(std::string_view origin, Bytes bytes) {
  ParsedPayload payload;
  CollectingSink sink(payload);
  payload.record_count = parse_into(origin, sink, std::move(bytes));
  return payload;
}

}  // namespace

ParsedPayload parse_sensor_payload(std::string_view body, std::string_view origin) {
  return collect(origin, sources_json::TextBytes(body));
}

ParsedPayload parse_sensor_payload(std::istream& body, std::string_view origin) {
  return collect(origin, StreamBytes(body));
}

std::size_t stream_sensor_payload(std::istream& body, std::string_view origin,
                                  SensorRecordSink& sink) {
  return parse_into(origin, sink, StreamBytes(body));
}

}  // namespace meteo
