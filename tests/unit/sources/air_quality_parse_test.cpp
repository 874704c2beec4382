// parse_air_quality_csv and parse_air_quality_page: the checks of a record and their reasons,
// the CSV's shape (BOM, CRLF, quoting), duplicates, an ArcGIS page and its error answer, and the
// facts measured on the real hub CSV (skipped without ../shared).
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "meteo/core/errors.hpp"
#include "meteo/sources/air_quality/parse.hpp"
#include "paths.hpp"
#include "test_support.hpp"

namespace meteo {
namespace {

constexpr const char* kOrigin = "atmo.csv";
constexpr const char* kHeader =
    "X,Y,nom_dept,nom_com,insee_com,nom_station,code_station,typologie,influence,nom_poll,"
    "id_poll_ue,valeur,unite,metrique,date_debut,date_fin,statut_valid,x_l93,y_l93,ObjectId";

UtcSeconds utc(int year, unsigned month, unsigned day, int hour) {
  return std::chrono::sys_days{std::chrono::year{year} / month / day} + std::chrono::hours{hour};
}

const UtcSeconds kNow = utc(2020, 3, 17, 12);

// A valid row of the hub CSV with some columns replaced (their text given as it stands in the
// file, quotes included).
std::string csv_row(const std::map<std::string, std::string>& changes = {}) {
  const std::vector<std::pair<std::string, std::string>> columns = {
      {"X", "1.376"},
      {"Y", "43.634"},
      {"nom_dept", "HAUTE-GARONNE"},
      {"nom_com", "BLAGNAC"},
      {"insee_com", "31069"},
      {"nom_station", "Blagnac Aéroport Trafic "},
      {"code_station", "FR50044"},
      {"typologie", "Périurbaine"},
      {"influence", "Trafic"},
      {"nom_poll", "NO2"},
      {"id_poll_ue", "8"},
      {"valeur", "12.5"},
      {"unite", "ug.m-3"},
      {"metrique", "horaire"},
      {"date_debut", "2020-03-16T19:00:00.000Z"},
      {"date_fin", "2020-03-16T20:00:00.000Z"},
      {"statut_valid", "t"},
      {"x_l93", "568918"},
      {"y_l93", "6283009"},
      {"ObjectId", "1"}};
  std::string row;
  for (const auto& [name, text] : columns) {
    if (!row.empty()) row += ",";
    const auto change = changes.find(name);
    row += change == changes.end() ? text : change->second;
  }
  return row;
}

ParsedAirQuality parse_csv(const std::string& body, const AirQualityRules& rules = {}) {
  return parse_air_quality_csv(body, AirQualityFields{}, rules, kNow, kOrigin);
}

ParsedAirQuality parse_rows(const std::vector<std::string>& rows) {
  std::string body = std::string(kHeader) + "\n";
  for (const auto& row : rows) body += row + "\n";
  return parse_csv(body);
}

// The reason the one row is rejected for, "" (and a failure) when it is not.
std::string rejection(const std::map<std::string, std::string>& changes) {
  const auto parsed = parse_rows({csv_row(changes)});
  EXPECT_EQ(parsed.record_count, 1u);
  if (parsed.rejected.size() != 1) {
    ADD_FAILURE() << "not rejected: " << csv_row(changes);
    return "";
  }
  EXPECT_TRUE(parsed.measurements.empty());
  EXPECT_EQ(parsed.rejected[0].position, 2u);  // the line after the header
  EXPECT_TRUE(testing::contains(parsed.rejected[0].record_json, "\"code_station\":"));
  return parsed.rejected[0].reason;
}

TEST(AirQualityCsv, ReadsARowIntoAStationAndAMeasurement) {
  const auto parsed = parse_rows({csv_row()});
  ASSERT_EQ(parsed.measurements.size(), 1u);
  ASSERT_EQ(parsed.stations.size(), 1u);
  EXPECT_EQ(parsed.record_count, 1u);
  EXPECT_TRUE(parsed.rejected.empty());
  const auto& station = parsed.stations[0];
  EXPECT_EQ(station.code, "FR50044");
  EXPECT_EQ(station.name, "Blagnac Aéroport Trafic");  // the trailing space trimmed
  EXPECT_EQ(station.commune, "BLAGNAC");
  EXPECT_EQ(station.insee, "31069");
  EXPECT_EQ(station.department, "HAUTE-GARONNE");
  EXPECT_EQ(station.typology, "Périurbaine");
  EXPECT_EQ(station.influence, "Trafic");
  EXPECT_DOUBLE_EQ(station.latitude, 43.634);
  EXPECT_DOUBLE_EQ(station.longitude, 1.376);
  const auto& measurement = parsed.measurements[0];
  EXPECT_EQ(measurement.station_code, "FR50044");
  EXPECT_EQ(measurement.pollutant, "NO2");
  EXPECT_EQ(measurement.measured_at, utc(2020, 3, 16, 19));
  EXPECT_DOUBLE_EQ(measurement.value_ugm3, 12.5);
  EXPECT_TRUE(measurement.validated);
  EXPECT_EQ(measurement.object_id, 1);
}

TEST(AirQualityCsv, NormalisesNoxAsNo2AndChecksEveryKnownCode) {
  const std::vector<std::pair<std::string, std::string>> known = {
      {"NO2", "8"}, {"PM10", "5"}, {"NO", "38"}, {"O3", "7"},    {"NOX as NO2", "9"},
      {"SO2", "1"}, {"H2S", "11"}, {"CO", "10"}, {"C6H6", "20"}, {"PM2.5", "6001"}};
  std::vector<std::string> rows;
  for (const auto& [name, id] : known)
    rows.push_back(csv_row({{"nom_poll", name}, {"id_poll_ue", id}}));
  const auto parsed = parse_rows(rows);
  ASSERT_TRUE(parsed.rejected.empty()) << parsed.rejected[0].reason;
  std::vector<std::string> pollutants;
  for (const auto& measurement : parsed.measurements) pollutants.push_back(measurement.pollutant);
  EXPECT_EQ(pollutants, (std::vector<std::string>{"NO2", "PM10", "NO", "O3", "NOX", "SO2", "H2S",
                                                  "CO", "C6H6", "PM2.5"}));
}

TEST(AirQualityCsv, SkipsTheBomAndReadsCrlfLineEnds) {
  const std::string body = "\xEF\xBB\xBF" + std::string(kHeader) + "\r\n" + csv_row() + "\r\n" +
                           csv_row({{"ObjectId", "2"}, {"nom_poll", "O3"}, {"id_poll_ue", "7"}}) +
                           "\r\n";
  const auto parsed = parse_csv(body);
  ASSERT_TRUE(parsed.rejected.empty()) << parsed.rejected[0].reason;
  ASSERT_EQ(parsed.measurements.size(), 2u);
  EXPECT_EQ(parsed.measurements[1].object_id, 2);  // no '\r' left on the last column
}

TEST(AirQualityCsv, ReadsAQuotedFieldHoldingACommaAndAnEscapedQuote) {
  const auto parsed =
      parse_rows({csv_row({{"nom_station", "\" Nîmes, \"\"Planas\"\" Trafic \""}})});
  ASSERT_TRUE(parsed.rejected.empty()) << parsed.rejected[0].reason;
  ASSERT_EQ(parsed.stations.size(), 1u);
  EXPECT_EQ(parsed.stations[0].name, "Nîmes, \"Planas\" Trafic");
  EXPECT_EQ(parsed.stations[0].code, "FR50044");  // the columns after it did not shift
}

TEST(AirQualityCsv, RejectsEachBadValueNamingTheFieldAndTheValue) {
  struct Case {
    std::string column, text, expected;
  };
  const std::vector<Case> cases = {
      {"code_station", " ", "field code_station is empty"},
      {"nom_poll", "CO2", "field nom_poll \"CO2\" is unknown"},
      {"id_poll_ue", "9", "field id_poll_ue \"9\" disagrees with nom_poll \"NO2\" (expected 8)"},
      {"id_poll_ue", "eight", "field id_poll_ue \"eight\" is not an integer"},
      {"valeur", "abc", "field valeur \"abc\" is not a finite number"},
      {"valeur", "\"12,5\"", "field valeur \"12,5\" is not a finite number"},
      {"valeur", "nan", "field valeur \"nan\" is not a finite number"},
      {"valeur", "inf", "field valeur \"inf\" is not a finite number"},
      {"valeur", "", "field valeur is empty"},
      {"valeur", "-5.1", "field valeur \"-5.1\" is below the floor -5"},
      {"unite", "mg.m-3", "field unite \"mg.m-3\" is not an accepted unit"},
      {"metrique", "journaliere", "field metrique \"journaliere\" is not \"horaire\""},
      {"date_debut", "2020-03-16T19:30:00.000Z", "is not on the hour"},
      {"date_debut", "16/03/2020 19:00", "field date_debut \"16/03/2020 19:00\" is not a UTC"},
      {"date_fin", "2020-03-16T21:00:00.000Z",
       "field date_fin \"2020-03-16T21:00:00.000Z\" is "
       "not 1 h after date_debut"},
      {"statut_valid", "x", "field statut_valid \"x\" is not one of t f true false 1 0"},
      {"ObjectId", "1.5", "field ObjectId \"1.5\" is not an integer"},
      {"X", "181", "field X \"181\" is not within [-180, 180]"},
      {"Y", "-90.5", "field Y \"-90.5\" is not within [-90, 90]"},
  };
  for (const auto& [column, text, expected] : cases) {
    SCOPED_TRACE(column + " = " + text);
    EXPECT_TRUE(testing::contains(rejection({{column, text}}), expected))
        << rejection({{column, text}});
  }
}

TEST(AirQualityCsv, RejectsARowThatDoesNotFitTheHeader) {
  const auto parsed = parse_rows(
      {csv_row({{"valeur", "12,5"}}), csv_row({{"nom_com", "\"BLAG\"NAC"}, {"ObjectId", "2"}})});
  ASSERT_EQ(parsed.rejected.size(), 2u);
  EXPECT_EQ(parsed.rejected[0].reason, "row has 21 fields, the header 20");
  EXPECT_TRUE(testing::contains(parsed.rejected[0].record_json, "[\"1.376\",\"43.634\""));
  EXPECT_EQ(parsed.rejected[1].reason, "text after a closing quote in field 4");
  EXPECT_TRUE(testing::contains(parsed.rejected[1].record_json, "\"nom_com\":\"BLAGNAC\""));
}

TEST(AirQualityCsv, RejectsHoursAfterNowOrBefore1990) {
  EXPECT_EQ(rejection({{"date_debut", "2020-03-17T13:00:00.000Z"},
                       {"date_fin", "2020-03-17T14:00:00.000Z"}}),
            "field date_debut \"2020-03-17T13:00:00.000Z\" is after now 2020-03-17T12:00:00Z");
  EXPECT_EQ(rejection({{"date_debut", "1989-12-31T23:00:00.000Z"},
                       {"date_fin", "1990-01-01T00:00:00.000Z"}}),
            "field date_debut \"1989-12-31T23:00:00.000Z\" is before 1990");
  const auto now_itself = parse_rows({csv_row(
      {{"date_debut", "2020-03-17T12:00:00.000Z"}, {"date_fin", "2020-03-17T13:00:00.000Z"}})});
  EXPECT_EQ(now_itself.measurements.size(), 1u);
}

TEST(AirQualityCsv, KeepsAndCountsNegativesDownToTheFloor) {
  const auto parsed =
      parse_rows({csv_row({{"valeur", "-1.2"}}),
                  csv_row({{"valeur", "-5"}, {"nom_poll", "NO"}, {"id_poll_ue", "38"}}),
                  csv_row({{"valeur", "0"}, {"nom_poll", "O3"}, {"id_poll_ue", "7"}})});
  EXPECT_TRUE(parsed.rejected.empty());
  EXPECT_EQ(parsed.measurements.size(), 3u);
  EXPECT_EQ(parsed.kept_negative, 2u);
  AirQualityRules strict;
  strict.negative_floor = 0;
  const auto floored =
      parse_csv(std::string(kHeader) + "\n" + csv_row({{"valeur", "-0.1"}}), strict);
  EXPECT_EQ(floored.rejected.size(), 1u);
}

TEST(AirQualityCsv, AcceptsTheUnitsTheRulesList) {
  AirQualityRules rules;
  rules.accepted_units = {"ug.m-3", "µg/m3"};
  const auto parsed =
      parse_csv(std::string(kHeader) + "\n" + csv_row({{"unite", "µg/m3"}}) + "\n", rules);
  EXPECT_EQ(parsed.measurements.size(), 1u);
}

TEST(AirQualityCsv, ARejectedRowLeavesTheOthersAndIsStoredAsHeaderToText) {
  const auto parsed =
      parse_rows({csv_row(), csv_row({{"valeur", "n/a"}, {"ObjectId", "2"}}),
                  csv_row({{"ObjectId", "3"}, {"nom_poll", "PM10"}, {"id_poll_ue", "5"}})});
  EXPECT_EQ(parsed.record_count, 3u);
  EXPECT_EQ(parsed.measurements.size(), 2u);
  ASSERT_EQ(parsed.rejected.size(), 1u);
  EXPECT_EQ(parsed.rejected[0].position, 3u);
  EXPECT_TRUE(testing::contains(parsed.rejected[0].record_json, "\"valeur\":\"n/a\""));
  EXPECT_TRUE(testing::contains(parsed.rejected[0].record_json, "\"X\":\"1.376\""));
}

TEST(AirQualityCsv, CountsLinesAcrossAQuotedLineBreak) {
  const auto parsed = parse_rows(
      {csv_row({{"nom_com", "\"BLAG\nNAC\""}}), csv_row({{"valeur", "x"}, {"ObjectId", "2"}})});
  ASSERT_EQ(parsed.rejected.size(), 1u);
  EXPECT_EQ(parsed.rejected[0].position, 4u);  // the header, two lines of row 1, then row 2
  EXPECT_EQ(parsed.stations.at(0).commune, "BLAG\nNAC");
}

TEST(AirQualityCsv, ReadsAQuotedLastFieldBeforeCrlfAndKeepsABareQuoteAndOuterSpaces) {
  const std::string body = std::string(kHeader) + "\r\n" +
                           csv_row({{"nom_com", "BLAG\"NAC"}, {"ObjectId", "\"1\""}}) + "\r\n" +
                           csv_row({{"valeur", " x "}, {"ObjectId", "2"}}) + "\r\n";
  const auto parsed = parse_csv(body);
  ASSERT_EQ(parsed.measurements.size(), 1u);
  EXPECT_EQ(parsed.measurements[0].object_id, 1);
  EXPECT_EQ(parsed.stations.at(0).commune, "BLAG\"NAC");
  ASSERT_EQ(parsed.rejected.size(), 1u);
  EXPECT_EQ(parsed.rejected[0].position, 3u);
  EXPECT_TRUE(testing::contains(parsed.rejected[0].record_json, "\"valeur\":\" x \""));
  EXPECT_TRUE(testing::contains(parsed.rejected[0].record_json, "\"ObjectId\":\"2\"}"));
}

TEST(AirQualityCsv, ThrowsNamingTheOriginAndTheMissingColumn) {
  std::string header = kHeader;
  header.replace(header.find("valeur"), 6, "value");
  try {
    parse_csv(header + "\n" + csv_row() + "\n");
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ExitCode::data);
    EXPECT_EQ(std::string(error.what()), "atmo.csv: no column \"valeur\" in the header");
  }
}

TEST(AirQualityCsv, ThrowsOnAnEmptyBodyOrAQuoteNeverClosed) {
  for (const std::string body : {std::string(), std::string("\xEF\xBB\xBF"), std::string("\n\n")}) {
    try {
      parse_csv(body);
      ADD_FAILURE() << "no error";
    } catch (const Error& error) {
      EXPECT_EQ(error.code(), ExitCode::data);
      EXPECT_TRUE(testing::contains(error.what(), "atmo.csv: no CSV header"));
    }
  }
  try {
    parse_rows({csv_row({{"nom_com", "\"BLAGNAC"}})});
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ExitCode::data);
    EXPECT_EQ(std::string(error.what()), "atmo.csv: line 2: a quoted field is never closed");
  }
  try {  // the line the row starts on, CRLF or not
    parse_csv(std::string(kHeader) + "\r\n" + csv_row() + "\r\n" +
              csv_row({{"nom_com", "\"BLAG\r\nNAC"}}) + "\r\n");
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(std::string(error.what()), "atmo.csv: line 3: a quoted field is never closed");
  }
}

