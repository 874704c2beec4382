// parse_station_list, parse_catalog_dataset_ids and check_dataset_schema, with the real station
// export and the real catalogue's field lists (read from the shared data directory).
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "meteo/core/errors.hpp"
#include "meteo/sources/stations/portal.hpp"
#include "paths.hpp"

namespace meteo {
namespace {

constexpr const char* kOrigin = "http://portal.test/x";

std::string read_shared(const std::string& relative) {
  const std::string path = testing::shared_data("toulouse/" + relative);
  std::ifstream in(path, std::ios::binary);
  if (!in) ADD_FAILURE() << "cannot read " << path;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

ExitCode error_code(const std::function<void()>& action, std::string* message = nullptr) {
  try {
    action();
  } catch (const Error& error) {
    if (message) *message = error.what();
    return error.code();
  }
  return ExitCode::ok;
}

// ---- parse_station_list ----------------------------------------------------------------------

TEST(StationsStationList, ReadsTheRealExport) {
  METEO_SKIP_WITHOUT_SHARED_DATA("toulouse/stations-meteo-en-place.exports.json");
  std::vector<std::string> skipped;
  const auto stations = parse_station_list(read_shared("stations-meteo-en-place.exports.json"), {},
                                           kOrigin, &skipped);
  EXPECT_EQ(stations.size(), 77u);
  EXPECT_TRUE(skipped.empty());
  const auto soufflot = std::find_if(stations.begin(), stations.end(), [](const auto& s) {
    return s.dataset_id == "63-station-meteo-toulouse-life-soufflot";  // "LIFE" in the export
  });
  ASSERT_NE(soufflot, stations.end());
  EXPECT_EQ(soufflot->number, "63");
  EXPECT_EQ(soufflot->commune, "Toulouse");
  EXPECT_EQ(soufflot->type, "TH");
  EXPECT_DOUBLE_EQ(soufflot->latitude, 43.58533929);
  EXPECT_DOUBLE_EQ(soufflot->longitude, 1.441291712);
  EXPECT_DOUBLE_EQ(*soufflot->altitude, 138.21);
  const auto iss = std::count_if(stations.begin(), stations.end(),
                                 [](const auto& s) { return s.type == "ISS"; });
  EXPECT_EQ(iss, 61);
  for (const auto& station : stations) {
    EXPECT_TRUE(std::none_of(station.dataset_id.begin(), station.dataset_id.end(), [](char c) {
      return c >= 'A' && c <= 'Z';
    })) << station.dataset_id;
  }
}

TEST(StationsStationList, ReadsARecordsPageAndSkipsIncompleteRecords) {
  const std::string body = R"({"total_count":5,"results":[
    {"id_nom":"01-Station-A","id_numero":"01","latitude":43.6,"longitude":1.4,"ville":"Blagnac"},
    {"id_numero":2,"latitude":43.6,"longitude":1.4},
    {"id_nom":"03-station-c","id_numero":3,"longitude":1.4},
    {"id_nom":"04-station-d","id_numero":4,"latitude":"43.6","longitude":1.4},
    {"id_nom":"05-station-e","latitude":43.6,"longitude":181},
    "not a record"
  ]})";
  std::vector<std::string> skipped;
  const auto stations = parse_station_list(body, {}, kOrigin, &skipped);
  ASSERT_EQ(stations.size(), 1u);
  EXPECT_EQ(stations[0].dataset_id, "01-station-a");
  EXPECT_EQ(stations[0].number, "01");
  EXPECT_EQ(stations[0].commune, "Blagnac");
  EXPECT_EQ(stations[0].type, "");
  EXPECT_FALSE(stations[0].altitude);
  const std::vector<std::string> expected{
      "station record 1: no id_nom", "station record 2: 03-station-c: no valid latitude",
      "station record 3: 04-station-d: no valid latitude",
      "station record 4: 05-station-e: no valid longitude",
      R"(station record 5: not an object (string "not a record"))"};
  EXPECT_EQ(skipped, expected);
  // Without a list to fill, skipping is silent.
  EXPECT_EQ(parse_station_list(body, {}, kOrigin).size(), 1u);
}

