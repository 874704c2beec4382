// Internal to the sources module: JSON objects that give one key twice.
//
// JSON grammar allows `{"lat": 1, "lat": 2}` and nlohmann's parser keeps the last value silently.
// A partner that sends two values for one field has a bug: which value it meant is unknowable,
// so such a record is rejected with the key named, never read as one of them.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace meteo::sources_json {

using Json = nlohmann::ordered_json;

// Parses a whole text as Json::parse does (the same exceptions), except that a key repeated in
// one object is kept beside the first, in order: nothing the partner sent is lost, the record's
// stored text shows both values, and first_duplicate_key finds it. Lookups (find) see the first.
Json parse_keeping_duplicate_keys(std::string_view text);

// Why a record is rejected when one of its objects gives a key twice, or nothing: "field \"lat\"
// appears twice" for the record's own fields, "key \"x\" appears twice in one object" deeper.
// Walks the record without recursion.
std::optional<std::string> duplicate_key_problem(const Json& record);

// The reason for `key` found twice: in the record's own fields or in an object nested in it.
std::string duplicate_key_reason(const std::string& key, bool record_field);

}  // namespace meteo::sources_json
