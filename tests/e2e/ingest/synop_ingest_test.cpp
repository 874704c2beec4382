// `ingest --file` of a Météo-France SYNOP payload (one dataset, many stations) end to end: the
// portal's exports/json array, JSON Lines and its ';'-separated CSV export, written from the same
// hand-made records with SYNOP's real field names, store the same stations, observations, hourly
// weather, region temperatures and rejects; twice counts nothing twice.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "cli_job.hpp"
#include "config_files.hpp"
#include "db_snapshot.hpp"
#include "paths.hpp"
#include "subprocess.hpp"
#include "test_database.hpp"
#include "test_support.hpp"

namespace meteo::testing {
namespace {

namespace fs = std::filesystem;

// The source name docs/operations.md's SYNOP section uses.
constexpr const char* kSource = "synop-france";

// Columns of the portal's export, in its order; the records, one cell per column ("" is null).
const std::vector<std::string> kColumns = {
    "numer_sta", "date", "nom", "t",   "u",        "pmer",      "ff",       "dd",
    "raf10",     "rr1",  "rr3", "rr6", "latitude", "longitude", "altitude", "libgeo"};
// Text columns: quoted in JSON; the others are numbers.
bool is_text(const std::string& column) {
  return column == "numer_sta" || column == "date" || column == "nom" || column == "libgeo";
}

const std::vector<std::vector<std::string>> kRows = {
    {"07630", "2026-11-20T00:00:00+00:00", "TOULOUSE-BLAGNAC", "281.55", "91", "101320", "2.5",
     "230", "6", "0", "0.4", "0.6", "43.621", "1.378667", "151", "Blagnac"},
    {"07630", "2026-11-20T03:00:00+00:00", "TOULOUSE-BLAGNAC", "280.15", "94", "101290", "1.5",
     "210", "", "0", "-0.1", "0.4", "43.621", "1.378667", "151", "Blagnac"},
    {"07240", "2026-11-20T00:00:00+00:00", "TOURS", "279.35", "", "101850", "4", "180", "8.2", "",
     "1.2", "2", "47.4445", "0.727333", "108", "Parçay-Meslay"},
    {"07240", "2026-11-20T03:00:00+00:00", "TOURS", "", "88", "101800", "3.1", "190", "7", "0", "0",
     "1.2", "47.4445", "0.727333", "108", "Parçay-Meslay"},
    {"07486", "2026-11-20T03:00:00+00:00", "GRENOBLE-ST GEOIRS", "276.45", "97", "102010", "0.5",
     "", "", "", "", "", "45.362667", "5.312833", "384", "Saint-Étienne-de-Saint-Geoirs"},
    // No station: rejected with its reason.
    {"", "2026-11-20T03:00:00+00:00", "", "280", "90", "", "", "", "", "", "", "", "", "", "", ""},
    // A negative accumulation larger than a trace: rejected.
    {"07486", "2026-11-20T00:00:00+00:00", "GRENOBLE-ST GEOIRS", "276.85", "96", "102030", "0", "",
     "", "", "-2", "", "45.362667", "5.312833", "384", "Saint-Étienne-de-Saint-Geoirs"},
};

std::string json_record(const std::vector<std::string>& row) {
  std::string json = "{";
  for (std::size_t i = 0; i < kColumns.size(); ++i) {
    if (i > 0) json += ", ";
    json += "\"" + kColumns[i] + "\": ";
    if (row[i].empty()) {
      json += "null";
    } else if (is_text(kColumns[i])) {
      json += "\"" + row[i] + "\"";
    } else {
      json += row[i];
    }
  }
  return json + "}";
}

std::string export_json() {
  std::string json = "[\n";
  for (std::size_t i = 0; i < kRows.size(); ++i) {
    json += (i > 0 ? ",\n" : "") + json_record(kRows[i]);
  }
  return json + "\n]\n";
}

std::string json_lines() {
  std::string lines;
  for (const auto& row : kRows) lines += json_record(row) + "\n";
  return lines;
}

std::string export_csv() {
  const auto joined = [](const std::vector<std::string>& cells) {
    std::string line;
    for (std::size_t i = 0; i < cells.size(); ++i) line += (i > 0 ? ";" : "") + cells[i];
    return line + "\r\n";
  };
  std::string csv = "\xEF\xBB\xBF" + joined(kColumns);  // the portal's export starts with a BOM
  for (const auto& row : kRows) csv += joined(row);
  return csv;
}

class SynopIngest : public ::testing::Test {
 protected:
  void SetUp() override {
    METEO_SKIP_WITHOUT_SHARED_DATA("geo/regions.geojson");
    std::ofstream config(config_path());
    config << database_toml(database_.config()) << "\n[archive]\nroot = \""
           << (directory_ / "archive").string() << "\"\n"
           << "\n[[region_sets]]\nname = \"fr-regions\"\nlocation = \""
           << shared_data("geo/regions.geojson") << "\"\n"
           << "\n[[sources]]\nname = \"" << kSource << "\"\ntype = \"opendatasoft-stations\"\n"
           << "base_url = \"http://127.0.0.1:9\"\n"  // never asked: a file is all it reads
           << "datasets = [\"donnees-synop-essentielles-omm\"]\nstation_field = \"numer_sta\"\n"
           << "start = \"2026-11-01T00\"\nregion_sets = [\"fr-regions\"]\n";
    config.close();
    expect_ok({"migrate"});
    expect_ok({"regions", "load", "--set", "fr-regions"});
  }

