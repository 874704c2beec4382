// parse_sensor_payload: payload-level errors, positions of rejected records, order and duplicates.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <istream>
#include <stdexcept>
#include <streambuf>
#include <string>
#include <vector>

#include "meteo/core/errors.hpp"
#include "meteo/sources/sensor/payload.hpp"

namespace meteo {
namespace {

constexpr const char* kOrigin = "http://127.0.0.1:8080/sensor/temperatures";

std::string reading(const std::string& id, double temperature) {
  return R"({"id":")" + id + R"(","timestamp":"2026-11-22T06:00:00Z","lat":45.2,"lon":4.1,)" +
         R"("temperature":)" + std::to_string(temperature) + R"(,"country":"France"})";
}

// The Error parse_sensor_payload throws for `body`, or a test failure when it does not throw.
Error payload_error(const std::string& body) {
  try {
    parse_sensor_payload(body, kOrigin);
  } catch (const Error& error) {
    return error;
  }
  ADD_FAILURE() << "accepted: " << body;
  return Error(ExitCode::ok, "");
}

TEST(SensorPayload, AnEmptyArrayHasNoRecords) {
  const ParsedPayload payload = parse_sensor_payload(" [ ] \n", kOrigin);
  EXPECT_EQ(payload.record_count, 0u);
  EXPECT_TRUE(payload.readings.empty());
  EXPECT_TRUE(payload.rejected.empty());
}

TEST(SensorPayload, KeepsValidRecordsInOrderWithDuplicates) {
  const std::string body =
      "[" + reading("a", 1) + "," + reading("b", 2) + "," + reading("a", 3) + "]";
  const ParsedPayload payload = parse_sensor_payload(body, kOrigin);
  EXPECT_EQ(payload.record_count, 3u);
  ASSERT_EQ(payload.readings.size(), 3u);
  EXPECT_EQ(payload.readings[0].id, "a");
  EXPECT_EQ(payload.readings[1].id, "b");
  EXPECT_EQ(payload.readings[2].id, "a");
  EXPECT_DOUBLE_EQ(payload.readings[0].temperature, 1);
  EXPECT_DOUBLE_EQ(payload.readings[2].temperature, 3);
  EXPECT_TRUE(payload.rejected.empty());
}

// A stream whose buffer hands out a few bytes at a time, as an archive reader does a chunk.
class SmallChunks final : public std::streambuf {
 public:
  explicit SmallChunks(std::string text) : text_(std::move(text)) {}

 protected:
  int_type underflow() override {
    if (next_ == text_.size()) return traits_type::eof();
    const std::size_t size = std::min<std::size_t>(3, text_.size() - next_);
    setg(text_.data() + next_, text_.data() + next_, text_.data() + next_ + size);
    next_ += size;
    return traits_type::to_int_type(*gptr());
  }