// ---- duplicates ---------------------------------------------------------------------------

TEST(AirQualityCensus, AValidatedValueBeatsAProvisionalOneWhateverTheOrder) {
  const std::string provisional =
      csv_row({{"statut_valid", "f"}, {"valeur", "30"}, {"ObjectId", "9"}});
  const std::string validated =
      csv_row({{"statut_valid", "t"}, {"valeur", "20"}, {"ObjectId", "4"}});
  for (const auto& rows :
       {std::vector{provisional, validated}, std::vector{validated, provisional}}) {
    const auto parsed = parse_rows(rows);
    ASSERT_EQ(parsed.measurements.size(), 1u);
    EXPECT_EQ(parsed.duplicates, 1u);
    EXPECT_TRUE(parsed.measurements[0].validated);
    EXPECT_DOUBLE_EQ(parsed.measurements[0].value_ugm3, 20);
  }
}

TEST(AirQualityCensus, AmongEqualStatusesTheHigherObjectIdWins) {
  const std::string older = csv_row({{"valeur", "-1"}, {"ObjectId", "3"}});
  const std::string newer = csv_row({{"valeur", "2"}, {"ObjectId", "7"}});
  for (const auto& rows : {std::vector{older, newer}, std::vector{newer, older}}) {
    const auto parsed = parse_rows(rows);
    ASSERT_EQ(parsed.measurements.size(), 1u);
    EXPECT_EQ(parsed.duplicates, 1u);
    EXPECT_EQ(parsed.measurements[0].object_id, 7);
    EXPECT_EQ(parsed.kept_negative, 0u);  // the negative one was replaced
  }
}