  std::string config_path() const { return (directory_ / "meteo-etl.toml").string(); }

  fs::path write(const std::string& name, const std::string& contents) {
    const fs::path path = directory_ / name;
    std::ofstream(path, std::ios::binary) << contents;
    return path;
  }

  ProcessResult meteo(std::vector<std::string> args) {
    return run_meteo_etl(config_path(), database_.config(), "", std::move(args));
  }

  void expect_ok(const std::vector<std::string>& args) {
    const auto result = meteo(args);
    ASSERT_EQ(result.exit_code, 0) << "meteo-etl " << args.front() << "\n" << result.err;
  }

  // The documented command, the file substituted.
  void ingest(const fs::path& file) {
    std::vector<std::string> words =
        documented_command("meteo-etl ingest --source synop-france", "docs/operations.md");
    ASSERT_FALSE(words.empty()) << "docs/operations.md shows no SYNOP ingest line";
    for (std::size_t i = 1; i < words.size(); ++i) {
      if (words[i - 1] == "--file") words[i] = file.string();
    }
    expect_ok(words);
  }

  // Everything the ingest stores, run ids and clocks aside.
  std::string stored() {
    Database db = database_.connect();
    return station_contents(db) +
           query_contents(db,
                          "SELECT dataset_id, observed_at, temperature_c, humidity_pct,"
                          " pressure_hpa, rain_mm, wind_speed_kmh, gust_kmh, wind_direction_deg"
                          " FROM weather_observations ORDER BY dataset_id, observed_at") +
           query_contents(db,
                          "SELECT dataset_id, hour, temperature_mean, rain_sum, observations"
                          " FROM station_hourly_weather ORDER BY dataset_id, hour") +
           query_contents(db,
                          "SELECT region_set, region_code, hour, temperature, numberOfPoints"
                          " FROM region_hourly_temperature ORDER BY region_code, hour") +
           query_contents(db, "SELECT reason, record FROM rejected_records ORDER BY reason") +
           query_contents(db, "SELECT dataset_id FROM station_datasets ORDER BY dataset_id");
  }

  // The harness's forgetting keeps station data: this one drops it too (alerts with it).
  void forget_everything_but_regions() {
    Database db = database_.connect();
    for (const char* table :
         {"alert_notifications", "alert_triggers", "alerts", "station_regions", "weather_stations",
          "station_hourly_weather", "weather_observations", "station_datasets"}) {
      db.execute(std::string("DELETE FROM ") + table);
    }
    meteo::testing::forget_everything_but_regions(db);
  }