// Issue 15: the last of two values silently won: a station placed by one of two latitudes.
TEST(StationsStationList, AStationGivingAFieldTwiceIsSkippedNamingIt) {
  const std::string body = R"([
    {"id_nom":"01-station-a","latitude":43.6,"latitude":45.1,"longitude":1.4},
    {"id_nom":"02-station-b","latitude":43.6,"longitude":1.4}
  ])";
  std::vector<std::string> skipped;
  const auto stations = parse_station_list(body, {}, kOrigin, &skipped);
  ASSERT_EQ(stations.size(), 1u);
  EXPECT_EQ(stations[0].dataset_id, "02-station-b");
  EXPECT_EQ(skipped,
            std::vector<std::string>{R"(station record 0: field "latitude" appears twice)"});
}

// Issue 15 defect 4: one station holding 1e309 is skipped naming it; the list still loads.
TEST(StationsStationList, AStationHoldingANumberBeyondADoubleIsSkippedNamingIt) {
  const std::string body = R"({"total_count":3,"results":[
    {"id_nom":"01-station-a","latitude":43.6,"longitude":1e309},
    {"id_nom":"02-station-b","latitude":43.6,"longitude":1.4},
    {"id_nom":"03-station-c","latitude":43.6,"longitude":1.4,"extra":{"x":-1e999}}
  ]})";
  std::vector<std::string> skipped;
  const auto stations = parse_station_list(body, {}, kOrigin, &skipped);
  ASSERT_EQ(stations.size(), 1u);
  EXPECT_EQ(stations[0].dataset_id, "02-station-b");
  EXPECT_EQ(skipped, (std::vector<std::string>{
                         R"(station record 0: field "longitude": number 1e309 is out of range )"
                         "(past a double's ±1.8e308)",
                         "station record 2: number -1e999 is out of range (past a double's "
                         "±1.8e308)"}));
}

TEST(StationsStationList, OtherFieldNamesFromConfiguration) {
  StationListFields fields;
  fields.dataset = "dataset";
  fields.latitude = "lat";
  fields.longitude = "lon";
  const auto stations = parse_station_list(
      R"([{"dataset":"ABC","lat":45,"lon":4.8,"id_numero":7.5}])", fields, kOrigin);
  ASSERT_EQ(stations.size(), 1u);
  EXPECT_EQ(stations[0].dataset_id, "abc");
  EXPECT_EQ(stations[0].number, "7.5");
}

TEST(StationsStationList, MalformedBodyIsADataError) {
  std::string message;
  EXPECT_EQ(error_code([] { parse_station_list("[{]", {}, kOrigin); }, &message), ExitCode::data);
  EXPECT_EQ(message.rfind(std::string(kOrigin) + ": station list is not valid JSON at byte 2", 0),
            0u)
      << message;
  EXPECT_EQ(error_code([] { parse_station_list("{}", {}, kOrigin); }), ExitCode::data);
}

// ---- the catalogue ---------------------------------------------------------------------------

TEST(StationsCatalog, ReadsDatasetIds) {
  const auto ids = parse_catalog_dataset_ids(
      R"({"total_count":3,"results":[{"dataset_id":"a","fields":[]},{"dataset_id":"b"}]})",
      kOrigin);
  EXPECT_EQ(ids, (std::vector<std::string>{"a", "b"}));
}

TEST(StationsCatalog, EntryWithoutIdIsADataError) {
  EXPECT_EQ(error_code([] { parse_catalog_dataset_ids(R"({"results":[{"id":"a"}]})", kOrigin); }),
            ExitCode::data);
  EXPECT_EQ(error_code([] { parse_catalog_dataset_ids("nope", kOrigin); }), ExitCode::data);
}