TEST(AirQualityCensus, KeysOnStationPollutantAndHourAndListsEachStationOnce) {
  const auto parsed =
      parse_rows({csv_row(), csv_row({{"code_station", "FR50030"}, {"ObjectId", "2"}}),
                  csv_row({{"nom_poll", "NOX as NO2"}, {"id_poll_ue", "9"}, {"ObjectId", "3"}}),
                  csv_row({{"date_debut", "2020-03-16T20:00:00.000Z"},
                           {"date_fin", "2020-03-16T21:00:00.000Z"},
                           {"ObjectId", "4"}})});
  EXPECT_EQ(parsed.duplicates, 0u);
  EXPECT_EQ(parsed.measurements.size(), 4u);
  ASSERT_EQ(parsed.stations.size(), 2u);
  EXPECT_EQ(parsed.stations[0].code, "FR50044");
  EXPECT_EQ(parsed.stations[1].code, "FR50030");
}

// ---- an ArcGIS query page -----------------------------------------------------------------

std::int64_t millis(UtcSeconds moment) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(moment.time_since_epoch()).count();
}

// A feature; `changes` replaces attributes by JSON text (an empty text removes it).
std::string feature(const std::map<std::string, std::string>& changes = {},
                    const std::string& geometry = R"({"x":1.376,"y":43.634})") {
  const std::vector<std::pair<std::string, std::string>> attributes = {
      {"nom_dept", R"("HAUTE-GARONNE")"},
      {"nom_station", R"("Blagnac Aéroport Piste ")"},
      {"code_station", R"("FR50045")"},
      {"nom_poll", R"("PM10")"},
      {"id_poll_ue", "5"},
      {"valeur", "17.8"},
      {"unite", R"("ug.m-3")"},
      {"metrique", R"("horaire")"},
      {"date_debut", std::to_string(millis(utc(2020, 3, 16, 19)))},
      {"date_fin", std::to_string(millis(utc(2020, 3, 16, 20)))},
      {"statut_valid", R"("t")"},
      {"ObjectId", "8001"}};
  std::string json;
  for (const auto& [name, text] : attributes) {
    const auto change = changes.find(name);
    const std::string& chosen = change == changes.end() ? text : change->second;
    if (chosen.empty()) continue;
    json += (json.empty() ? "" : ",") + ("\"" + name + "\":" + chosen);
  }
  return R"({"attributes":{)" + json + "}" + (geometry.empty() ? "" : ",\"geometry\":" + geometry) +
         "}";
}