 private:
  std::string text_;
  std::size_t next_ = 0;
};

TEST(SensorPayload, AStreamParsesAsItsWholeText) {
  const std::string body =
      "[" + reading("a", 1) + R"(, {"id": "b", "lat": 95, "lon": 1},)" + reading("c", 3) + "]";
  const ParsedPayload whole = parse_sensor_payload(body, kOrigin);
  SmallChunks chunks(body);
  std::istream stream(&chunks);
  const ParsedPayload streamed = parse_sensor_payload(stream, kOrigin);
  EXPECT_EQ(streamed.record_count, whole.record_count);
  ASSERT_EQ(streamed.readings.size(), 2u);
  EXPECT_EQ(streamed.readings[1].id, whole.readings[1].id);
  ASSERT_EQ(streamed.rejected.size(), 1u);
  EXPECT_EQ(streamed.rejected[0].reason, whole.rejected[0].reason);

  SmallChunks cut(body.substr(0, 40));
  std::istream cut_stream(&cut);
  try {
    parse_sensor_payload(cut_stream, kOrigin);
    ADD_FAILURE() << "a cut body was accepted";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ExitCode::data);
    EXPECT_EQ(std::string(error.what()), payload_error(body.substr(0, 40)).what());
  }
}

// What a sink saw, in the order it saw it.
class RecordingSink final : public SensorRecordSink {
 public:
  void reading(SensorReading&& reading) override { events.push_back("reading " + reading.id); }
  void rejected(RejectedRecord&& record) override {
    events.push_back("rejected " + std::to_string(record.position));
  }
  std::vector<std::string> events;
};

TEST(SensorPayload, AStreamHandsEachRecordToTheSinkInPayloadOrder) {
  const std::string body =
      "[" + reading("a", 1) + R"(, {"id": "b", "lat": 95, "lon": 1},)" + reading("c", 3) + "]";
  SmallChunks chunks(body);
  std::istream stream(&chunks);
  RecordingSink sink;
  EXPECT_EQ(stream_sensor_payload(stream, kOrigin, sink), 3u);
  EXPECT_EQ(sink.events, (std::vector<std::string>{"reading a", "rejected 1", "reading c"}));
}

TEST(SensorPayload, AStreamCutShortThrowsAfterTheRecordsBeforeTheCut) {
  // The caller sees the first record before the error: a consumer that must be all-or-nothing
  // checks the payload in a first pass (or rolls back), as the sensor job does.
  const std::string body = "[" + reading("a", 1) + "," + reading("b", 2);
  SmallChunks chunks(body.substr(0, body.size() - 20));
  std::istream stream(&chunks);
  RecordingSink sink;
  try {
    stream_sensor_payload(stream, kOrigin, sink);
    ADD_FAILURE() << "a cut body was accepted";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ExitCode::data);
  }
  EXPECT_EQ(sink.events, (std::vector<std::string>{"reading a"}));
}

TEST(SensorPayload, RejectedRecordsKeepTheirPositionReasonAndText) {
  const std::string body =
      "[" + reading("a", 1) + R"(, {"id": "b", "lat": "43.6", "lon": 1, "temperature": 2},)" +
      reading("c", 3) + R"(, [1, 2], "offline", null, {"nested": {"deep": [1, {"x": null}]}}])";
  const ParsedPayload payload = parse_sensor_payload(body, kOrigin);
  EXPECT_EQ(payload.record_count, 7u);
  ASSERT_EQ(payload.readings.size(), 2u);
  EXPECT_EQ(payload.readings[1].id, "c");
  ASSERT_EQ(payload.rejected.size(), 5u);

  EXPECT_EQ(payload.rejected[0].position, 1u);
  EXPECT_EQ(payload.rejected[0].reason, R"(field "lat" is not a number (string "43.6"))");
  EXPECT_EQ(payload.rejected[0].record_json, R"({"id":"b","lat":"43.6","lon":1,"temperature":2})");

  EXPECT_EQ(payload.rejected[1].position, 3u);
  EXPECT_EQ(payload.rejected[1].reason, "record is not an object (array)");
  EXPECT_EQ(payload.rejected[1].record_json, "[1,2]");

  EXPECT_EQ(payload.rejected[2].position, 4u);
  EXPECT_EQ(payload.rejected[2].reason, "record is not an object (string)");
  EXPECT_EQ(payload.rejected[2].record_json, R"("offline")");

  EXPECT_EQ(payload.rejected[3].position, 5u);
  EXPECT_EQ(payload.rejected[3].record_json, "null");

  EXPECT_EQ(payload.rejected[4].position, 6u);
  EXPECT_EQ(payload.rejected[4].reason, R"(missing field "id")");
  EXPECT_EQ(payload.rejected[4].record_json, R"({"nested":{"deep":[1,{"x":null}]}})");
}

