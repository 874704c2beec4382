// Internal to the sources module: JSON objects that give one key twice.
//
// JSON grammar allows `{"lat": 1, "lat": 2}` and nlohmann's parser keeps the last value silently.
// A partner that sends two values for one field has a bug: which value it meant is unknowable,
// so such a record is rejected with the key named, never read as one of them.
//
// The same parse can keep a number past a double's range as a marker (see number_overflow.hpp),
// so that it rejects the one record holding it rather than the whole text.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace meteo::sources_json {

using Json = nlohmann::ordered_json;

// What the parse does with a number past a double's range (`1e309`, valid JSON grammar).
enum class Overflows {
  thrown,  // Json::out_of_range, as Json::parse does
  marked,  // kept where it was as an overflow marker, for the record holding it to be rejected
};

// Parses a whole text as Json::parse does (the same exceptions), except that a key repeated in
// one object is kept beside the first, in order: nothing the partner sent is lost, the record's
// stored text shows both values, and first_duplicate_key finds it. Lookups (find) see the first.
Json parse_keeping_duplicate_keys(std::string_view text, Overflows overflows = Overflows::thrown);

// An overflow marker is a binary value holding the number's text: JSON text never produces one,
// and it is no number, so code unaware of it never reads it as one.
bool is_overflow_marker(const Json& value);
std::string overflow_text(const Json& marker);

// The first overflow marker in `value` (itself included), in document order, or nullptr. Walks
// `value` without recursion.
const Json* first_overflow(const Json& value);

// Why a record holding an overflow marker is rejected, or nothing: "field \"x\": number 1e309 is
// out of range (past a double's ±1.8e308)", without the field when it is nested deeper.
std::optional<std::string> overflow_problem(const Json& record);

// `value` with its overflow markers turned back into the `null` the parser was handed in their
// place: what a rejected record's stored text shows.
Json overflows_as_null(Json value);

// Why a record is rejected when one of its objects gives a key twice, or nothing: "field \"lat\"
// appears twice" for the record's own fields, "key \"x\" appears twice in one object" deeper.
// Walks the record without recursion.
std::optional<std::string> duplicate_key_problem(const Json& record);

// The reason for `key` found twice: in the record's own fields or in an object nested in it.
std::string duplicate_key_reason(const std::string& key, bool record_field);

}  // namespace meteo::sources_json