  ScratchDatabase database_;
  TestDirectory directory_;
};

TEST_F(SynopIngest, JsonJsonLinesAndCsvStoreTheSameAndTwiceChangesNothing) {
  const fs::path json = write("donnees-synop-essentielles-omm.json", export_json());
  ingest(json);
  const std::string from_json = stored();
  expect_ok({"verify", "--from", "2026-11-19T00", "--to", "2026-11-21T00"});

  {
    Database db = database_.connect();
    EXPECT_EQ(query_value(db, "SELECT COUNT(*) FROM weather_stations"), "3");
    EXPECT_EQ(query_value(db, "SELECT number FROM weather_stations WHERE dataset_id = '07630'"),
              "07630")
        << "the WMO id keeps its leading zero";
    EXPECT_EQ(query_value(db, "SELECT COUNT(*) FROM weather_observations"), "5");
    EXPECT_EQ(query_value(db,
                          "SELECT ROUND(temperature_c * 10) FROM weather_observations"
                          " WHERE dataset_id = '07630' AND observed_at = '2026-11-20 00:00:00'"),
              "84")
        << "281.55 K is 8.4 °C";
    EXPECT_EQ(query_value(db,
                          "SELECT CONCAT(ROUND(pressure_hpa * 10), ' ', ROUND(wind_speed_kmh * 10),"
                          " ' ', ROUND(gust_kmh * 10)) FROM weather_observations"
                          " WHERE dataset_id = '07630' AND observed_at = '2026-11-20 00:00:00'"),
              "10132 90 216")
        << "Pa -> hPa, m/s -> km/h (tenths)";
    EXPECT_EQ(query_value(db,
                          "SELECT rain_mm FROM weather_observations"
                          " WHERE dataset_id = '07630' AND observed_at = '2026-11-20 03:00:00'"),
              "0")
        << "rr3 = -0.1 is a trace";
    EXPECT_EQ(query_value(db, "SELECT region_code FROM station_regions WHERE dataset_id = '07630'"),
              "76")
        << "Toulouse-Blagnac lies in Occitanie";
    EXPECT_EQ(query_value(db, "SELECT COUNT(*) FROM rejected_records"), "2");
    EXPECT_EQ(query_value(db,
                          "SELECT COUNT(*) FROM rejected_records"
                          " WHERE reason LIKE '%missing field numer_sta (the station)'"),
              "1");
    EXPECT_EQ(query_value(db, "SELECT COUNT(*) FROM station_datasets WHERE dataset_id = 'file'"),
              "0")
        << "a file is no dataset";
    EXPECT_EQ(query_value(db,
                          "SELECT CONCAT(kind, ' ', status, ' ', fetched, ' ', rejected)"
                          " FROM etl_runs"),
              "ingest succeeded 7 2");
    const std::string product = product_contents(db);
    ingest(json);
    EXPECT_EQ(product_contents(db), product) << "the second ingest counts nothing twice";
  }

  forget_everything_but_regions();
  ingest(write("donnees-synop-essentielles-omm.jsonl", json_lines()));
  EXPECT_EQ(stored(), from_json) << "JSON Lines";

  forget_everything_but_regions();
  ingest(write("donnees-synop-essentielles-omm.csv", export_csv()));
  EXPECT_EQ(stored(), from_json) << "the portal's CSV export";
}

TEST_F(SynopIngest, DryRunCountsTheRecordsAndRejectsAndWritesNothing) {
  const fs::path csv = write("donnees-synop-essentielles-omm.csv", export_csv());
  const auto result = meteo({"ingest", "--source", kSource, "--file", csv.string(), "--dry-run"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find(": 7 record(s), rejected 2, duplicates 0"), std::string::npos)
      << result.out;
  Database db = database_.connect();
  EXPECT_EQ(count_rows(db, "weather_observations"), 0u);
  EXPECT_EQ(count_rows(db, "etl_runs"), 0u);
}

TEST_F(SynopIngest, AFileOfAnotherFormatExits64) {
  const auto result =
      meteo({"ingest", "--source", kSource, "--file", write("synop.xml", "<synop/>").string()});
  EXPECT_EQ(result.exit_code, 64) << result.err;
  EXPECT_NE(result.err.find(".json"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace meteo::testing