TEST(SensorPayload, HostileStringsSurviveInReadingsAndRejections) {
  const std::string body =
      R"([{"id":"x\"); DELETE FROM t; --","lat":1,"lon":2,"temperature":3,"country":"<b>\u00e9</b>"},)"
      R"({"id":"\u2028","lat":"\u0000","lon":2,"temperature":3}])";
  const ParsedPayload payload = parse_sensor_payload(body, kOrigin);
  ASSERT_EQ(payload.readings.size(), 1u);
  EXPECT_EQ(payload.readings[0].id, "x\"); DELETE FROM t; --");
  EXPECT_EQ(payload.readings[0].country, "<b>\xC3\xA9</b>");
  ASSERT_EQ(payload.rejected.size(), 1u);
  EXPECT_EQ(payload.rejected[0].record_json,
            "{\"id\":\"\xE2\x80\xA8\",\"lat\":\"\\u0000\",\"lon\":2,\"temperature\":3}");
}

TEST(SensorPayload, TimestampAndCountryAreKeptAsGiven) {
  const ParsedPayload payload = parse_sensor_payload(
      R"([{"id":"a","lat":1,"lon":2,"temperature":3,"timestamp":"yesterday-ish","country":"FR"},)"
      R"({"id":"b","lat":1,"lon":2,"temperature":3,"timestamp":1732255800,"country":["FR"]},)"
      R"({"id":"c","lat":1,"lon":2,"temperature":3,"timestamp":null}])",
      kOrigin);
  ASSERT_EQ(payload.readings.size(), 3u);
  EXPECT_EQ(payload.readings[0].timestamp, "yesterday-ish");
  EXPECT_EQ(payload.readings[0].country, "FR");
  EXPECT_EQ(payload.readings[1].timestamp, "1732255800");
  EXPECT_EQ(payload.readings[1].country, R"(["FR"])");
  EXPECT_FALSE(payload.readings[2].timestamp.has_value());
  EXPECT_FALSE(payload.readings[2].country.has_value());
}

TEST(SensorPayload, ADeeplyNestedRecordIsRejectedWithoutRecursion) {
  const int levels = 200'000;  // would overflow the stack if dumped recursively
  const std::string deep = std::string(levels, '[') + std::string(levels, ']');
  const std::string body =
      "[" + deep + "," + reading("after", 1) + R"(,{"id":"x","n":)" + deep + "}]";
  const ParsedPayload payload = parse_sensor_payload(body, kOrigin);
  EXPECT_EQ(payload.record_count, 3u);
  ASSERT_EQ(payload.readings.size(), 1u);
  EXPECT_EQ(payload.readings[0].id, "after");
  ASSERT_EQ(payload.rejected.size(), 2u);
  EXPECT_EQ(payload.rejected[0].position, 0u);
  // Issue 15: a 128-byte reconstruction was stored. Now its text's first 4096 bytes, and its
  // length in the reason.
  EXPECT_EQ(payload.rejected[0].reason,
            "record nests deeper than 64 levels (400000 bytes of compact JSON, the first 4096 "
            "kept)");
  EXPECT_EQ(payload.rejected[0].record_json, std::string(4096, '['));
  EXPECT_EQ(payload.rejected[1].position, 2u);
  EXPECT_EQ(payload.rejected[1].reason,
            "record nests deeper than 64 levels (400015 bytes of compact JSON, the first 4096 "
            "kept)");
  EXPECT_EQ(payload.rejected[1].record_json, R"({"id":"x","n":)" + std::string(4082, '['));
}

TEST(SensorPayload, ATooDeepRecordThatFitsIsStoredWholeAsCompactJson) {
  // 66 levels, with siblings before and after the deep part at every kind of level.
  const std::string deep = std::string(64, '[') + "1, \"\u00e9\", {}" + std::string(64, ']');
  const std::string record =
      R"({ "id" : "x", "a": [1, {"k": )" + deep + R"(, "z": null}], "t": 2 })";
  const ParsedPayload payload = parse_sensor_payload("[" + record + "]", kOrigin);
  ASSERT_EQ(payload.rejected.size(), 1u);
  EXPECT_EQ(payload.rejected[0].reason, "record nests deeper than 64 levels");
  const std::string compact_deep = std::string(64, '[') + "1,\"\u00e9\",{}" + std::string(64, ']');
  EXPECT_EQ(payload.rejected[0].record_json,
            R"({"id":"x","a":[1,{"k":)" + compact_deep + R"(,"z":null}],"t":2})");
}

