// validate_sensor_record: every rule, and the exact reason a rejected record gets.
#include <gtest/gtest.h>

#include <string>
#include <variant>

#include "meteo/sources/sensor/payload.hpp"

namespace meteo {
namespace {

SensorReading accepted(const std::string& json) {
  auto outcome = validate_sensor_record(json);
  if (auto* reason = std::get_if<std::string>(&outcome)) {
    ADD_FAILURE() << "rejected: " << *reason << "\nrecord: " << json;
    return {};
  }
  return std::get<SensorReading>(std::move(outcome));
}

std::string rejection(const std::string& json) {
  auto outcome = validate_sensor_record(json);
  if (std::holds_alternative<SensorReading>(outcome)) {
    ADD_FAILURE() << "accepted: " << json;
    return {};
  }
  return std::get<std::string>(outcome);
}

// A valid record with one field replaced ("lat": <value>) or removed (value empty).
std::string record_with(const std::string& field, const std::string& value) {
  const std::pair<std::string, std::string> fields[] = {
      {"id", R"("a1b2")"},     {"timestamp", R"("2026-11-22T06:10:00Z")"},
      {"lat", "43.6"},         {"lon", "1.44"},
      {"temperature", "12.5"}, {"country", R"("France")"}};
  std::string json = "{";
  for (const auto& [name, default_value] : fields) {
    const std::string& chosen = name == field ? value : default_value;
    if (chosen.empty()) continue;
    if (json.size() > 1) json += ",";
    json += "\"" + name + "\":" + chosen;
  }
  return json + "}";
}

TEST(SensorRecord, AcceptsACompleteRecord) {
  const SensorReading r =
      accepted(R"({"id":"6f1c","timestamp":"2026-11-22T06:10:00Z","lat":43.6,"lon":1.44,)"
               R"("temperature":12.5,"country":"France"})");
  EXPECT_EQ(r.id, "6f1c");
  EXPECT_DOUBLE_EQ(r.latitude, 43.6);
  EXPECT_DOUBLE_EQ(r.longitude, 1.44);
  EXPECT_DOUBLE_EQ(r.temperature, 12.5);
  EXPECT_EQ(r.timestamp, "2026-11-22T06:10:00Z");
  EXPECT_EQ(r.country, "France");
}

TEST(SensorRecord, AcceptsIntegersAndIgnoresUnknownFields) {
  const SensorReading r =
      accepted(R"({"id":"x","lat":43,"lon":-1,"temperature":-3,"battery":0.8,"extra":{"a":[]}})");
  EXPECT_DOUBLE_EQ(r.latitude, 43);
  EXPECT_DOUBLE_EQ(r.longitude, -1);
  EXPECT_DOUBLE_EQ(r.temperature, -3);
}

TEST(SensorRecord, AcceptsTheBoundsThemselves) {
  accepted(R"({"id":"x","lat":-90,"lon":-180,"temperature":-90})");
  accepted(R"({"id":"x","lat":90,"lon":180,"temperature":60})");
  accepted(R"({"id":"x","lat":90.0,"lon":180.0,"temperature":6e1})");
}

TEST(SensorRecord, RejectsWhatIsNotAnObject) {
  EXPECT_EQ(rejection("[1,2]"), "record is not an object (array)");
  EXPECT_EQ(rejection(R"("sensor offline")"), "record is not an object (string)");
  EXPECT_EQ(rejection("12"), "record is not an object (number)");
  EXPECT_EQ(rejection("null"), "record is not an object (null)");
  EXPECT_EQ(rejection("true"), "record is not an object (boolean)");
}

TEST(SensorRecord, RejectsTextThatIsNotJson) {
  EXPECT_EQ(rejection(R"({"id":"x",)"),
            "record is not valid JSON at byte 10: syntax error while parsing object key - "
            "unexpected end of input; expected string literal");
}

TEST(SensorRecord, NamesEachMissingField) {
  for (const std::string field : {"id", "lat", "lon", "temperature"}) {
    EXPECT_EQ(rejection(record_with(field, "")), "missing field \"" + field + "\"");
  }
}

TEST(SensorRecord, FieldNamesAreCaseSensitive) {
  EXPECT_EQ(rejection(R"({"id":"x","Lat":43.6,"lon":1.4,"temperature":2})"),
            "missing field \"lat\"");
}

TEST(SensorRecord, IdMustBeANonEmptyString) {
  EXPECT_EQ(rejection(record_with("id", "12")), R"(field "id" is not a string (number 12))");
  EXPECT_EQ(rejection(record_with("id", "null")), R"(field "id" is not a string (null))");
  EXPECT_EQ(rejection(record_with("id", "true")), R"(field "id" is not a string (boolean true))");
  EXPECT_EQ(rejection(record_with("id", R"({"v":1})")),
            R"(field "id" is not a string (object {"v":1}))");
  EXPECT_EQ(rejection(record_with("id", R"("")")), R"(field "id" is empty)");
}

TEST(SensorRecord, CoordinatesAndTemperatureMustBeJsonNumbers) {
  EXPECT_EQ(rejection(record_with("temperature", R"("21.5")")),
            R"(field "temperature" is not a number (string "21.5"))");
  EXPECT_EQ(rejection(record_with("lat", R"("43.6")")),
            R"(field "lat" is not a number (string "43.6"))");
  EXPECT_EQ(rejection(record_with("lon", "true")), R"(field "lon" is not a number (boolean true))");
  EXPECT_EQ(rejection(record_with("lat", "null")), R"(field "lat" is not a number (null))");
  EXPECT_EQ(rejection(record_with("temperature", "[12]")),
            R"(field "temperature" is not a number (array [12]))");
}

TEST(SensorRecord, ShortensALongOffendingValue) {
  const std::string long_text(100, 'x');
  EXPECT_EQ(rejection(record_with("lat", "\"" + long_text + "\"")),
            R"(field "lat" is not a number (string ")" + std::string(36, 'x') + "...)");
}

TEST(SensorRecord, RejectsValuesOutsideTheirRange) {
  EXPECT_EQ(rejection(record_with("lat", "95.2")), "lat 95.2 is outside [-90, 90]");
  EXPECT_EQ(rejection(record_with("lat", "-90.5")), "lat -90.5 is outside [-90, 90]");
  EXPECT_EQ(rejection(record_with("lon", "180.01")), "lon 180.01 is outside [-180, 180]");
  EXPECT_EQ(rejection(record_with("lon", "-200")), "lon -200 is outside [-180, 180]");
  EXPECT_EQ(rejection(record_with("temperature", "60.5")), "temperature 60.5 is outside [-90, 60]");
  EXPECT_EQ(rejection(record_with("temperature", "-91")), "temperature -91 is outside [-90, 60]");
  EXPECT_EQ(rejection(record_with("lat", "18446744073709551615")),
            "lat 18446744073709551615 is outside [-90, 90]");
}

TEST(SensorRecord, ReportsTheFirstProblemInFieldOrder) {
  EXPECT_EQ(rejection(R"({"id":"","lat":"x","lon":999})"), R"(field "id" is empty)");
  EXPECT_EQ(rejection(R"({"id":"a","lat":999,"lon":"x"})"), "lat 999 is outside [-90, 90]");
}

TEST(SensorRecord, AHugeNumberIsRejectedAsInvalidJson) {
  // nlohmann refuses to overflow a double, so 1e999 never reaches the range check.
  EXPECT_EQ(rejection(record_with("lat", "1e999")),
            "record is not valid JSON: number overflow parsing '1e999'");
}

TEST(SensorRecord, ADeeplyNestedRecordIsRejectedUnread) {
  const std::string deep = std::string(100'000, '[') + std::string(100'000, ']');
  EXPECT_EQ(rejection(R"({"id":)" + deep + "}"), "record nests deeper than 64 levels");
  // Brackets inside strings do not count.
  accepted(record_with("id", "\"" + std::string(100, '[') + "\\\"{\""));
}

TEST(SensorRecord, TimestampAndCountryAreKeptAsGiven) {
  SensorReading r = accepted(record_with("timestamp", R"("  not a date ")"));
  EXPECT_EQ(r.timestamp, "  not a date ");
  r = accepted(record_with("country", R"("fr-FR ")"));
  EXPECT_EQ(r.country, "fr-FR ");
}

TEST(SensorRecord, NonStringTimestampAndCountryBecomeTheirCompactJson) {
  SensorReading r = accepted(record_with("timestamp", "1732255800"));
  EXPECT_EQ(r.timestamp, "1732255800");
  r = accepted(record_with("country", R"({ "code" : "FR", "n" : [1, 2] })"));
  EXPECT_EQ(r.country, R"({"code":"FR","n":[1,2]})");
  r = accepted(record_with("country", "false"));
  EXPECT_EQ(r.country, "false");
}

TEST(SensorRecord, NullOrMissingTimestampAndCountryAreAbsent) {
  SensorReading r = accepted(record_with("timestamp", "null"));
  EXPECT_FALSE(r.timestamp.has_value());
  r = accepted(record_with("timestamp", ""));
  EXPECT_FALSE(r.timestamp.has_value());
  r = accepted(record_with("country", "null"));
  EXPECT_FALSE(r.country.has_value());
  r = accepted(record_with("country", ""));
  EXPECT_FALSE(r.country.has_value());
}

TEST(SensorRecord, KeepsHostileStringsVerbatim) {
  SensorReading r = accepted(record_with("id", R"("'; DROP TABLE readings; --")"));
  EXPECT_EQ(r.id, "'; DROP TABLE readings; --");
  r = accepted(record_with("id", R"("<script>alert(1)</script>")"));
  EXPECT_EQ(r.id, "<script>alert(1)</script>");
  r = accepted(record_with("id", R"("tab\there \"quoted\" back\\slash")"));
  EXPECT_EQ(r.id, "tab\there \"quoted\" back\\slash");
  r = accepted(record_with("id", R"("nul\u0000byte")"));
  EXPECT_EQ(r.id, std::string("nul\0byte", 8));
  r = accepted(record_with("country", R"("Fran\u00e7e \ud83c\uddeb\ud83c\uddf7")"));
  EXPECT_EQ(r.country,
            "Fran\xC3\xA7"
            "e \xF0\x9F\x87\xAB\xF0\x9F\x87\xB7");
  r = accepted(record_with("timestamp", R"("2026-11-22T06:00:00Z\nINJECTED")"));
  EXPECT_EQ(r.timestamp, "2026-11-22T06:00:00Z\nINJECTED");
}

// Issue 15: the last of two values silently won. Which one the partner meant is unknowable.
TEST(SensorRecord, ADuplicateKeyRejectsTheRecordNamingTheKey) {
  EXPECT_EQ(rejection(R"({"id":"x","lat":1,"lat":2,"lon":3,"temperature":4})"),
            R"(field "lat" appears twice)");
  EXPECT_EQ(rejection(R"({"id":"x","lat":1,"lon":3,"temperature":4,"country":{"a":1,"a":1}})"),
            R"(key "a" appears twice in one object)");
  EXPECT_EQ(rejection(R"({"id":"x","lat":1,"lon":3,"temperature":4,"n":[{"b":1,"b":2}]})"),
            R"(key "b" appears twice in one object)");
  // Only within one object: the same key in sibling objects is no duplicate.
  accepted(R"({"id":"x","lat":1,"lon":3,"temperature":4,"country":[{"a":1},{"a":2}]})");
}

}  // namespace
}  // namespace meteo

namespace meteo {
namespace {

// Longer values could not be stored: they are rejected, never allowed to fail a whole run.
TEST(SensorRecordLimits, TextFieldsLongerThanTheirColumnsAreRejected) {
  const std::string long_text(256, 'x');
  const auto reason = [](const std::string& record) {
    auto result = validate_sensor_record(record);
    return std::holds_alternative<std::string>(result) ? std::get<std::string>(result) : "";
  };
  const std::string base = R"("lat": 43.6, "lon": 1.44, "temperature": 12.5)";
  EXPECT_EQ(reason(R"({"id": ")" + long_text + R"(", )" + base + "}"),
            "field \"id\" is longer than 255 bytes (256)");
  EXPECT_EQ(reason(R"({"id": "a", "timestamp": ")" + long_text + R"(", )" + base + "}"),
            "field \"timestamp\" is longer than 255 bytes (256)");
  EXPECT_EQ(reason(R"({"id": "a", "country": ")" + long_text + R"(", )" + base + "}"),
            "field \"country\" is longer than 255 bytes (256)");
  EXPECT_EQ(reason(R"({"id": ")" + std::string(255, 'x') + R"(", )" + base + "}"), "")
      << "255 bytes still fit";
}

}  // namespace
}  // namespace meteo
