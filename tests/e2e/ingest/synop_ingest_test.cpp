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
#include "synop_records.hpp"
#include "test_database.hpp"
#include "test_support.hpp"

namespace meteo::testing {
namespace {

namespace fs = std::filesystem;
using synop_records::export_csv;
using synop_records::export_json;
using synop_records::json_lines;
using synop_records::json_record;

// The source name docs/operations.md's SYNOP section uses.
constexpr const char* kSource = "synop-france";

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
    return station_network_contents(db);
  }

  void forget_everything_but_regions() {
    Database db = database_.connect();
    forget_station_networks_and_everything_but_regions(db);
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
    EXPECT_EQ(query_value(db,
                          "SELECT GROUP_CONCAT(name ORDER BY dataset_id SEPARATOR ', ')"
                          " FROM weather_stations"),
              "TOURS, GRENOBLE-ST GEOIRS, TOULOUSE-BLAGNAC")
        << "each station's nom";
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

// Météo-France renames a station now and then; a record whose nom is null says nothing of it.
TEST_F(SynopIngest, ANewerRecordRenamesAStationAndOneWithoutANameKeepsIt) {
  ingest(write("donnees-synop-essentielles-omm.json", export_json()));
  std::vector<std::string> renamed = synop_records::rows()[1];  // Blagnac, 03:00
  renamed[1] = "2026-11-20T06:00:00+00:00";
  renamed[2] = "TOULOUSE-BLAGNAC AEROPORT";
  std::vector<std::string> unnamed = synop_records::rows()[3];  // Tours, 03:00
  unnamed[1] = "2026-11-20T06:00:00+00:00";
  unnamed[2] = "";
  ingest(write("later.json", "[" + json_record(renamed) + ",\n" + json_record(unnamed) + "]\n"));

  Database db = database_.connect();
  EXPECT_EQ(query_value(db,
                        "SELECT GROUP_CONCAT(CONCAT(dataset_id, ' ', name) ORDER BY dataset_id"
                        " SEPARATOR ', ') FROM weather_stations"),
            "07240 TOURS, 07486 GRENOBLE-ST GEOIRS, 07630 TOULOUSE-BLAGNAC AEROPORT");
  EXPECT_EQ(query_value(db, "SELECT COUNT(*) FROM weather_observations"), "7");
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