TEST(SensorPayload, ATooDeepRecordCutInsideACharacterKeepsValidUtf8) {
  // "é" is 2 bytes: placed so that the 4096-byte cut falls between them.
  const std::string record = "[\"" + std::string(4093, 'a') + "\u00e9\"," + std::string(70, '[') +
                             std::string(70, ']') + "]";
  const ParsedPayload payload = parse_sensor_payload("[" + record + "]", kOrigin);
  ASSERT_EQ(payload.rejected.size(), 1u);
  EXPECT_EQ(payload.rejected[0].record_json, "[\"" + std::string(4093, 'a'));
}

// Issue 15: the last of two values silently won.
TEST(SensorPayload, ARecordGivingAKeyTwiceIsRejectedAndStoredWithBothValues) {
  const std::string twice = R"({"id":"b","lat":45.2,"lon":4.1,"temperature":3,"temperature":30})";
  const std::string nested = R"({"id":"c","lat":45.2,"lon":4.1,"temperature":3,)"
                             R"("country":{"code":"FR","code":"IT"}})";
  const ParsedPayload payload = parse_sensor_payload(
      "[" + reading("a", 1) + "," + twice + "," + nested + "," + reading("d", 2) + "]", kOrigin);
  EXPECT_EQ(payload.record_count, 4u);
  ASSERT_EQ(payload.readings.size(), 2u);
  EXPECT_EQ(payload.readings[1].id, "d");
  ASSERT_EQ(payload.rejected.size(), 2u);
  EXPECT_EQ(payload.rejected[0].position, 1u);
  EXPECT_EQ(payload.rejected[0].reason, R"(field "temperature" appears twice)");
  EXPECT_EQ(payload.rejected[0].record_json, twice);
  EXPECT_EQ(payload.rejected[1].reason, R"(key "code" appears twice in one object)");
  EXPECT_EQ(payload.rejected[1].record_json, nested);
}

TEST(SensorPayload, SixtyFourLevelsAreStillARecord) {
  const std::string nested = std::string(63, '[') + std::string(63, ']');
  const ParsedPayload payload = parse_sensor_payload(
      R"([{"id":"a","lat":1,"lon":2,"temperature":3,"country":)" + nested + "}]", kOrigin);
  ASSERT_EQ(payload.readings.size(), 1u);
  EXPECT_EQ(payload.readings[0].country, nested);
}

TEST(SensorPayload, ATruncatedBodyIsADataErrorNamingOriginAndByte) {
  const std::string body = "[" + reading("a", 1) + "," + reading("b", 2);
  const std::string cut = body.substr(0, body.size() - 20);
  const Error error = payload_error(cut);
  EXPECT_EQ(error.code(), ExitCode::data);
  const std::string expected_start = std::string(kOrigin) + ": payload is not valid JSON at byte " +
                                     std::to_string(cut.size()) + ": ";
  EXPECT_EQ(std::string(error.what()).rfind(expected_start, 0), 0u) << error.what();
}

TEST(SensorPayload, TheByteOffsetPointsAtTheOffendingCharacter) {
  const Error error = payload_error(R"([{"id":"a"} x])");
  EXPECT_EQ(std::string(error.what())
                .rfind(std::string(kOrigin) + ": payload is not valid JSON at byte 12: ", 0),
            0u)
      << error.what();
}

TEST(SensorPayload, AnEmptyBodyIsNotJson) {
  const Error error = payload_error("");
  EXPECT_EQ(error.code(), ExitCode::data);
  EXPECT_NE(std::string(error.what()).find("payload is not valid JSON at byte 0"),
            std::string::npos)
      << error.what();
}

