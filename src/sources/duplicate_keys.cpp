#include "duplicate_keys.hpp"

#include <algorithm>
#include <utility>
#include <vector>

#include "number_overflow.hpp"
#include "quoted_text.hpp"

namespace meteo::sources_json {
namespace {

constexpr std::size_t kMaxQuotedChars = 40;

// Builds the DOM as nlohmann's own builder does, but appends a repeated key instead of
// overwriting the first value.
class KeepingBuilder final : public nlohmann::json_sax<Json> {
 public:
  // `overflows`: the queue of an OverflowFilter the text is read through, or nullptr.
  explicit KeepingBuilder(NumberOverflows* overflows) : overflows_(overflows) {}

  Json take() && { return std::move(root_); }

  bool null() override {
    // An overflowing number arrives as null, its text queued by the filter.
    if (overflows_ == nullptr || overflows_->empty()) return add(Json(nullptr));
    const std::string& text = overflows_->front();
    add(Json::binary(Json::binary_t::container_type(text.begin(), text.end())));
    overflows_->pop_front();
    return true;
  }
  bool boolean(bool value) override { return add(Json(value)); }
  bool number_integer(number_integer_t value) override { return add(Json(value)); }
  bool number_unsigned(number_unsigned_t value) override { return add(Json(value)); }
  bool number_float(number_float_t value, const string_t&) override { return add(Json(value)); }
  // Copied, not moved: the lexer reuses this buffer for the next token.
  bool string(string_t& value) override { return add(Json(value)); }
  bool binary(binary_t& value) override { return add(Json(value)); }
  bool key(string_t& name) override {
    key_ = name;
    return true;
  }
  bool start_object(std::size_t) override { return open(Json::object()); }
  bool end_object() override { return close(); }
  bool start_array(std::size_t) override { return open(Json::array()); }
  bool end_array() override { return close(); }

  // Rethrown as the type Json::parse throws, so callers catch the same exceptions.
  bool parse_error(std::size_t, const std::string&,
                   const nlohmann::detail::exception& error) override {
    switch (error.id / 100) {
      case 1:
        throw static_cast<const Json::parse_error&>(error);
      case 4:
        throw static_cast<const Json::out_of_range&>(error);
      default:
        throw Json::exception(error);
    }
  }

 private:
  // Only the chain of open containers is pointed to, each the last child of its parent (objects
  // are appended to, never overwritten), so adding a child never invalidates a pointer.
  Json& insert(Json&& value) {
    if (open_.empty()) return root_ = std::move(value);
    Json& parent = *open_.back();
    if (parent.is_object()) {
      auto& object = parent.get_ref<Json::object_t&>();
      object.emplace_back(key_, std::move(value));
      return object.back().second;
    }
    parent.push_back(std::move(value));
    return parent.back();
  }
  bool add(Json&& value) {
    insert(std::move(value));
    return true;
  }
  bool open(Json&& container) {
    open_.push_back(&insert(std::move(container)));
    return true;
  }
  bool close() {
    open_.pop_back();
    return true;
  }

  NumberOverflows* overflows_;
  Json root_;
  std::vector<Json*> open_;
  std::string key_;
};

// A key given twice in this one object, if any: the first repeated one in a record's usual few
// fields, and one found by sorting in a big object (so a hostile one costs n log n, not n^2).
const std::string* repeated_key(const Json::object_t& object) {
  constexpr std::size_t kFewFields = 32;
  if (object.size() <= kFewFields) {
    for (auto it = object.begin(); it != object.end(); ++it) {
      const auto same = [&](const auto& field) { return field.first == it->first; };
      if (std::any_of(object.begin(), it, same)) return &it->first;
    }
    return nullptr;
  }
  std::vector<const std::string*> keys;
  keys.reserve(object.size());
  for (const auto& field : object) keys.push_back(&field.first);
  std::sort(keys.begin(), keys.end(), [](const auto* a, const auto* b) { return *a < *b; });
  const auto twice = std::adjacent_find(keys.begin(), keys.end(),
                                        [](const auto* a, const auto* b) { return *a == *b; });
  return twice == keys.end() ? nullptr : *twice;
}

}  // namespace

Json parse_keeping_duplicate_keys(std::string_view text, Overflows overflows) {
  if (overflows == Overflows::thrown) {
    KeepingBuilder builder(nullptr);
    Json::sax_parse(text.begin(), text.end(), &builder);
    return std::move(builder).take();
  }
  NumberOverflows queue;
  OverflowFilter<TextBytes> filter(TextBytes(text), queue);
  KeepingBuilder builder(&queue);
  Json::sax_parse(filter.begin(), filter.end(), &builder);
  return std::move(builder).take();
}

bool is_overflow_marker(const Json& value) {
  return value.is_binary();
}

std::string overflow_text(const Json& marker) {
  const auto& bytes = marker.get_binary();
  return std::string(bytes.begin(), bytes.end());
}

const Json* first_overflow(const Json& value) {
  std::vector<const Json*> pending{&value};
  while (!pending.empty()) {
    const Json& next = *pending.back();
    pending.pop_back();
    if (is_overflow_marker(next)) return &next;
    // Children pushed last first, so they are visited in document order.
    if (next.is_object()) {
      const auto& object = next.get_ref<const Json::object_t&>();
      for (auto it = object.rbegin(); it != object.rend(); ++it) pending.push_back(&it->second);
    } else if (next.is_array()) {
      const auto& array = next.get_ref<const Json::array_t&>();
      for (auto it = array.rbegin(); it != array.rend(); ++it) pending.push_back(&*it);
    }
  }
  return nullptr;
}

std::optional<std::string> overflow_problem(const Json& record) {
  const Json* marker = first_overflow(record);
  if (marker == nullptr) return std::nullopt;
  const std::string* field = nullptr;
  if (record.is_object()) {
    for (const auto& [name, value] : record.get_ref<const Json::object_t&>()) {
      if (&value == marker) field = &name;
    }
  }
  return out_of_range_reason(overflow_text(*marker), field);
}

Json overflows_as_null(Json value) {
  std::vector<Json*> pending{&value};
  while (!pending.empty()) {
    Json& next = *pending.back();
    pending.pop_back();
    if (is_overflow_marker(next)) {
      next = nullptr;
    } else if (next.is_object()) {
      for (auto& field : next.get_ref<Json::object_t&>()) pending.push_back(&field.second);
    } else if (next.is_array()) {
      for (auto& element : next.get_ref<Json::array_t&>()) pending.push_back(&element);
    }
  }
  return value;
}

std::string duplicate_key_reason(const std::string& key, bool record_field) {
  const std::string quoted = sources_text::shortened(
      Json(key).dump(-1, ' ', false, Json::error_handler_t::replace), kMaxQuotedChars);
  return record_field ? "field " + quoted + " appears twice"
                      : "key " + quoted + " appears twice in one object";
}

std::optional<std::string> duplicate_key_problem(const Json& record) {
  std::vector<const Json*> pending{&record};
  while (!pending.empty()) {
    const Json& value = *pending.back();
    pending.pop_back();
    if (value.is_object()) {
      if (const std::string* key = repeated_key(value.get_ref<const Json::object_t&>())) {
        return duplicate_key_reason(*key, &value == &record);
      }
      for (const auto& field : value.get_ref<const Json::object_t&>()) {
        pending.push_back(&field.second);
      }
    } else if (value.is_array()) {
      for (const Json& element : value) pending.push_back(&element);
    }
  }
  return std::nullopt;
}

}  // namespace meteo::sources_json