AirQualityPage parse_page(const std::vector<std::string>& features, const std::string& tail = "") {
  std::string json = R"({"objectIdFieldName":"ObjectId","features":[)";
  for (std::size_t i = 0; i < features.size(); ++i) json += (i ? "," : "") + features[i];
  return parse_air_quality_page(json + "]" + tail + "}", AirQualityFields{}, AirQualityRules{},
                                kNow, "layer/0 page 1");
}

TEST(AirQualityPage, ReadsEpochMillisGeometryAndTrimsText) {
  const auto page = parse_page({feature()});
  ASSERT_EQ(page.parsed.measurements.size(), 1u);
  EXPECT_FALSE(page.exceeded_transfer_limit);
  const auto& measurement = page.parsed.measurements[0];
  EXPECT_EQ(measurement.measured_at, utc(2020, 3, 16, 19));
  EXPECT_EQ(measurement.pollutant, "PM10");
  EXPECT_DOUBLE_EQ(measurement.value_ugm3, 17.8);
  EXPECT_EQ(measurement.object_id, 8001);
  ASSERT_EQ(page.parsed.stations.size(), 1u);
  EXPECT_EQ(page.parsed.stations[0].name, "Blagnac Aéroport Piste");
  EXPECT_EQ(page.parsed.stations[0].commune, "");  // absent: an empty description
  EXPECT_DOUBLE_EQ(page.parsed.stations[0].longitude, 1.376);
}