TEST(SensorPayload, TrailingGarbageIsNotJson) {
  const Error error = payload_error("[]]");
  EXPECT_EQ(error.code(), ExitCode::data);
  EXPECT_NE(std::string(error.what()).find("payload is not valid JSON at byte 2"),
            std::string::npos)
      << error.what();
}

TEST(SensorPayload, AnHtmlErrorPageIsNotJson) {
  const Error error = payload_error("<html><body>502 Bad Gateway</body></html>");
  EXPECT_NE(std::string(error.what()).find("payload is not valid JSON at byte 0"),
            std::string::npos)
      << error.what();
}

TEST(SensorPayload, AnObjectIsNotAPayload) {
  const Error error = payload_error(R"({"error": "invalid api key"})");
  EXPECT_EQ(error.code(), ExitCode::data);
  EXPECT_EQ(std::string(error.what()),
            std::string(kOrigin) + ": payload is a JSON object, expected an array of readings");
}

TEST(SensorPayload, AScalarIsNotAPayload) {
  EXPECT_EQ(std::string(payload_error(R"("hello")").what()),
            std::string(kOrigin) + ": payload is a JSON string, expected an array of readings");
  EXPECT_EQ(std::string(payload_error("42").what()),
            std::string(kOrigin) + ": payload is a JSON number, expected an array of readings");
  EXPECT_EQ(std::string(payload_error("null").what()),
            std::string(kOrigin) + ": payload is a JSON null, expected an array of readings");
}

TEST(SensorPayload, InvalidJsonWinsOverTheWrongTopLevelType) {
  const Error error = payload_error(R"({"a": )");
  EXPECT_NE(std::string(error.what()).find("payload is not valid JSON"), std::string::npos);
}

// 1e999 is valid JSON grammar: the record holding it is rejected, never the payload.
TEST(SensorPayload, ANumberOverflowingADoubleRejectsItsRecordOnly) {
  const std::string body = R"([{"id":"a","lat":1e999,"lon":1,"temperature":2},)" + reading("b", 3) +
                           R"(,-1e999,{"id":"c","extra":[[1E+400]]},)" + std::string(400, '9') +
                           "," + reading("d", 4) + "]";
  const ParsedPayload payload = parse_sensor_payload(body, kOrigin);
  EXPECT_EQ(payload.record_count, 6u);
  ASSERT_EQ(payload.readings.size(), 2u);
  EXPECT_EQ(payload.readings[0].id, "b");
  EXPECT_EQ(payload.readings[1].id, "d");
  ASSERT_EQ(payload.rejected.size(), 4u);
  EXPECT_EQ(payload.rejected[0].position, 0u);
  EXPECT_EQ(payload.rejected[0].reason,
            R"(field "lat": number 1e999 is out of range (past a double's ±1.8e308))");
  EXPECT_EQ(payload.rejected[0].record_json, R"({"id":"a","lat":null,"lon":1,"temperature":2})");
  EXPECT_EQ(payload.rejected[1].position, 2u);
  EXPECT_EQ(payload.rejected[1].reason, "number -1e999 is out of range (past a double's ±1.8e308)");
  EXPECT_EQ(payload.rejected[2].position, 3u);
  EXPECT_EQ(payload.rejected[2].reason, "number 1E+400 is out of range (past a double's ±1.8e308)");
  EXPECT_EQ(payload.rejected[3].position, 4u);
  EXPECT_NE(payload.rejected[3].reason.find("is out of range"), std::string::npos);
}

TEST(SensorPayload, NumbersNearTheEdgesOfADoubleAndInsideStringsAreNotOverflows) {
  const std::string body =
      R"([{"id":"1e999","lat":1e-999,"lon":1.7e308,"temperature":2,"country":"-1e999"},)"
      R"({"id":"b","lat":0.0000e999,"lon":1,"temperature":1.2e29}])";
  const ParsedPayload payload = parse_sensor_payload(body, kOrigin);
  ASSERT_EQ(payload.rejected.size(), 2u);
  EXPECT_EQ(payload.rejected[0].reason, "lon 1.7e+308 is outside [-180, 180]");
  EXPECT_EQ(payload.rejected[1].reason, "temperature 1.2e+29 is outside [-90, 60]");
}

