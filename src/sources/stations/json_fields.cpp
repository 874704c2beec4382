// JSON helpers shared by the Opendatasoft station parsers.
#include "json_fields.hpp"

#include <string>
#include <utility>

#include "../duplicate_keys.hpp"
#include "../number_overflow.hpp"
#include "../quoted_text.hpp"
#include "meteo/core/errors.hpp"

namespace meteo::stations_json {
namespace {

// Offending values are quoted in reasons; a long one is shortened.
constexpr std::size_t kMaxQuotedChars = 60;

std::string shortened(std::string text) {
  return sources_text::shortened(std::move(text), kMaxQuotedChars);
}

// nlohmann's text without its "[json.exception.parse_error.101] parse error at line 1, column 7: "
// preamble (the byte offset is reported on its own), or without any other bare
// "[json.exception.<kind>.<id>] " tag.
std::string parse_error_detail(const std::string& what) {
  if (const auto colon = what.find(": "); colon != std::string::npos) return what.substr(colon + 2);
  const auto tag_end = what.find("] ");
  return tag_end == std::string::npos ? what : what.substr(tag_end + 2);
}

std::string prefix_of(std::string_view origin, std::string_view what) {
  return std::string(origin) + ": " + std::string(what);
}

Json parse_marking_overflows(std::string_view body, std::string_view origin,
                             std::string_view what) {
  try {
    // A record giving a key twice is rejected by its validation, naming the key.
    return sources_json::parse_keeping_duplicate_keys(body, sources_json::Overflows::marked);
  } catch (const Json::parse_error& error) {
    // `byte` counts the offending character itself, 1-based.
    const std::size_t byte = error.byte > 0 ? error.byte - 1 : 0;
    throw Error(ExitCode::data, prefix_of(origin, what) + " is not valid JSON at byte " +
                                    std::to_string(byte) + ": " + parse_error_detail(error.what()));
  } catch (const Json::exception& error) {
    throw Error(ExitCode::data, prefix_of(origin, what) +
                                    " is not valid JSON: " + parse_error_detail(error.what()));
  }
}

// A number past a double's range where no record holds it: the body itself is at fault.
[[noreturn]] void throw_overflow(const Json& marker, const std::string* field,
                                 std::string_view origin, std::string_view what) {
  throw Error(ExitCode::data,
              prefix_of(origin, what) + ": " +
                  sources_json::out_of_range_reason(sources_json::overflow_text(marker), field));
}

// The body's own keys only, without the records it holds.
Json envelope_of(const Json& body) {
  if (!body.is_object()) return nullptr;
  Json envelope = Json::object();
  for (const auto& field : body.get_ref<const Json::object_t&>()) {
    envelope.get_ref<Json::object_t&>().emplace_back(field.first, nullptr);
  }
  return envelope;
}

}  // namespace

Json parse(std::string_view body, std::string_view origin, std::string_view what) {
  Json document = parse_marking_overflows(body, origin, what);
  if (const Json* marker = sources_json::first_overflow(document)) {
    throw_overflow(*marker, nullptr, origin, what);
  }
  return document;
}

Json parse_records(std::string_view body, std::string_view origin, std::string_view what) {
  return parse_marking_overflows(body, origin, what);
}

const Json& record_array(const Json& body, std::string_view origin, std::string_view what) {
  if (body.is_array()) return body;
  if (sources_json::is_overflow_marker(body)) throw_overflow(body, nullptr, origin, what);
  // The envelope itself giving "results" (or any key) twice: which one is meant is unknowable.
  if (auto problem = sources_json::duplicate_key_problem(envelope_of(body))) {
    throw Error(ExitCode::data, std::string(origin) + ": " + std::string(what) + ": " + *problem);
  }
  if (body.is_object()) {
    // The envelope is no record to reject: a number past a double's range there breaks the page.
    for (const auto& [name, value] : body.get_ref<const Json::object_t&>()) {
      if (name == "results" && value.is_array()) continue;
      if (const Json* marker = sources_json::first_overflow(value)) {
        throw_overflow(*marker, marker == &value ? &name : nullptr, origin, what);
      }
    }
    const auto results = body.find("results");
    if (results != body.end() && results->is_array()) return *results;
  }
  const std::string prefix = std::string(origin) + ": " + std::string(what);
  if (body.is_object()) throw Error(ExitCode::data, prefix + " has no \"results\" array");
  throw Error(ExitCode::data, prefix + " is a JSON " + body.type_name() +
                                  ", expected an array of records or {\"results\": [...]}");
}

std::string compact(const Json& value) {
  const auto dump = [](const Json& json) {
    return json.dump(-1, ' ', false, Json::error_handler_t::replace);
  };
  if (sources_json::first_overflow(value) == nullptr) return dump(value);
  return dump(sources_json::overflows_as_null(value));
}

std::string describe(const Json& value) {
  if (value.is_null()) return "null";
  return std::string(value.type_name()) + " " + shortened(compact(value));
}

}  // namespace meteo::stations_json