TEST(AirQualityPage, AcceptsBooleansNumbersAndTheirTextForStatusValueAndId) {
  const std::vector<std::pair<std::string, bool>> statuses = {
      {R"("t")", true}, {R"("f")", false}, {R"("true")", true}, {R"("false")", false},
      {R"("1")", true}, {R"("0")", false}, {"true", true},      {"false", false},
      {"1", true},      {"0", false}};
  for (const auto& [status, expected] : statuses) {
    SCOPED_TRACE(status);
    const auto page = parse_page({feature({{"statut_valid", status}})});
    ASSERT_EQ(page.parsed.measurements.size(), 1u) << page.parsed.rejected.at(0).reason;
    EXPECT_EQ(page.parsed.measurements[0].validated, expected);
  }
  const auto texts = parse_page(
      {feature({{"valeur", R"(" 21.5 ")"}, {"id_poll_ue", R"("5")"}, {"ObjectId", R"("12")"}})});
  ASSERT_EQ(texts.parsed.measurements.size(), 1u) << texts.parsed.rejected.at(0).reason;
  EXPECT_DOUBLE_EQ(texts.parsed.measurements[0].value_ugm3, 21.5);
  EXPECT_EQ(texts.parsed.measurements[0].object_id, 12);
}

TEST(AirQualityPage, RejectsABadFeatureAloneWithItsAttributesAndIndex) {
  const auto page = parse_page(
      {feature(), feature({{"valeur", "true"}, {"ObjectId", "8002"}}),
       feature({{"statut_valid", "2"}, {"ObjectId", "8003"}}), feature({{"ObjectId", "8004"}}, ""),
       feature({{"date_debut", R"("2020-03-16T19:00:00.000Z")"}, {"ObjectId", "8005"}}),
       feature({{"valeur", "1e999"}, {"ObjectId", "8006"}}),
       feature({{"code_station", "null"}, {"ObjectId", "8007"}}),
       R"({"attributes":{"valeur":1,"valeur":2}})", "[1]"});
  EXPECT_EQ(page.parsed.record_count, 9u);
  EXPECT_EQ(page.parsed.measurements.size(), 1u);
  const auto& rejected = page.parsed.rejected;
  ASSERT_EQ(rejected.size(), 8u);
  EXPECT_EQ(rejected[0].position, 1u);
  EXPECT_EQ(rejected[0].reason, "field valeur \"true\" is not a finite number");
  EXPECT_TRUE(testing::contains(rejected[0].record_json, "\"valeur\":true"));
  EXPECT_FALSE(testing::contains(rejected[0].record_json, "geometry"));
  EXPECT_EQ(rejected[1].reason, "field statut_valid \"2\" is not one of t f true false 1 0");
  EXPECT_EQ(rejected[2].reason, "missing field geometry.y");
  EXPECT_TRUE(testing::contains(rejected[3].reason, "is not epoch milliseconds"));
  EXPECT_TRUE(testing::contains(rejected[4].reason, "1e999"));
  EXPECT_TRUE(testing::contains(rejected[4].record_json, "\"valeur\":null"));
  EXPECT_EQ(rejected[5].reason, "missing field code_station");
  EXPECT_EQ(rejected[6].reason, "field \"valeur\" appears twice");  // whichever was meant
  EXPECT_EQ(rejected[7].reason, "feature is not an object");
  EXPECT_EQ(rejected[7].position, 8u);
}

