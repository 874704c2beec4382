// Parses the partner's payload a batch at a time with simdjson's on-demand API: a valid record is
// read straight from the text. Whatever it cannot settle (a rejected record, an escape, a nested
// value, a malformed payload) goes to the exact reader, nlohmann's SAX parser, which words every
// reject and error. Each element is validated and dropped before the next, so a big payload is
// never held whole.
#include <simdjson.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <exception>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "../duplicate_keys.hpp"
#include "../number_overflow.hpp"
#include "fast_record.hpp"
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
  // Where the text read starts in the payload: its records from `first_position` on (those before
  // `emit_from` already reached the sink), and `byte_offset` added to error offsets.
  struct Start {
    std::size_t first_position = 0;
    std::size_t emit_from = 0;
    std::ptrdiff_t byte_offset = 0;
    // Stop at the token after the first element (a malformed one makes the read fail).
    bool single_element = false;
  };

  PayloadReader(SensorRecordSink& out, sources_json::NumberOverflows& overflows, Start start)
      : out_(out),
        overflows_(overflows),
        record_count_(start.first_position),
        emit_from_(start.emit_from),
        byte_offset_(start.byte_offset),
        single_element_(start.single_element) {}

  std::size_t record_count() const { return record_count_; }
  bool failed() const { return failed_; }

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
    error_byte_ = static_cast<std::size_t>(
        static_cast<std::ptrdiff_t>(position > 0 ? position - 1 : 0) + byte_offset_);
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
  bool single_element_done() const { return single_element_ && record_count_ > emit_from_; }

  bool open(json::value_t type) {
    if (single_element_done()) return false;
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
    if (single_element_done()) return false;
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
    if (single_element_done()) return false;
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
    if (position >= emit_from_) {
      std::string reason = deep_->reason();
      out_.rejected({position, std::move(reason), std::move(*deep_).take_text()});
    }
    deep_.reset();
  }

  void finish_element(json&& element) {
    json record = std::move(element);
    const std::size_t position = record_count_++;
    if (position < emit_from_) {
      element_problem_.reset();
      return;
    }
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
  std::size_t record_count_;
  std::size_t emit_from_;
  std::ptrdiff_t byte_offset_;
  bool single_element_;
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

// ---- the bytes of a payload: a text in memory or a stream ---------------------------------------

// A text in memory: appended to the batch a piece at a time, or read byte by byte.
class TextSource {
 public:
  explicit TextSource(std::string_view text) : text_(text) {}
  // Appends up to `most` bytes to `to`; false once the text is used up.
  bool append(std::string& to, std::size_t most) {
    const std::string_view piece = text_.substr(at_, most);
    to.append(piece);
    at_ += piece.size();
    return !piece.empty();
  }
  int next() { return at_ < text_.size() ? static_cast<unsigned char>(text_[at_++]) : EOF; }

 private:
  std::string_view text_;
  std::size_t at_ = 0;
};

// A stream, read straight from its buffer. Only what the buffer already holds is copied in one
// go, so a buffer that throws (a damaged archive file) does so with every byte before the damage
// appended, as a byte-by-byte reader would have seen them.
class StreamSource {
 public:
  explicit StreamSource(std::istream& stream) : stream_(stream), buffer_(*stream.rdbuf()) {}
  bool append(std::string& to, std::size_t most) {
    std::size_t added = 0;
    while (added < most) {
      const std::streamsize ready = buffer_.in_avail();
      if (ready <= 0) {
        const int c = next();  // refills the buffer, or throws
        if (c == EOF) break;
        to.push_back(static_cast<char>(c));
        ++added;
        continue;
      }
      const std::size_t take = std::min(static_cast<std::size_t>(ready), most - added);
      const std::size_t old_size = to.size();
      to.resize(old_size + take);
      added += static_cast<std::size_t>(
          buffer_.sgetn(to.data() + old_size, static_cast<std::streamsize>(take)));
    }
    return added > 0;
  }
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

// What the exact reader reads when it takes over: `prefix`, the bytes held, then the rest of the
// source. A failure of the source met while reading ahead is rethrown where the bytes ran out.
template <typename Source>
class ResumedBytes {
 public:
  ResumedBytes(std::string_view prefix, std::string_view held, Source& rest,
               std::exception_ptr failure)
      : prefix_(prefix), held_(held), rest_(&rest), failure_(std::move(failure)) {}
  int next() {
    if (prefix_at_ < prefix_.size()) return static_cast<unsigned char>(prefix_[prefix_at_++]);
    if (held_at_ < held_.size()) return static_cast<unsigned char>(held_[held_at_++]);
    if (failure_) std::rethrow_exception(failure_);
    return rest_->next();
  }

 private:
  std::string_view prefix_;
  std::string_view held_;
  Source* rest_;
  std::exception_ptr failure_;
  std::size_t prefix_at_ = 0;
  std::size_t held_at_ = 0;
};

// The exact reader: nlohmann's SAX parser over the overflow filter. It decides every record the
// fast path leaves, and every malformed payload, so rejects and errors read as they always did.
template <typename Bytes>
std::size_t read_exactly(std::string_view origin, SensorRecordSink& sink, Bytes bytes,
                         PayloadReader::Start start) {
  sources_json::NumberOverflows overflows;
  sources_json::OverflowFilter<Bytes> filter(std::move(bytes), overflows);
  PayloadReader reader(sink, overflows, start);
  json::sax_parse(filter.begin(), filter.end(), &reader);
  reader.throw_if_not_a_payload(origin);
  return reader.record_count();
}

// One record held until the text after it is known to be well formed.
class HeldRecord final : public SensorRecordSink {
 public:
  void reading(SensorReading&& reading) override { reading_ = std::move(reading); }
  void rejected(RejectedRecord&& record) override { rejected_ = std::move(record); }
  void hand_to(SensorRecordSink& sink) && {
    if (reading_) sink.reading(std::move(*reading_));
    if (rejected_) sink.rejected(std::move(*rejected_));
  }

 private:
  std::optional<SensorReading> reading_;
  std::optional<RejectedRecord> rejected_;
};

// The element at the start of `text` (which runs on to the end of its batch) through the exact
// reader, handed to `sink` as record `position`. False, and nothing handed over, when that reader
// finds it or the token after it malformed.
bool read_element_exactly(std::string_view text, std::size_t position, SensorRecordSink& sink) {
  TextSource nothing_more({});
  sources_json::NumberOverflows overflows;
  using Bytes = ResumedBytes<TextSource>;
  sources_json::OverflowFilter<Bytes> filter(Bytes("[", text, nothing_more, nullptr), overflows);
  PayloadReader::Start start;
  start.first_position = position;
  start.emit_from = position;
  start.single_element = true;
  HeldRecord held;
  PayloadReader reader(held, overflows, start);
  json::sax_parse(filter.begin(), filter.end(), &reader);
  if (reader.failed() || reader.record_count() != position + 1) return false;
  std::move(held).hand_to(sink);
  return true;
}

namespace ondemand = simdjson::ondemand;
using sensor_feed::FastOutcome;

// ---- batches ---------------------------------------------------------------------------------

// The payload is parsed a batch of elements at a time, so memory stays bounded whatever its size
// (simdjson indexes a whole document at once, at several bytes of index per byte of text).
constexpr std::size_t kBatchBytes = std::size_t{1} << 20;
// Bytes held with no place to end a batch before the exact reader takes over.
constexpr std::size_t kMaxHeldBytes = 16 * kBatchBytes;

bool json_space(char c) {
  return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

// Reads a payload from `Source` a batch at a time: each batch with simdjson, each record the fast
// path cannot settle, and the rest of a payload simdjson cannot read, with the exact reader.
template <typename Source>
class BatchedPayload {
 public:
  BatchedPayload(std::string_view origin, SensorRecordSink& sink, Source& source)
      : origin_(origin), sink_(sink), source_(source) {}

  std::size_t parse() {
    while (true) {
      try {
        fill();
      } catch (...) {
        return read_rest_exactly(0, std::current_exception());
      }
      const std::size_t cut = exhausted_ ? std::string::npos : last_cut();
      if (!exhausted_ && cut == std::string::npos) {
        // Not a list of records, or one far larger than a batch: what is left streams through
        // the exact reader rather than being held whole.
        if (held_.size() >= kMaxHeldBytes) return read_rest_exactly(0, nullptr);
        continue;
      }
      const std::string_view held(held_);
      std::size_t settled = 0;
      if (!read_batch(exhausted_ ? held : held.substr(0, cut), settled)) {
        return read_rest_exactly(settled, nullptr);
      }
      records_ += settled;
      if (exhausted_) return records_;
      held_.erase(0, cut + 1);
      batch_offset_ += cut + 1;
      first_batch_ = false;
    }
  }

 private:
  // Appends about a batch of bytes to those held; exhausted_ once the source has no more.
  void fill() {
    const std::size_t target = held_.size() + kBatchBytes;
    while (held_.size() < target) {
      if (!source_.append(held_, target - held_.size())) {
        exhausted_ = true;
        return;
      }
    }
  }

  // The last comma between two records ('}' before it, '{' after it, whitespace aside): where a
  // batch may end. A guess: inside a string or a nested array, the batch fails to parse and the
  // exact reader takes over, so a wrong guess costs time, never a different result.
  std::size_t last_cut() const {
    for (std::size_t comma = held_.rfind(','); comma != std::string::npos && comma > 0;
         comma = held_.rfind(',', comma - 1)) {
      std::size_t after = comma + 1;
      while (after < held_.size() && json_space(held_[after])) ++after;
      if (after == held_.size() || held_[after] != '{') continue;
      std::size_t before = comma;
      while (before > 0 && json_space(held_[before - 1])) --before;
      if (before > 0 && held_[before - 1] == '}') return comma;
    }
    return std::string::npos;
  }

  // Parses `batch` (the payload's start when it is the first, elements after a comma otherwise)
  // as a document of its own. `settled`: how many of its records reached the sink. False when
  // the batch is no list of elements simdjson reads whole.
  bool read_batch(std::string_view batch, std::size_t& settled) {
    document_.assign(first_batch_ ? "" : "[");
    document_.append(batch);
    if (!exhausted_) document_ += ']';
    const std::size_t length = document_.size();
    document_.resize(length + simdjson::SIMDJSON_PADDING);
    ondemand::document document;
    ondemand::array array;
    if (parser_.iterate(document_.data(), length, document_.size()).get(document) ||
        document.get_array().get(array)) {
      return false;
    }
    const char* const end = document_.data() + length;
    for (auto result : array) {
      ondemand::value element;
      if (std::move(result).get(element)) return false;
      const std::string_view token = element.raw_json_token();
      SensorReading reading;
      switch (sensor_feed::read_fast(element, reading)) {
        case FastOutcome::reading:
          sink_.reading(std::move(reading));
          break;
        case FastOutcome::exact: {
          const std::string_view rest(token.data(), static_cast<std::size_t>(end - token.data()));
          if (!read_element_exactly(rest, records_ + settled, sink_)) return false;
          break;
        }
        case FastOutcome::broken:
          return false;
      }
      ++settled;
    }
    // Nothing may follow the array: current_location() fails only at the document's end.
    const char* trailing = nullptr;
    return document.current_location().get(trailing) == simdjson::OUT_OF_BOUNDS &&
           (first_batch_ || settled > 0);
  }

  // The exact reader from the current batch's start to the payload's end, past the records the
  // batch already handed over; `failure`: the source's, rethrown where its bytes ran out.
  std::size_t read_rest_exactly(std::size_t settled, std::exception_ptr failure) {
    // After a comma, "[0," stands for the elements before: "]" is still an error there.
    const std::string_view prefix = first_batch_ ? "" : "[0,";
    PayloadReader::Start start;
    start.first_position = first_batch_ ? 0 : records_ - 1;
    start.emit_from = records_ + settled;
    start.byte_offset =
        static_cast<std::ptrdiff_t>(batch_offset_) - static_cast<std::ptrdiff_t>(prefix.size());
    return read_exactly(origin_, sink_,
                        ResumedBytes<Source>(prefix, held_, source_, std::move(failure)), start);
  }

  std::string_view origin_;
  SensorRecordSink& sink_;
  Source& source_;
  ondemand::parser parser_;
  std::string held_;      // the payload's bytes from batch_offset_ on, as read so far
  std::string document_;  // the batch as a document, padded as simdjson reads it
  std::size_t batch_offset_ = 0;
  std::size_t records_ = 0;  // before the current batch
  bool first_batch_ = true;
  bool exhausted_ = false;
};

template <typename Source>
std::size_t parse_into(std::string_view origin, SensorRecordSink& sink, Source source) {
  return BatchedPayload<Source>(origin, sink, source).parse();
}

template <typename Source>
ParsedPayload collect(std::string_view origin, Source source) {
  ParsedPayload payload;
  CollectingSink sink(payload);
  payload.record_count = parse_into(origin, sink, std::move(source));
  return payload;
}

}  // namespace

ParsedPayload parse_sensor_payload(std::string_view body, std::string_view origin) {
  return collect(origin, TextSource(body));
}

ParsedPayload parse_sensor_payload(std::istream& body, std::string_view origin) {
  return collect(origin, StreamSource(body));
}

std::size_t stream_sensor_payload(std::istream& body, std::string_view origin,
                                  SensorRecordSink& sink) {
  return parse_into(origin, sink, StreamSource(body));
}

}  // namespace meteo