// A catalogue page or a dataset has no records to reject one by one: a number past a double's
// range fails it, with a message naming the number (not "invalid JSON": it is valid grammar).
TEST(StationsCatalog, ANumberBeyondADoubleIsADataErrorNamingIt) {
  std::string message;
  EXPECT_EQ(error_code(
                [] {
                  parse_catalog_dataset_ids(
                      R"({"total_count":1,"results":[{"dataset_id":"a","size":1e309}]})", kOrigin);
                },
                &message),
            ExitCode::data);
  EXPECT_EQ(message, std::string(kOrigin) +
                         ": catalogue: number 1e309 is out of range (past a double's ±1.8e308)");
  EXPECT_EQ(error_code(
                [] {
                  check_dataset_schema(R"({"fields":[{"name":"pluie","max":-2e308}]})", {},
                                       kOrigin);
                },
                &message),
            ExitCode::data);
  EXPECT_EQ(message, std::string(kOrigin) +
                         ": dataset: number -2e308 is out of range (past a double's ±1.8e308)");
}

// ---- check_dataset_schema --------------------------------------------------------------------

TEST(StationsSchema, NamesTheMissingFields) {
  const ObservationFields fields;
  const auto ok = check_dataset_schema(
      R"({"dataset_id":"a","fields":[{"name":"heure_de_paris","type":"datetime"},)"
      R"({"name":"temperature_en_degre_c","type":"double"}]})",
      fields, kOrigin);
  EXPECT_TRUE(ok.supported);
  EXPECT_EQ(ok.reason, "");

  const auto no_time = check_dataset_schema(
      R"({"dataset_id":"a","fields":[{"name":"temperature_en_degre_c"}]})", fields, kOrigin);
  EXPECT_FALSE(no_time.supported);
  EXPECT_EQ(no_time.reason, "no field heure_de_paris");

  const auto neither = check_dataset_schema(R"({"fields":[{"name":"data"}]})", fields, kOrigin);
  EXPECT_FALSE(neither.supported);
  EXPECT_EQ(neither.reason, "no field heure_de_paris, no field temperature_en_degre_c");
}

TEST(StationsSchema, AcceptsTheWrappedForm) {
  EXPECT_TRUE(
      check_dataset_schema(
          R"({"dataset":{"fields":[{"name":"heure_de_paris"},{"name":"temperature_en_degre_c"}]}})",
          {}, kOrigin)
          .supported);
}

TEST(StationsSchema, WithoutFieldListIsADataError) {
  EXPECT_EQ(error_code([] { check_dataset_schema(R"({"dataset_id":"a"})", {}, kOrigin); }),
            ExitCode::data);
  EXPECT_EQ(error_code([] { check_dataset_schema("{", {}, kOrigin); }), ExitCode::data);
}

TEST(StationsSchema, FourOfTheRealCatalogueLackTheTimeField) {
  METEO_SKIP_WITHOUT_SHARED_DATA("toulouse/catalog-v1-search-q-meteo.json");
  const auto catalogue = nlohmann::json::parse(read_shared("catalog-v1-search-q-meteo.json"));
  const auto& datasets = catalogue.at("datasets");
  ASSERT_EQ(datasets.size(), 49u);
  std::vector<std::string> unsupported;
  for (const auto& entry : datasets) {
    // The v1 entry's field list, in the v2.1 shape of GET catalog/datasets/{id}.
    const nlohmann::json v21{{"dataset_id", entry.at("datasetid")}, {"fields", entry.at("fields")}};
    const auto schema = check_dataset_schema(v21.dump(), {}, kOrigin);
    if (!schema.supported) {
      EXPECT_EQ(schema.reason, "no field heure_de_paris") << entry.at("datasetid");
      unsupported.push_back(entry.at("datasetid"));
    }
  }
  std::sort(unsupported.begin(), unsupported.end());
  const std::vector<std::string> expected{
      "06-station-meteo-toulouse-ecluse", "38-station-meteo-toulouse-parc-jardin-des-plantes",
      "63-station-meteo-toulouse-life-marechal-juin", "65-station-meteo-toulouse-life-gastou"};
  EXPECT_EQ(unsupported, expected);
}

}  // namespace
}  // namespace meteo