TEST(AirQualityPage, RejectsEpochMillisOffTheHourOutOfRangeOrBefore1990) {
  const auto hour_of = [](UtcSeconds start, std::int64_t shift = 0) {
    return std::map<std::string, std::string>{
        {"date_debut", std::to_string(millis(start) + shift)},
        {"date_fin", std::to_string(millis(start) + shift + 3'600'000)}};
  };
  const auto page = parse_page(
      {feature(hour_of(utc(2020, 3, 16, 19), 1)), feature(hour_of(utc(1980, 1, 1, 0))),
       feature(hour_of(utc(2020, 3, 17, 13))), feature({{"date_debut", "9223372036854775807"}})});
  const auto& rejected = page.parsed.rejected;
  ASSERT_EQ(rejected.size(), 4u);
  EXPECT_EQ(rejected[0].reason, "field date_debut \"1584385200001\" is not on the hour");
  EXPECT_EQ(rejected[1].reason, "field date_debut \"315532800000\" is before 1990");
  EXPECT_TRUE(testing::contains(rejected[2].reason, "is after now 2020-03-17T12:00:00Z"));
  EXPECT_EQ(rejected[3].reason,
            "field date_debut \"9223372036854775807\" is not epoch milliseconds");
}

TEST(AirQualityPage, ReadsExceededTransferLimit) {
  EXPECT_TRUE(parse_page({feature()}, R"(,"exceededTransferLimit":true)").exceeded_transfer_limit);
  EXPECT_FALSE(
      parse_page({feature()}, R"(,"exceededTransferLimit":false)").exceeded_transfer_limit);
}

