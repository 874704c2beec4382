// A dataset holding many stations (Météo-France SYNOP): units converted (K, Pa, m/s), nulls,
// rain traces, text station ids, stations learnt from the records, and the saved-file formats
// (.json, .jsonl, .csv) parsed alike.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "meteo/core/errors.hpp"
#include "meteo/sources/stations/portal.hpp"

namespace meteo {
namespace {

constexpr const char* kDataset = "donnees-synop-essentielles-omm";
constexpr const char* kOrigin = "https://public.opendatasoft.com/api/explore/v2.1/x";

const UtcSeconds kNow =
    std::chrono::sys_days{std::chrono::year{2026} / 11 / 22} + std::chrono::hours{6};

ObservationFields synop_fields() {
  return synop_observation_fields();
}

StationKeying synop_keying() {
  return {"numer_sta", synop_station_fields("numer_sta")};
}

// A Toulouse-Blagnac record with real SYNOP field names; `changes` replaces fields' JSON values.
std::string blagnac(const std::string& date = "2026-11-22T03:00:00+00:00",
                    const std::map<std::string, std::string>& changes = {}) {
  const std::vector<std::pair<std::string, std::string>> fields = {
      {"numer_sta", "\"07630\""},
      {"date", "\"" + date + "\""},
      {"nom", "\"TOULOUSE-BLAGNAC\""},
      {"t", "281.55"},
      {"tc", "8.4"},
      {"u", "91"},
      {"pres", "99420"},
      {"pmer", "101320"},
      {"ff", "2.5"},
      {"dd", "230"},
      {"raf10", "6"},
      {"rr1", "0"},
      {"rr3", "0.4"},
      {"rr6", "0.6"},
      {"rr12", "null"},
      {"rr24", "null"},
      {"latitude", "43.621"},
      {"longitude", "1.378667"},
      {"altitude", "151"},
      {"libgeo", "\"Blagnac\""},
      {"codegeo", "\"31069\""},
      {"nom_dept", "\"Haute-Garonne\""}};
  std::string record = "{";
  for (const auto& [name, value] : fields) {
    const auto changed = changes.find(name);
    if (record.size() > 1) record += ",";
    record += "\"" + name + "\":" + (changed == changes.end() ? value : changed->second);
  }
  return record + "}";
}

ParsedObservations parse(const std::string& body) {
  return parse_observations(body, kDataset, synop_fields(), kNow, kOrigin, synop_keying());
}

TEST(SynopParse, ConvertsKelvinPascalAndMetresPerSecond) {
  const auto parsed = parse("[" + blagnac() + "]");
  ASSERT_EQ(parsed.observations.size(), 1u);
  ASSERT_TRUE(parsed.rejected.empty()) << parsed.rejected[0].reason;
  const WeatherObservation& o = parsed.observations[0];
  EXPECT_EQ(o.dataset_id, "07630") << "the station key, leading zero kept";
  EXPECT_EQ(to_iso8601(o.observed_at), "2026-11-22T03:00:00Z");
  EXPECT_NEAR(*o.temperature_c, 8.4, 1e-9);
  EXPECT_DOUBLE_EQ(*o.pressure_hpa, 1013.2);
  EXPECT_DOUBLE_EQ(*o.wind_speed_kmh, 9.0);
  EXPECT_NEAR(*o.gust_kmh, 21.6, 1e-9);
  EXPECT_DOUBLE_EQ(*o.humidity_pct, 91);
  EXPECT_DOUBLE_EQ(*o.wind_direction_deg, 230);
  EXPECT_DOUBLE_EQ(*o.rain_mm, 0.4) << "rr3 alone: never rr1 + rr3 + rr6";
  EXPECT_FALSE(o.rain_intensity_max_mm);
}

TEST(SynopParse, LearnsEachStationOnceFromItsRecords) {
  const std::string tours =
      R"({"numer_sta":"07240","date":"2026-11-22T03:00:00+00:00","t":279.15,)"
      R"("latitude":47.4445,"longitude":0.727333,"altitude":108,"libgeo":"Parçay-Meslay"})";
  const auto parsed =
      parse("[" + blagnac() + "," + tours + "," + blagnac("2026-11-22T00:00:00+00:00") + "]");
  ASSERT_EQ(parsed.stations.size(), 2u);
  EXPECT_EQ(parsed.stations[0].dataset_id, "07630");
  EXPECT_EQ(parsed.stations[0].number, "07630");
  EXPECT_EQ(parsed.stations[0].commune, "Blagnac");
  EXPECT_EQ(parsed.stations[0].name, "TOULOUSE-BLAGNAC");
  EXPECT_DOUBLE_EQ(parsed.stations[0].latitude, 43.621);
  EXPECT_DOUBLE_EQ(*parsed.stations[0].altitude, 151);
  EXPECT_EQ(parsed.stations[1].dataset_id, "07240");
  EXPECT_EQ(parsed.stations[1].commune, "Parçay-Meslay");
  EXPECT_EQ(parsed.stations[1].name, "") << "Tours's record has no nom";
  ASSERT_EQ(parsed.observations.size(), 3u);
  // By station, then time.
  EXPECT_EQ(parsed.observations[0].dataset_id, "07240");
  EXPECT_EQ(parsed.observations[1].dataset_id, "07630");
  EXPECT_EQ(to_iso8601(parsed.observations[1].observed_at), "2026-11-22T00:00:00Z");
  EXPECT_EQ(parsed.observations[2].dataset_id, "07630");
}

// A renamed station takes the name of its newest record, in whichever order the records came; a
// record without a name names nothing.
TEST(SynopParse, TheNewestRecordNamingAStationGivesItsName) {
  const std::string renamed = blagnac("2026-11-22T03:00:00+00:00", {{"nom", "\"BLAGNAC-AERO\""}});
  const std::string older = blagnac("2026-11-22T00:00:00+00:00");
  const std::string unnamed = blagnac("2026-11-22T06:00:00+00:00", {{"nom", "null"}});
  for (const std::string& body : {"[" + older + "," + renamed + "," + unnamed + "]",
                                  "[" + unnamed + "," + renamed + "," + older + "]"}) {
    const auto parsed = parse(body);
    ASSERT_EQ(parsed.stations.size(), 1u) << body;
    EXPECT_EQ(parsed.stations[0].name, "BLAGNAC-AERO") << body;
    EXPECT_EQ(parsed.observations.size(), 3u);
  }
  EXPECT_EQ(parse("[" + unnamed + "]").stations.at(0).name, "");
}

TEST(SynopParse, TheSameTimeAtTwoStationsIsNoDuplicate) {
  const std::string tours = R"({"numer_sta":"07240","date":"2026-11-22T03:00:00+00:00",)"
                            R"("t":279.15,"latitude":47.4445,"longitude":0.727333})";
  const auto parsed = parse("[" + blagnac() + "," + tours + "," +
                            blagnac("2026-11-22T03:00:00+00:00", {{"u", "80"}}) + "]");
  EXPECT_EQ(parsed.duplicates, 1u) << "only Blagnac's 03:00 twice";
  ASSERT_EQ(parsed.observations.size(), 2u);
  EXPECT_DOUBLE_EQ(*parsed.observations[1].humidity_pct, 80) << "the later record wins";
}

TEST(SynopParse, NullsAreNothingMeasured) {
  const auto parsed = parse(R"([{"numer_sta":"07630","date":"2026-11-22T03:00:00+00:00",)"
                            R"("t":null,"u":null,"pmer":null,"ff":null,"dd":null,"raf10":null,)"
                            R"("rr3":null,"latitude":43.621,"longitude":1.378667}])");
  ASSERT_EQ(parsed.observations.size(), 1u);
  const WeatherObservation& o = parsed.observations[0];
  EXPECT_FALSE(o.temperature_c);
  EXPECT_FALSE(o.humidity_pct);
  EXPECT_FALSE(o.pressure_hpa);
  EXPECT_FALSE(o.wind_speed_kmh);
  EXPECT_FALSE(o.gust_kmh);
  EXPECT_FALSE(o.rain_mm);
}

TEST(SynopParse, ASmallNegativeRainIsATraceALargerOneIsRejected) {
  const auto trace = parse("[" + blagnac("2026-11-22T03:00:00+00:00", {{"rr3", "-0.1"}}) + "]");
  ASSERT_EQ(trace.observations.size(), 1u);
  EXPECT_EQ(*trace.observations[0].rain_mm, 0.0) << "-0.1 codes a trace: stored as 0 mm";
  const auto small = parse("[" + blagnac("2026-11-22T03:00:00+00:00", {{"rr3", "-0.05"}}) + "]");
  ASSERT_EQ(small.observations.size(), 1u);
  EXPECT_EQ(*small.observations[0].rain_mm, 0.0);
  const auto large = parse("[" + blagnac("2026-11-22T03:00:00+00:00", {{"rr3", "-0.4"}}) + "]");
  EXPECT_TRUE(large.observations.empty());
  ASSERT_EQ(large.rejected.size(), 1u);
  EXPECT_EQ(large.rejected[0].reason,
            "rr3 -0.4 is below -0.1 mm, the trace code: a negative accumulation");
  EXPECT_TRUE(large.stations.empty() || large.stations[0].dataset_id == "07630");
}

TEST(SynopParse, ARecordWithoutItsStationIsRejectedWithAReason) {
  const auto missing = parse(R"([{"date":"2026-11-22T03:00:00+00:00","t":281.55,)"
                             R"("latitude":43.621,"longitude":1.378667}])");
  ASSERT_EQ(missing.rejected.size(), 1u);
  EXPECT_EQ(missing.rejected[0].reason, "missing field numer_sta (the station)");
  EXPECT_TRUE(missing.stations.empty());

  const auto numeric = parse(R"([{"numer_sta":7630,"date":"2026-11-22T03:00:00+00:00",)"
                             R"("latitude":43.621,"longitude":1.378667}])");
  ASSERT_EQ(numeric.rejected.size(), 1u);
  EXPECT_EQ(numeric.rejected[0].reason, "field numer_sta is not text (number 7630)");

  const auto nowhere = parse(R"([{"numer_sta":"07630","date":"2026-11-22T03:00:00+00:00"}])");
  ASSERT_EQ(nowhere.rejected.size(), 1u);
  EXPECT_EQ(nowhere.rejected[0].reason, "station 07630: no valid latitude");
}

TEST(SynopParse, ConvertedValuesAreRangeCheckedInStoredUnits) {
  const auto parsed = parse("[" + blagnac("2026-11-22T03:00:00+00:00", {{"t", "400"}}) + "]");
  ASSERT_EQ(parsed.rejected.size(), 1u);
  EXPECT_EQ(parsed.rejected[0].reason, "t 400 (126.85 °C) is outside [-60, 60] °C");
}

// ---- saved files ------------------------------------------------------------------------------

// By the name's extension, as `ingest --file` reads a file.
ParsedObservations parse_file(const std::string& body, const std::string& name) {
  return parse_observation_file(body, name, std::nullopt, "file", synop_fields(), kNow,
                                synop_keying());
}

const std::string kTours = R"({"numer_sta":"07240","date":"2026-11-22T00:00:00+00:00",)"
                           R"("t":279.15,"u":null,"rr3":-0.1,"latitude":47.4445,)"
                           R"("longitude":0.727333,"altitude":108,"libgeo":"Parçay-Meslay"})";

const std::string kCsv =
    "numer_sta;date;nom;t;u;rr3;latitude;longitude;altitude;libgeo\n"
    "07240;2026-11-22T00:00:00+00:00;;279.15;;-0.1;47.4445;0.727333;108;Parçay-Meslay\n"
    "07630;2026-11-22T03:00:00+00:00;TOULOUSE-BLAGNAC;281.55;91;0.4;43.621;1.378667;151;"
    "\"Blagnac\"\n";

const std::string kBlagnacShort = R"({"numer_sta":"07630","date":"2026-11-22T03:00:00+00:00",)"
                                  R"("nom":"TOULOUSE-BLAGNAC",)"
                                  R"("t":281.55,"u":91,"rr3":0.4,"latitude":43.621,)"
                                  R"("longitude":1.378667,"altitude":151,"libgeo":"Blagnac"})";

void expect_same(const ParsedObservations& a, const ParsedObservations& b) {
  ASSERT_EQ(a.observations.size(), b.observations.size());
  for (std::size_t i = 0; i < a.observations.size(); ++i) {
    EXPECT_EQ(a.observations[i].dataset_id, b.observations[i].dataset_id);
    EXPECT_EQ(a.observations[i].observed_at, b.observations[i].observed_at);
    EXPECT_EQ(a.observations[i].temperature_c, b.observations[i].temperature_c);
    EXPECT_EQ(a.observations[i].humidity_pct, b.observations[i].humidity_pct);
    EXPECT_EQ(a.observations[i].rain_mm, b.observations[i].rain_mm);
  }
  ASSERT_EQ(a.stations.size(), b.stations.size());
  for (std::size_t i = 0; i < a.stations.size(); ++i) {
    EXPECT_EQ(a.stations[i].dataset_id, b.stations[i].dataset_id);
    EXPECT_EQ(a.stations[i].commune, b.stations[i].commune);
    EXPECT_EQ(a.stations[i].name, b.stations[i].name);
    EXPECT_EQ(a.stations[i].altitude, b.stations[i].altitude);
  }
}

TEST(SynopFile, JsonJsonLinesAndCsvReadAlike) {
  const auto json = parse_file("[" + kTours + "," + kBlagnacShort + "]", "file:/d/synop.json");
  const auto lines = parse_file(kTours + "\n\n" + kBlagnacShort + "\n", "file:/d/synop.JSONL");
  const auto csv = parse_file(kCsv, "file:/d/synop.csv");
  ASSERT_EQ(json.observations.size(), 2u);
  EXPECT_TRUE(json.rejected.empty());
  EXPECT_EQ(json.stations[0].dataset_id, "07240") << "the CSV keeps the leading zero too";
  expect_same(json, lines);
  expect_same(json, csv);
  EXPECT_EQ(csv.stations[1].commune, "Blagnac");
  EXPECT_EQ(csv.stations[1].name, "TOULOUSE-BLAGNAC");
  EXPECT_EQ(csv.stations[0].name, "") << "an empty cell names nothing";
  EXPECT_FALSE(csv.observations[0].humidity_pct) << "an empty cell is null";
}

// A body saved under a scratch name (serve's POST /ingest): the format its sender declared, the
// name's extension (none, or a misleading one) never consulted.
TEST(SynopFile, ADeclaredFormatWinsOverTheName) {
  const auto read = [](const std::string& body, sources::FileFormat format,
                       const std::string& name) {
    return parse_observation_file(body, name, format, "file", synop_fields(), kNow, synop_keying());
  };
  const auto json = parse_file("[" + kTours + "," + kBlagnacShort + "]", "file:/d/synop.json");
  expect_same(json, read("[" + kTours + "," + kBlagnacShort + "]", sources::FileFormat::json,
                         "file:/tmp/meteo-etl-serve-ingest-a1b2c3"));
  expect_same(json, read(kTours + "\n" + kBlagnacShort + "\n", sources::FileFormat::json_lines,
                         "file:/tmp/meteo-etl-serve-ingest-a1b2c3"));
  expect_same(json, read(kCsv, sources::FileFormat::csv, "file:/tmp/upload.json"));
  EXPECT_THROW(parse_file(kCsv, "file:/tmp/meteo-etl-serve-ingest-a1b2c3"), Error)
      << "without a declared format, a name without extension tells nothing";
}

TEST(SynopFile, ACsvCellThatIsNoNumberIsRejectedAsJsonWouldBe) {
  const auto csv = parse_file(
      "numer_sta;date;t;latitude;longitude\n07630;2026-11-22T03:00:00+00:00;8,4;43.6;1.4\n",
      "file:/d/synop.csv");
  ASSERT_EQ(csv.rejected.size(), 1u);
  EXPECT_EQ(csv.rejected[0].reason, R"(field t is not a number (string "8,4"))");
}

TEST(SynopFile, MalformedFilesAndUnknownExtensionsAreNamed) {
  try {
    parse_file(kTours + "\n{\"numer_sta\":\n", "file:/d/synop.jsonl");
    ADD_FAILURE() << "a broken line was read";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ExitCode::data);
    EXPECT_NE(std::string(error.what()).find("file:/d/synop.jsonl: line 2"), std::string::npos)
        << error.what();
  }
  try {
    parse_file("numer_sta;date\n07630\n", "file:/d/synop.csv");
    ADD_FAILURE() << "a short row was read";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ExitCode::data);
    EXPECT_NE(std::string(error.what()).find("line 2: 1 fields, the header has 2"),
              std::string::npos)
        << error.what();
  }
  try {
    parse_file("[]", "file:/d/synop.xml");
    ADD_FAILURE() << "an .xml file was read";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ExitCode::usage);
  }
}

}  // namespace
}  // namespace meteo