TEST(SensorPayload, AStreamRejectsAnOverflowingNumberAsTheTextDoes) {
  const std::string body = "[" + reading("a", 1) + R"(,{"id":"b","lat":2e308,"lon":1,)" +
                           R"("temperature":2},)" + reading("c", 3) + "]";
  SmallChunks chunks(body);
  std::istream stream(&chunks);
  RecordingSink sink;
  EXPECT_EQ(stream_sensor_payload(stream, kOrigin, sink), 3u);
  EXPECT_EQ(sink.events, (std::vector<std::string>{"reading a", "rejected 1", "reading c"}));
}

TEST(SensorPayload, AfterAnOverflowingNumberErrorsStillPointAtTheirByte) {
  const Error error = payload_error("[1e999 x]");
  EXPECT_NE(std::string(error.what()).find("not valid JSON at byte 7:"), std::string::npos)
      << error.what();
  const Error malformed = payload_error("[01e999]");
  EXPECT_NE(std::string(malformed.what()).find("not valid JSON at byte"), std::string::npos)
      << "a malformed number stays the parser's to report: " << malformed.what();
}

TEST(SensorPayload, InvalidUtf8IsNotJsonAndTheMessageShowsTheByteAsText) {
  const Error error = payload_error("[{\"id\":\"\xFF\"}]");
  const std::string message = error.what();
  EXPECT_NE(message.find("payload is not valid JSON at byte"), std::string::npos) << message;
  EXPECT_EQ(message.find('\xFF'), std::string::npos) << "the raw byte must not reach the ledger";
  EXPECT_NE(message.find("\\xFF"), std::string::npos) << message;
}

// ---- payloads parsed a batch (about 1 MiB) at a time --------------------------------------------

// `count` records of about 150 bytes, every 1000th rejected (lat 95): a few batches' worth.
std::string many_records(std::size_t count) {
  std::string body = "[";
  for (std::size_t i = 0; i < count; ++i) {
    if (i > 0) body += ",\n";
    body += i % 1000 == 999 ? R"({"id": ")" + std::to_string(i) + R"(", "lat": 95, "lon": 1})"
                            : reading(std::to_string(i), 1);
  }
  return body + "]";
}

TEST(SensorPayload, ABodyOfSeveralBatchesKeepsEveryRecordAndPosition) {
  const std::string body = many_records(30000);
  ASSERT_GT(body.size(), 3u << 20);
  const ParsedPayload payload = parse_sensor_payload(body, kOrigin);
  EXPECT_EQ(payload.record_count, 30000u);
  ASSERT_EQ(payload.readings.size(), 29970u);
  EXPECT_EQ(payload.readings.back().id, "29998");
  ASSERT_EQ(payload.rejected.size(), 30u);
  EXPECT_EQ(payload.rejected[29].position, 29999u);
  EXPECT_EQ(payload.rejected[29].reason, "lat 95 is outside [-90, 90]");

  SmallChunks chunks(body);
  std::istream stream(&chunks);
  const ParsedPayload streamed = parse_sensor_payload(stream, kOrigin);
  EXPECT_EQ(streamed.record_count, payload.record_count);
  EXPECT_EQ(streamed.readings.size(), payload.readings.size());
  ASSERT_EQ(streamed.rejected.size(), payload.rejected.size());
  EXPECT_EQ(streamed.rejected[29].position, 29999u);
}

TEST(SensorPayload, ARecordSeparatorInsideAStringAcrossABatchEndIsText) {
  // Batches end at the last "},{" read so far: here it lies inside an id spanning the first
  // batch's end, so that guess fails and the records are still read as the text says.
  std::string body = "[";
  while (body.size() < (1u << 20) - 200)
    body += reading("r" + std::to_string(body.size()), 1) + ",";
  std::string id;
  while (id.size() + 3 <= 255) id += "},{";
  body += reading(id, 2) + "," + reading("last", 3) + "]";
  const ParsedPayload payload = parse_sensor_payload(body, kOrigin);
  ASSERT_GE(payload.readings.size(), 2u);
  EXPECT_EQ(payload.readings[payload.readings.size() - 2].id, id);
  EXPECT_EQ(payload.readings.back().id, "last");
  EXPECT_EQ(payload.record_count, payload.readings.size());
}