TEST(AirQualityPage, ThrowsArcGisErrorWithItsCodeAndMessage) {
  const std::string body =
      R"({"error":{"code":400,"message":"Unable to complete operation.","details":["Invalid query"]}})";
  try {
    parse_air_quality_page(body, AirQualityFields{}, AirQualityRules{}, kNow, "layer/0 page 3");
    FAIL() << "no error";
  } catch (const ArcGisError& error) {
    EXPECT_EQ(error.arcgis_code(), 400);
    EXPECT_EQ(error.arcgis_message(), "Unable to complete operation.");
    EXPECT_EQ(error.code(), ExitCode::unavailable);
    EXPECT_EQ(
        std::string(error.what()),
        "layer/0 page 3: ArcGIS error 400: Unable to complete operation. [\"Invalid query\"]");
  }
}

TEST(AirQualityPage, ThrowsDataErrorsForWhatIsNoPage) {
  for (const std::string body : {"{", "[]", R"({"count":12})", R"({"features":{}})",
                                 R"({"features":[],"exceededTransferLimit":"yes"})"}) {
    SCOPED_TRACE(body);
    try {
      parse_air_quality_page(body, AirQualityFields{}, AirQualityRules{}, kNow, "layer/0");
      ADD_FAILURE() << "no error";
    } catch (const Error& error) {
      EXPECT_EQ(error.code(), ExitCode::data);
      EXPECT_TRUE(testing::contains(error.what(), "layer/0: ")) << error.what();
    }
  }
}

