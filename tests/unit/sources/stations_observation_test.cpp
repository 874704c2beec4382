// validate_observation and parse_observations: units, ranges, reasons, duplicates and order.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "meteo/core/errors.hpp"
#include "meteo/sources/stations/portal.hpp"

namespace meteo {
namespace {

constexpr const char* kDataset = "01-station-meteo-toulouse-meteopole";

UtcSeconds utc(int year, unsigned month, unsigned day, int hour, int minute) {
  return std::chrono::sys_days{std::chrono::year{year} / month / day} + std::chrono::hours{hour} +
         std::chrono::minutes{minute};
}

const UtcSeconds kNow = utc(2026, 11, 22, 6, 0);

// A complete Toulouse record at `time`, with one field replaced ("pression": <value>) or removed
// (value empty).
std::string record(const std::string& time = "2026-11-22T07:00:00+01:00",
                   const std::string& field = "", const std::string& value = "") {
  const std::pair<std::string, std::string> fields[] = {{"heure_de_paris", "\"" + time + "\""},
                                                        {"heure_utc", "\"2026-11-22 06:00:00\""},
                                                        {"id", "1"},
                                                        {"temperature_en_degre_c", "8.4"},
                                                        {"humidite", "91"},
                                                        {"pression", "101320"},
                                                        {"pluie", "0.2"},
                                                        {"pluie_intensite_max", "1.5"},
                                                        {"force_moyenne_du_vecteur_vent", "7"},
                                                        {"force_rafale_max", "19"},
                                                        {"direction_du_vecteur_vent_moyen", "225"}};
  std::string json = "{";
  for (const auto& [name, default_value] : fields) {
    const std::string& chosen = name == field ? value : default_value;
    if (chosen.empty()) continue;
    if (json.size() > 1) json += ",";
    json += "\"" + name + "\":" + chosen;
  }
  return json + "}";
}

WeatherObservation accepted(const std::string& json, const ObservationFields& fields = {}) {
  auto outcome = validate_observation(json, kDataset, fields, kNow);
  if (auto* reason = std::get_if<std::string>(&outcome)) {
    ADD_FAILURE() << "rejected: " << *reason << "\nrecord: " << json;
    return {};
  }
  return std::get<WeatherObservation>(std::move(outcome));
}

std::string rejection(const std::string& json, const ObservationFields& fields = {}) {
  auto outcome = validate_observation(json, kDataset, fields, kNow);
  if (std::holds_alternative<WeatherObservation>(outcome)) {
    ADD_FAILURE() << "accepted: " << json;
    return {};
  }
  return std::get<std::string>(outcome);
}

std::string with(const std::string& field, const std::string& value) {
  return record("2026-11-22T07:00:00+01:00", field, value);
}

TEST(StationsObservation, AcceptsACompleteRecordAndNormalisesUnits) {
  const WeatherObservation o = accepted(record());
  EXPECT_EQ(o.dataset_id, kDataset);
  EXPECT_EQ(o.observed_at, utc(2026, 11, 22, 6, 0));
  EXPECT_DOUBLE_EQ(*o.temperature_c, 8.4);
  EXPECT_DOUBLE_EQ(*o.humidity_pct, 91);
  EXPECT_DOUBLE_EQ(*o.pressure_hpa, 1013.2);  // Pa on the portal, hPa stored
  EXPECT_DOUBLE_EQ(*o.rain_mm, 0.2);
  EXPECT_DOUBLE_EQ(*o.rain_intensity_max_mm, 1.5);
  EXPECT_DOUBLE_EQ(*o.wind_speed_kmh, 7);
  EXPECT_DOUBLE_EQ(*o.gust_kmh, 19);
  EXPECT_DOUBLE_EQ(*o.wind_direction_deg, 225);
}

TEST(StationsObservation, PressureInHectopascalIsKept) {
  ObservationFields fields;
  fields.pressure_unit = "hPa";
  EXPECT_DOUBLE_EQ(*accepted(with("pression", "1013.2"), fields).pressure_hpa, 1013.2);
  EXPECT_EQ(rejection(with("pression", "101320"), fields),
            "pression 101320 is outside [850, 1100] hPa");
}

TEST(StationsObservation, UnknownPressureUnitIsAConfigurationError) {
  ObservationFields fields;
  fields.pressure_unit = "mbar";
  try {
    validate_observation(record(), kDataset, fields, kNow);
    FAIL() << "accepted an unknown unit";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ExitCode::config);
  }
}

TEST(StationsObservation, MissingOrNullMeasurementsAreAllowed) {
  const WeatherObservation o =
      accepted(R"({"heure_de_paris":"2026-11-22T07:00:00+01:00","temperature_en_degre_c":null})");
  EXPECT_FALSE(o.temperature_c);
  EXPECT_FALSE(o.humidity_pct);
  EXPECT_FALSE(o.pressure_hpa);
  EXPECT_FALSE(o.rain_mm);
  EXPECT_FALSE(o.rain_intensity_max_mm);
  EXPECT_FALSE(o.wind_speed_kmh);
  EXPECT_FALSE(o.gust_kmh);
  EXPECT_FALSE(o.wind_direction_deg);
}

TEST(StationsObservation, NumberInAStringIsRejected) {
  EXPECT_EQ(rejection(with("pression", R"("1013")")),
            R"(field pression is not a number (string "1013"))");
  EXPECT_EQ(rejection(with("humidite", "true")), "field humidite is not a number (boolean true)");
  EXPECT_EQ(rejection(with("pluie", "[0.2]")), "field pluie is not a number (array [0.2])");
}

TEST(StationsObservation, OutOfRangeValuesNameFieldValueAndRange) {
  EXPECT_EQ(rejection(with("temperature_en_degre_c", "61")),
            "temperature_en_degre_c 61 is outside [-60, 60] °C");
  EXPECT_EQ(rejection(with("temperature_en_degre_c", "-60.5")),
            "temperature_en_degre_c -60.5 is outside [-60, 60] °C");
  EXPECT_EQ(rejection(with("humidite", "101")), "humidite 101 is outside [0, 100] %");
  EXPECT_EQ(rejection(with("pression", "84000")),
            "pression 84000 (840 hPa) is outside [850, 1100] hPa");
  EXPECT_EQ(rejection(with("pluie", "-0.2")),
            "pluie -0.2 is below -0.1 mm, the trace code: a negative accumulation");
  EXPECT_EQ(rejection(with("pluie_intensite_max", "501")),
            "pluie_intensite_max 501 is outside [0, 500] mm");
  EXPECT_EQ(rejection(with("force_moyenne_du_vecteur_vent", "401")),
            "force_moyenne_du_vecteur_vent 401 is outside [0, 400] km/h");
  EXPECT_EQ(rejection(with("force_rafale_max", "-1")),
            "force_rafale_max -1 is outside [0, 400] km/h");
  EXPECT_EQ(rejection(with("direction_du_vecteur_vent_moyen", "361")),
            "direction_du_vecteur_vent_moyen 361 is outside [0, 360] degrees");
}

TEST(StationsObservation, RangeBoundsAreInclusive) {
  const WeatherObservation o = accepted(
      R"({"heure_de_paris":"2026-11-22T07:00:00+01:00","temperature_en_degre_c":-60,"humidite":100,)"
      R"("pression":110000,"pluie":0,"force_rafale_max":400,"direction_du_vecteur_vent_moyen":360})");
  EXPECT_DOUBLE_EQ(*o.temperature_c, -60);
  EXPECT_DOUBLE_EQ(*o.pressure_hpa, 1100);
  EXPECT_DOUBLE_EQ(*o.wind_direction_deg, 360);
}

TEST(StationsObservation, TimeProblems) {
  EXPECT_EQ(rejection(with("heure_de_paris", "")), "missing field heure_de_paris");
  EXPECT_EQ(rejection(with("heure_de_paris", "null")), "missing field heure_de_paris");
  EXPECT_EQ(rejection(with("heure_de_paris", "1700000000")),
            "field heure_de_paris is not a string (number 1700000000)");
  EXPECT_EQ(
      rejection(record("2026-11-22T07:00:00")),
      R"(field heure_de_paris is not a date-time with offset (string "2026-11-22T07:00:00"))");
  EXPECT_EQ(
      rejection(record("2026-02-30T07:00:00+01:00")),
      R"(field heure_de_paris is not a date-time with offset (string "2026-02-30T07:00:00+01:00"))");
}

TEST(StationsObservation, FutureRecordIsRejectedButNowIsNot) {
  EXPECT_EQ(rejection(record("2026-11-24T07:00:00+01:00")),
            "dated in the future (2026-11-24T06:00:00Z > now 2026-11-22T06:00:00Z)");
  EXPECT_EQ(accepted(record("2026-11-22T07:00:00+01:00")).observed_at, kNow);
}

TEST(StationsObservation, OtherFieldNamesFromConfiguration) {
  ObservationFields fields;
  fields.time = "date";
  fields.temperature = "t";
  fields.humidity = "";  // this portal has none
  const WeatherObservation o =
      accepted(R"({"date":"2026-11-22T05:00:00Z","t":3.5,"humidite":"n/a"})", fields);
  EXPECT_EQ(o.observed_at, utc(2026, 11, 22, 5, 0));
  EXPECT_DOUBLE_EQ(*o.temperature_c, 3.5);
  EXPECT_FALSE(o.humidity_pct);
}

TEST(StationsObservation, NonObjectsAndBrokenJsonAreRejected) {
  EXPECT_EQ(rejection("[1,2]"), "record is not an object (array [1,2])");
  EXPECT_EQ(rejection("{\"heure_de_paris\":"), "record is not valid JSON at byte 18");
}

// ---- parse_observations ----------------------------------------------------------------------

constexpr const char* kOrigin = "http://portal.test/api/explore/v2.1/catalog/datasets/x/records";

ParsedObservations parse(const std::string& body) {
  return parse_observations(body, kDataset, {}, kNow, kOrigin);
}

TEST(StationsParseObservations, ReadsARecordsPage) {
  const auto parsed =
      parse(R"({"total_count":2,"results":[)" + record("2026-11-22T06:45:00+01:00") + "," +
            record("2026-11-22T06:30:00+01:00") + "]}");
  EXPECT_EQ(parsed.record_count, 2u);
  EXPECT_EQ(parsed.duplicates, 0u);
  EXPECT_TRUE(parsed.rejected.empty());
  ASSERT_EQ(parsed.observations.size(), 2u);
  // Sorted by time whatever the order received.
  EXPECT_EQ(parsed.observations[0].observed_at, utc(2026, 11, 22, 5, 30));
  EXPECT_EQ(parsed.observations[1].observed_at, utc(2026, 11, 22, 5, 45));
}

TEST(StationsParseObservations, ReadsAnExportArray) {
  const auto parsed = parse("[" + record("2026-11-22T06:45:00+01:00") + "]");
  EXPECT_EQ(parsed.record_count, 1u);
  ASSERT_EQ(parsed.observations.size(), 1u);
  EXPECT_EQ(parsed.observations[0].dataset_id, kDataset);
}

TEST(StationsParseObservations, LaterDuplicateWinsAndIsCounted) {
  const std::string first = record("2026-11-22T06:45:00+01:00", "temperature_en_degre_c", "8");
  const std::string middle = record("2026-11-22T06:30:00+01:00");
  // The same instant written in UTC: a duplicate too.
  const std::string second = record("2026-11-22T05:45:00Z", "temperature_en_degre_c", "9");
  const std::string third = record("2026-11-22T06:45:00+01:00", "temperature_en_degre_c", "10");
  const auto parsed = parse("[" + first + "," + middle + "," + second + "," + third + "]");
  EXPECT_EQ(parsed.record_count, 4u);
  EXPECT_EQ(parsed.duplicates, 2u);
  ASSERT_EQ(parsed.observations.size(), 2u);
  EXPECT_EQ(parsed.observations[1].observed_at, utc(2026, 11, 22, 5, 45));
  EXPECT_DOUBLE_EQ(*parsed.observations[1].temperature_c, 10);
}

TEST(StationsParseObservations, AutumnRepeatedHourIsNotADuplicate) {
  const auto parsed = parse("[" + record("2021-10-31T02:30:00+02:00") + "," +
                            record("2021-10-31T02:30:00+01:00") + "]");
  EXPECT_EQ(parsed.duplicates, 0u);
  EXPECT_EQ(parsed.observations.size(), 2u);
}

TEST(StationsParseObservations, RejectedRecordsKeepPositionReasonAndText) {
  const std::string future = record("2026-11-23T07:00:00+01:00");
  const std::string bad_rain = with("pluie", R"("0,2")");
  const auto parsed = parse("[" + record() + "," + future + "," + bad_rain + "]");
  EXPECT_EQ(parsed.record_count, 3u);
  EXPECT_EQ(parsed.observations.size(), 1u);
  ASSERT_EQ(parsed.rejected.size(), 2u);
  EXPECT_EQ(parsed.rejected[0].position, 1u);
  EXPECT_EQ(parsed.rejected[0].reason,
            "dated in the future (2026-11-23T06:00:00Z > now 2026-11-22T06:00:00Z)");
  EXPECT_EQ(parsed.rejected[0].record_json, future);  // compact and in the portal's key order
  EXPECT_EQ(parsed.rejected[1].position, 2u);
  EXPECT_EQ(parsed.rejected[1].reason, R"(field pluie is not a number (string "0,2"))");
}

// Issue 15: the last of two values silently won.
TEST(StationsParseObservations, ARecordGivingAFieldTwiceIsRejectedNamingIt) {
  const std::string twice = record().substr(0, record().size() - 1) + R"(,"humidite":15})";
  const auto parsed = parse(R"({"total_count":2,"results":[)" + record() + "," + twice + "]}");
  EXPECT_EQ(parsed.record_count, 2u);
  EXPECT_EQ(parsed.observations.size(), 1u);
  ASSERT_EQ(parsed.rejected.size(), 1u);
  EXPECT_EQ(parsed.rejected[0].position, 1u);
  EXPECT_EQ(parsed.rejected[0].reason, R"(field "humidite" appears twice)");
  EXPECT_EQ(parsed.rejected[0].record_json, twice) << "both values kept";
  EXPECT_EQ(rejection(R"({"heure_de_paris":"2026-11-22T07:00:00+01:00","geo":{"lat":1,"lat":2}})"),
            R"(key "lat" appears twice in one object)");
}

TEST(StationsParseObservations, EmptyPageIsFine) {
  const auto parsed = parse(R"({"total_count":0,"results":[]})");
  EXPECT_EQ(parsed.record_count, 0u);
  EXPECT_TRUE(parsed.observations.empty());
}

ExitCode code_of(const std::string& body, std::string* message) {
  try {
    parse(body);
  } catch (const Error& error) {
    *message = error.what();
    return error.code();
  }
  return ExitCode::ok;
}

TEST(StationsParseObservations, MalformedJsonNamesOriginAndByte) {
  std::string message;
  EXPECT_EQ(code_of(R"({"total_count":1,"results":[{"a":1,}]})", &message), ExitCode::data);
  EXPECT_EQ(message.rfind(std::string(kOrigin) + ": ", 0), 0u) << message;
  EXPECT_NE(message.find("byte 35"), std::string::npos) << message;
}

// Issue 15 defect 4: 1e309 is valid JSON grammar, but nlohmann refuses to overflow a double and
// the whole page failed (exit 65). Now the record holding it is rejected, naming the field and
// the number; its stored text shows null there; the page's other records load.
TEST(StationsParseObservations, ANumberBeyondADoubleRejectsItsRecordOnly) {
  const std::string huge = with("pluie", "1e309");
  const auto parsed =
      parse(R"({"total_count":3,"results":[)" + record("2026-11-22T06:30:00+01:00") + "," + huge +
            "," + record("2026-11-22T06:45:00+01:00") + "]}");
  EXPECT_EQ(parsed.record_count, 3u);
  ASSERT_EQ(parsed.observations.size(), 2u);
  EXPECT_EQ(parsed.observations[0].observed_at, utc(2026, 11, 22, 5, 30));
  EXPECT_EQ(parsed.observations[1].observed_at, utc(2026, 11, 22, 5, 45));
  ASSERT_EQ(parsed.rejected.size(), 1u);
  EXPECT_EQ(parsed.rejected[0].position, 1u);
  EXPECT_EQ(parsed.rejected[0].reason,
            R"(field "pluie": number 1e309 is out of range (past a double's ±1.8e308))");
  EXPECT_EQ(parsed.rejected[0].record_json, with("pluie", "null"));
}

TEST(StationsParseObservations, NestedAndNegativeOverflowsAreNamedToo) {
  const std::string nested =
      R"({"heure_de_paris":"2026-11-22T07:00:00+01:00","geo":{"lat":[1,-1e309]}})";
  const auto parsed = parse("[" + with("humidite", "-1E+400") + "," + nested + ",2e308," +
                            record("2026-11-22T06:45:00+01:00") + "]");
  EXPECT_EQ(parsed.record_count, 4u);
  ASSERT_EQ(parsed.observations.size(), 1u);
  ASSERT_EQ(parsed.rejected.size(), 3u);
  EXPECT_EQ(parsed.rejected[0].reason,
            R"(field "humidite": number -1E+400 is out of range (past a double's ±1.8e308))");
  EXPECT_EQ(parsed.rejected[1].reason, "number -1e309 is out of range (past a double's ±1.8e308)");
  EXPECT_EQ(parsed.rejected[1].record_json,
            R"({"heure_de_paris":"2026-11-22T07:00:00+01:00","geo":{"lat":[1,null]}})");
  EXPECT_EQ(parsed.rejected[2].position, 2u);
  EXPECT_EQ(parsed.rejected[2].reason, "number 2e308 is out of range (past a double's ±1.8e308)");
  EXPECT_EQ(parsed.rejected[2].record_json, "null");
  // One record alone, through validate_observation, says the same.
  EXPECT_EQ(rejection(with("pluie", "-1e400")),
            R"(field "pluie": number -1e400 is out of range (past a double's ±1.8e308))");
}

// Numbers that fit (1.7e308, underflow to 0) and number-like strings are not overflows.
TEST(StationsParseObservations, NumbersNearTheEdgesAndInsideStringsAreNotOverflows) {
  EXPECT_EQ(rejection(with("pluie", "1.7e308")), "pluie 1.7e+308 is outside [0, 500] mm");
  EXPECT_DOUBLE_EQ(*accepted(with("pluie", "1e-999")).rain_mm, 0);
  EXPECT_EQ(accepted(with("id", R"("1e309")")).observed_at, utc(2026, 11, 22, 6, 0));
}

// The envelope is no record: a number past a double's range there fails the page, clearly.
TEST(StationsParseObservations, AnOverflowOutsideTheRecordsIsADataError) {
  std::string message;
  EXPECT_EQ(code_of(R"({"total_count":1e309,"results":[]})", &message), ExitCode::data);
  EXPECT_EQ(message, std::string(kOrigin) +
                         R"(: body: field "total_count": number 1e309 is out of range )"
                         "(past a double's ±1.8e308)");
  EXPECT_EQ(code_of("-1e309", &message), ExitCode::data);
  EXPECT_EQ(message, std::string(kOrigin) +
                         ": body: number -1e309 is out of range (past a double's ±1.8e308)");
}

TEST(StationsParseObservations, AnEnvelopeGivingAKeyTwiceIsADataError) {
  std::string message;
  EXPECT_EQ(code_of(R"({"total_count":1,"results":[],"results":[]})", &message), ExitCode::data);
  EXPECT_EQ(message, std::string(kOrigin) + R"(: body: field "results" appears twice)");
}

TEST(StationsParseObservations, WrongShapeIsAnError) {
  std::string message;
  EXPECT_EQ(code_of(R"({"error_code":"ODSQLError"})", &message), ExitCode::data);
  EXPECT_EQ(message, std::string(kOrigin) + R"(: body has no "results" array)");
  EXPECT_EQ(code_of(R"("hello")", &message), ExitCode::data);
  EXPECT_NE(message.find("is a JSON string"), std::string::npos) << message;
}

}  // namespace
}  // namespace meteo