TEST(SensorPayload, AnErrorInALaterBatchNamesItsByteInTheWholeBody) {
  std::string body = many_records(20000);
  const std::size_t garbage = body.size() - 30;
  body.insert(garbage, "x");
  const Error error = payload_error(body);
  EXPECT_NE(std::string(error.what())
                .find("payload is not valid JSON at byte " + std::to_string(garbage) + ":"),
            std::string::npos)
      << error.what();
}

TEST(SensorPayload, ZeroKeepsTheSignTheJsonNumberGives) {
  // "-0" is the integer 0; "-0.0" and "-0e0" are the float -0.
  const ParsedPayload payload = parse_sensor_payload(
      R"([{"id": "a", "lat": -0, "lon": -0.0, "temperature": -0e0}])", kOrigin);
  ASSERT_EQ(payload.readings.size(), 1u);
  EXPECT_FALSE(std::signbit(payload.readings[0].latitude));
  EXPECT_TRUE(std::signbit(payload.readings[0].longitude));
  EXPECT_TRUE(std::signbit(payload.readings[0].temperature));
}

TEST(SensorPayload, EscapesAreDecodedInKeysAndValues) {
  const ParsedPayload payload = parse_sensor_payload(
      R"([{"\u0069d": "a\u00e9\n", "lat": 1, "lon": 2, "temperature": 3, "x\u0000": "\ud83d\ude00"}])",
      kOrigin);
  ASSERT_EQ(payload.readings.size(), 1u);
  EXPECT_EQ(payload.readings[0].id, "a\xC3\xA9\n");
}

TEST(SensorPayload, AControlCharacterInAnyStringIsNotJson) {
  for (const std::string body : {"[{\"id\": \"a\tb\", \"lat\": 1, \"lon\": 2, \"temperature\": 3}]",
                                 "[{\"id\": \"a\", \"lat\": 1, \"lon\": 2, \"temperature\": 3, "
                                 "\"k\x01\": 1}]"}) {
    const Error error = payload_error(body);
    EXPECT_NE(std::string(error.what()).find("must be escaped"), std::string::npos) << error.what();
  }
}

// A stream whose buffer throws once the first `good` bytes are read, as a damaged archive does.
class DamagedAfter final : public std::streambuf {
 public:
  DamagedAfter(std::string text, std::size_t good) : text_(std::move(text)), good_(good) {}

 protected:
  int_type underflow() override {
    if (next_ == good_) throw std::runtime_error("damaged archive");
    const std::size_t size = std::min<std::size_t>(5, good_ - next_);
    setg(text_.data() + next_, text_.data() + next_, text_.data() + next_ + size);
    next_ += size;
    return traits_type::to_int_type(*gptr());
  }

 private:
  std::string text_;
  std::size_t good_;
  std::size_t next_ = 0;
};

TEST(SensorPayload, AStreamThatFailsHandsOverTheRecordsBeforeTheDamageThenRethrows) {
  const std::string body =
      "[" + reading("a", 1) + "," + reading("b", 2) + "," + reading("c", 3) + "]";
  DamagedAfter damaged(body, body.find("\"c\"") - 2);
  std::istream stream(&damaged);
  RecordingSink sink;
  try {
    stream_sensor_payload(stream, kOrigin, sink);
    ADD_FAILURE() << "a damaged stream was accepted";
  } catch (const std::runtime_error& error) {
    EXPECT_STREQ(error.what(), "damaged archive");
  }
  EXPECT_EQ(sink.events, (std::vector<std::string>{"reading a", "reading b"}));
}

}  // namespace
}  // namespace meteo