// ---- the real hub CSV ---------------------------------------------------------------------

constexpr const char* kRealCsv = "atmo/Mesure_72h_Region_Occitanie_Polluants_Principaux.csv";

TEST(AirQualityRealCsv, MatchesTheFactsMeasuredOnTheFile) {
  METEO_SKIP_WITHOUT_SHARED_DATA(kRealCsv);
  const std::string body = testing::read_text(testing::shared_data(kRealCsv));
  // After the file's last hour, as a run reading it would be.
  const auto parsed = parse_air_quality_csv(body, AirQualityFields{}, AirQualityRules{},
                                            utc(2020, 3, 17, 9), kRealCsv);
  EXPECT_EQ(parsed.record_count, 9627u);
  EXPECT_EQ(parsed.measurements.size(), 9627u);
  EXPECT_EQ(parsed.rejected.size(), 0u) << parsed.rejected.at(0).reason;
  EXPECT_EQ(parsed.duplicates, 0u);
  EXPECT_EQ(parsed.stations.size(), 42u);
  EXPECT_EQ(parsed.kept_negative, 175u);

  std::size_t haute_garonne_stations = 0;
  for (const auto& station : parsed.stations) {
    EXPECT_TRUE(station.name.empty() || station.name.back() != ' ') << station.name;
    if (station.department == "HAUTE-GARONNE") ++haute_garonne_stations;
  }
  EXPECT_EQ(haute_garonne_stations, 17u);
  for (const std::string name :
       {"Blagnac Aéroport Trafic", "Toulouse-SETMI Eisenhower", "Blagnac Aéroport Piste"}) {
    EXPECT_TRUE(std::any_of(parsed.stations.begin(), parsed.stations.end(),
                            [&](const auto& station) { return station.name == name; }))
        << name;
  }

  std::map<std::string, std::string> department_of;
  for (const auto& station : parsed.stations) department_of[station.code] = station.department;
  std::map<std::string, std::size_t> per_pollutant;
  std::size_t haute_garonne_rows = 0;
  for (const auto& measurement : parsed.measurements) {
    ++per_pollutant[measurement.pollutant];
    if (department_of[measurement.station_code] == "HAUTE-GARONNE") ++haute_garonne_rows;
  }
  EXPECT_EQ(haute_garonne_rows, 3773u);
  EXPECT_EQ(per_pollutant, (std::map<std::string, std::size_t>{{"NO2", 1809},
                                                               {"PM10", 1753},
                                                               {"NO", 1670},
                                                               {"O3", 1603},
                                                               {"NOX", 1547},
                                                               {"PM2.5", 895},
                                                               {"SO2", 210},
                                                               {"H2S", 140}}));
}

}  // namespace
}  // namespace meteo
