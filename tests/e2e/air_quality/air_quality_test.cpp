// The ATMO Occitanie air-quality source end to end: meteo-etl run as cron runs it, against the
// ArcGIS layer simulator and MariaDB; the stored figures checked against recompute.py, an
// independent recomputation from the CSV the simulator served.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "arcgis_sim.hpp"
#include "cli_job.hpp"
#include "config_files.hpp"
#include "db_snapshot.hpp"
#include "meteo/core/time.hpp"
#include "paths.hpp"
#include "portal_sim.hpp"
#include "subprocess.hpp"
#include "test_database.hpp"

namespace meteo::testing {
namespace {

namespace fs = std::filesystem;
using std::chrono::hours;

constexpr std::size_t kRowsInFile = 9627;
constexpr std::size_t kStationsInFile = 42;
constexpr const char* kSource = "atmo";

// The layer's present: the last 09:00Z not after the real clock, so the simulator serves the whole
// file (its newest hour, 08:00Z, an hour before) and the tool's window, ending at the real now,
// covers it.
UtcSeconds layer_now() {
  const auto now = std::chrono::system_clock::now();
  return std::chrono::floor<std::chrono::days>(now - hours(9)) + hours(9);
}

std::string describe(const ProcessResult& result) {
  return "exit " + std::to_string(result.exit_code) + "\nstdout:\n" + result.out + "\nstderr:\n" +
         result.err;
}

class AirQuality : public ::testing::Test {
 protected:
  void SetUp() override {
    METEO_SKIP_WITHOUT_SHARED_DATA(kAtmoCsv, "geo/communes-31-haute-garonne.geojson");
  }

  ArcGisSimOptions sim_options() const {
    ArcGisSimOptions options;
    options.now = to_iso8601(now_);
    return options;
  }

  // `url` the simulator's layer (or nothing: a source for files only).
  void write_config(const std::string& layer_url, const DatabaseConfig& db,
                    const std::string& where = "1=1", const std::string& extra = "") {
    std::ofstream config(config_path());
    config << database_toml(db) << "\n[archive]\nroot = \"" << (directory_ / "archive").string()
           << "\"\n[[region_sets]]\nname = \"toulouse-communes\"\nlocation = \""
           << shared_data("geo/communes-31-haute-garonne.geojson") << "\"\n"
           << "\n[[sources]]\nname = \"" << kSource << "\"\ntype = \"arcgis-air-quality\"\n"
           << "url = \"" << layer_url << "\"\nwhere = \"" << where << "\"\nstart = \""
           << to_iso8601(now_ - hours(24 * 4))
           << "\"\nlookback_hours = 168\nmax_catch_up_hours = 168\n"
           << "region_sets = [\"toulouse-communes\"]\n"
           << extra << "[sources.http]\nretry_attempts = 3\nretry_initial_backoff_ms = 50\n"
           << "retry_max_backoff_ms = 2000\n";
  }
  void write_config(const ArcGisSim& sim) {
    write_config(sim.base_url() + ArcGisSim::layer_path(), database_.config());
  }
  std::string config_path() const { return (directory_ / "meteo.toml").string(); }

  ProcessResult meteo(std::vector<std::string> args, const DatabaseConfig& db) {
    args.insert(args.begin(), meteo_etl_binary());
    return run_process(args, cron_environment(config_path(), db), std::chrono::seconds(300));
  }
  ProcessResult meteo(std::vector<std::string> args) {
    return meteo(std::move(args), database_.config());
  }

  void prepare(const DatabaseConfig& db) {
    const auto migrate = meteo({"migrate"}, db);
    ASSERT_EQ(migrate.exit_code, 0) << describe(migrate);
    const auto load = meteo({"regions", "load"}, db);
    ASSERT_EQ(load.exit_code, 0) << describe(load);
  }
  void prepare() { prepare(database_.config()); }

  // Every figure the source stores, without the bookkeeping columns (run ids, updated_at).
  static std::string figures(Database& db) {
    return query_contents(db,
                          "SELECT station_code, pollutant, measured_at, value_ugm3, validated"
                          " FROM air_quality_measurements ORDER BY 1, 2, 3") +
           query_contents(db,
                          "SELECT station_code, pollutant, day, mean_ugm3, max_hourly_ugm3, hours,"
                          " validated_hours, representative, sub_index FROM air_quality_daily"
                          " ORDER BY 1, 2, 3") +
           query_contents(db,
                          "SELECT station_code, pollutant, level, start_at, basis, end_at, periods,"
                          " peak_ugm3, peak_at FROM air_quality_exceedances ORDER BY 1, 2, 3, 4") +
           query_contents(db,
                          "SELECT station_code, day, index_class, dominant_pollutant, sub_indices"
                          " FROM air_quality_daily_index ORDER BY 1, 2") +
           query_contents(db,
                          "SELECT station_code, name, commune, latitude, longitude FROM"
                          " air_quality_stations ORDER BY 1") +
           query_contents(db,
                          "SELECT station_code, region_set, region_code FROM"
                          " air_quality_station_regions ORDER BY 1, 2") +
           query_contents(db, "SELECT position, reason FROM rejected_records ORDER BY 1, 2");
  }

  // Runs recompute.py over `csv` against what the database holds; "" when they agree.
  std::string recompute_differences(Database& db, const std::string& csv) {
    const fs::path dir = directory_ / "dump";
    fs::create_directories(dir);
    const auto dump = [&](const char* name, const std::string& select) {
      std::ofstream(dir / name) << query_contents(db, select);
    };
    dump("thresholds.tsv",
         "SELECT pollutant, level, valid_from, basis, CAST(threshold_ugm3 AS CHAR)"
         " FROM air_quality_thresholds");
    dump("breakpoints.tsv",
         "SELECT method, valid_from, pollutant, index_class, CAST(upper_ugm3 AS CHAR), basis"
         " FROM air_quality_index_breakpoints");
    dump("hourly.tsv",
         "SELECT station_code, pollutant, measured_at, CAST(value_ugm3 AS CHAR), validated"
         " FROM air_quality_measurements");
    dump("daily.tsv",
         "SELECT station_code, pollutant, day, CAST(mean_ugm3 AS CHAR),"
         " CAST(max_hourly_ugm3 AS CHAR), hours, validated_hours, representative, sub_index"
         " FROM air_quality_daily");
    dump("exceedances.tsv",
         "SELECT station_code, pollutant, level, basis, start_at, end_at, periods,"
         " CAST(peak_ugm3 AS CHAR), peak_at FROM air_quality_exceedances");
    dump("index.tsv",
         "SELECT station_code, day, index_class, dominant_pollutant, sub_indices"
         " FROM air_quality_daily_index");
    const auto result = run_process(
        {"python3", source_path("tests/e2e/air_quality/recompute.py"), csv, dir.string()},
        {{"PATH", "/usr/bin:/bin"}}, std::chrono::seconds(120));
    return result.exit_code == 0 ? std::string() : describe(result);
  }

  const UtcSeconds now_ = layer_now();
  ScratchDatabase database_;
  TestDirectory directory_;
};

TEST_F(AirQuality, IngestOfTheHubCsvStoresEveryRowOnceAndAgainChangesNothing) {
  write_config("https://arcgis.invalid/arcgis/rest/services/s/FeatureServer/0", database_.config());
  prepare();
  const std::string csv = shared_data(kAtmoCsv);
  const auto ingest = meteo({"ingest", "--source", kSource, "--file", csv});
  ASSERT_EQ(ingest.exit_code, 0) << describe(ingest);
  EXPECT_NE(ingest.err.find("negatives kept 175"), std::string::npos) << ingest.err;

  Database db = database_.connect();
  EXPECT_EQ(count_rows(db, "air_quality_measurements"), kRowsInFile);
  EXPECT_EQ(count_rows(db, "air_quality_stations"), kStationsInFile);
  EXPECT_EQ(count_rows(db, "rejected_records"), 0u);
  EXPECT_EQ(count_rows(db, "raw_payloads", "url LIKE 'file:%'"), 1u) << "landed raw first";
  EXPECT_EQ(count_rows(db, "air_quality_daily_index"), 0u) << "2020: before the 2021 index";
  EXPECT_EQ(count_rows(db, "air_quality_exceedances"), 0u);
  EXPECT_EQ(recompute_differences(db, csv), "");

  const std::string before = figures(db);
  const auto again = meteo({"ingest", "--source", kSource, "--file", csv});
  ASSERT_EQ(again.exit_code, 0) << describe(again);
  EXPECT_EQ(figures(db), before);
  EXPECT_EQ(query_value(db,
                        "SELECT CONCAT(`stored`, '/', corrections, '/', unchanged) FROM etl_runs"
                        " WHERE source = 'atmo' ORDER BY id DESC LIMIT 1"),
            "0/0/" + std::to_string(kRowsInFile));
}

TEST_F(AirQuality, ARunPagesThroughTheLayerAndItsFiguresEqualTheRecomputation) {
  ArcGisSimOptions options = sim_options();
  options.max_record_count = 700;
  // Spikes in the file's last day: a three-hour NO2 run with one alert hour, an hour below, then
  // one more hour above; a two-hour O3 run above its information threshold.
  options.sets = {"FR50048,NO2,12,250", "FR50048,NO2,13,450", "FR50048,NO2,14,260",
                  "FR50048,NO2,16,230", "FR50030,O3,20,200",  "FR50030,O3,21,190"};
  options.dump_csv = (directory_ / "served.csv").string();
  ArcGisSim sim(options);
  write_config(sim);
  prepare();
  const auto run = meteo({"run"});
  ASSERT_EQ(run.exit_code, 0) << describe(run);
  EXPECT_GE(sim.requests("pages"), static_cast<int>(kRowsInFile / 700 + 1));

  Database db = database_.connect();
  EXPECT_GE(count_rows(db, "air_quality_measurements"), kRowsInFile);
  EXPECT_EQ(count_rows(db, "air_quality_stations"), kStationsInFile);
  EXPECT_EQ(count_rows(db, "air_quality_station_regions", "region_code IS NOT NULL"), 17u)
      << "the 17 stations of Haute-Garonne lie in its communes";
  EXPECT_GT(count_rows(db, "air_quality_daily_index"), 60u) << "shifted past 2021: indexed";
  EXPECT_EQ(count_rows(db, "air_quality_exceedances",
                       "station_code = 'FR50048' AND pollutant = 'NO2' AND level = 'alert'"),
            1u);
  EXPECT_EQ(count_rows(db, "air_quality_layers", "read_through IS NOT NULL"), 1u);
  // Every answer is landed: two descriptions, a count and the pages.
  EXPECT_EQ(count_rows(db, "raw_payloads"), static_cast<std::size_t>(sim.requests("all")));
  EXPECT_EQ(recompute_differences(db, options.dump_csv), "");

  // The same hours read again change nothing: no double counting.
  const std::string before = figures(db);
  const auto again = meteo({"run"});
  ASSERT_EQ(again.exit_code, 0) << describe(again);
  EXPECT_EQ(figures(db), before);
}

TEST_F(AirQuality, ManySmallPagesGiveTheRowsOfFewLargeOnes) {
  std::string by_size[2];
  const int sizes[2] = {2000, 450};
  for (int i = 0; i < 2; ++i) {
    ScratchDatabase database;
    ArcGisSimOptions options = sim_options();
    options.max_record_count = sizes[i];
    ArcGisSim sim(options);
    write_config(sim.base_url() + ArcGisSim::layer_path(), database.config());
    prepare(database.config());
    const auto run = meteo({"run"}, database.config());
    ASSERT_EQ(run.exit_code, 0) << describe(run);
    Database db = database.connect();
    by_size[i] = figures(db);
    EXPECT_EQ(count_rows(db, "air_quality_measurements"), kRowsInFile);
  }
  EXPECT_EQ(by_size[0], by_size[1]);
}

TEST_F(AirQuality, AnErrorInsideA200FailsTheRunWithItsCodeAndStoresNothing) {
  ArcGisSimOptions options = sim_options();
  options.error_at_offset = 1000;
  ArcGisSim sim(options);
  write_config(sim);
  prepare();
  const auto run = meteo({"run"});
  EXPECT_EQ(run.exit_code, 69) << describe(run);
  EXPECT_NE(run.err.find("ArcGIS error 400"), std::string::npos) << run.err;
  Database db = database_.connect();
  EXPECT_EQ(count_rows(db, "air_quality_measurements"), 0u);
  EXPECT_EQ(count_rows(db, "air_quality_stations"), 0u);
  EXPECT_EQ(query_value(db, "SELECT status FROM etl_runs ORDER BY id DESC LIMIT 1"), "failed");
  // The error answer itself is archived, as every answer is.
  EXPECT_EQ(count_rows(db, "raw_payloads"), static_cast<std::size_t>(sim.requests("all")));
}

TEST_F(AirQuality, AnInvalidTokenIsAPermissionFailure) {
  ArcGisSimOptions options = sim_options();
  options.error_at_offset = 0;
  options.error_code = 498;
  ArcGisSim sim(options);
  write_config(sim);
  prepare();
  const auto run = meteo({"run"});
  EXPECT_EQ(run.exit_code, 77) << describe(run);
}

TEST_F(AirQuality, ARetryableCodeInsideA200AndAnHttp429AreRetried) {
  ArcGisSimOptions options = sim_options();
  options.error_at_offset = 1000;
  options.error_code = 503;  // once: the retry gets the page
  options.rate_limit_first = 2;
  ArcGisSim sim(options);
  write_config(sim);
  prepare();
  const auto run = meteo({"run"});
  ASSERT_EQ(run.exit_code, 0) << describe(run);
  Database db = database_.connect();
  EXPECT_EQ(count_rows(db, "air_quality_measurements"), kRowsInFile);
  EXPECT_GE(sim.requests("rate_limited"), 2);
}

TEST_F(AirQuality, AValidatedCorrectionReplacesTheProvisionalValueAndMovesTheFigures) {
  // Revision 0: the last 6 hours provisional (value x 1.1), and a provisional NO2 spike at 07:00Z
  // (the series' last hour) above the alert threshold.
  const auto sim_for = [&](int revision, const std::string& dump) {
    ArcGisSimOptions options = sim_options();
    options.provisional_hours = 6;
    options.revision = revision;
    options.provisional_sets = {"FR50048,NO2,2,450"};
    options.dump_csv = dump;
    return options;
  };
  const std::string spike = "station_code = 'FR50048' AND pollutant = 'NO2' AND measured_at = '" +
                            to_sql_datetime(now_ - hours(2)) + "'";
  Database db = database_.connect();
  {
    ArcGisSim sim(sim_for(0, (directory_ / "revision-0.csv").string()));
    write_config(sim);
    prepare();
    const auto run = meteo({"run"});
    ASSERT_EQ(run.exit_code, 0) << describe(run);
    EXPECT_EQ(count_rows(db, "air_quality_measurements", "validated = 0"),
              count_rows(db, "air_quality_measurements",
                         "measured_at >= '" + to_sql_datetime(now_ - hours(6)) + "'"));
    EXPECT_EQ(query_value(db, "SELECT value_ugm3 FROM air_quality_measurements WHERE " + spike),
              "450");
    EXPECT_EQ(
        count_rows(db, "air_quality_exceedances", "station_code = 'FR50048' AND pollutant = 'NO2'"),
        2u)
        << "information and alert";
  }
  const std::string day_before =
      query_value(db,
                  "SELECT CONCAT(mean_ugm3, '/', max_hourly_ugm3) FROM air_quality_daily WHERE"
                  " station_code = 'FR50048' AND pollutant = 'NO2' AND day = '" +
                      to_sql_datetime(now_ - hours(2)).substr(0, 10) + "'");
  std::string validated;
  {
    const std::string dump = (directory_ / "revision-1.csv").string();
    ArcGisSim sim(sim_for(1, dump));
    write_config(sim);
    const auto run = meteo({"run"});
    ASSERT_EQ(run.exit_code, 0) << describe(run);
    EXPECT_EQ(count_rows(db, "air_quality_measurements", "validated = 0"), 0u);
    EXPECT_NE(query_value(db, "SELECT value_ugm3 FROM air_quality_measurements WHERE " + spike),
              "450");
    EXPECT_EQ(
        count_rows(db, "air_quality_exceedances", "station_code = 'FR50048' AND pollutant = 'NO2'"),
        0u);
    EXPECT_NE(query_value(db,
                          "SELECT CONCAT(mean_ugm3, '/', max_hourly_ugm3) FROM air_quality_daily"
                          " WHERE station_code = 'FR50048' AND pollutant = 'NO2' AND day = '" +
                              to_sql_datetime(now_ - hours(2)).substr(0, 10) + "'"),
              day_before);
    EXPECT_NE(query_value(db, "SELECT corrections FROM etl_runs ORDER BY id DESC LIMIT 1"), "0");
    EXPECT_EQ(recompute_differences(db, dump), "");
    validated = figures(db);
  }
  {
    ArcGisSim sim(sim_for(2, ""));
    write_config(sim);
    const auto run = meteo({"run"});
    ASSERT_EQ(run.exit_code, 0) << describe(run);
    EXPECT_EQ(figures(db), validated) << "a provisional value never replaces a validated one";
  }
}

TEST_F(AirQuality, ALayerRewrittenWhilePagedIsReadAgainOnce) {
  ArcGisSimOptions options = sim_options();
  options.rewrite_after_first_page = true;  // ObjectIds renumbered, lastEditDate moved
  ArcGisSim sim(options);
  write_config(sim);
  prepare();
  const auto run = meteo({"run"});
  ASSERT_EQ(run.exit_code, 0) << describe(run);
  EXPECT_EQ(sim.requests("counts"), 2) << "the window was read twice";
  Database db = database_.connect();
  EXPECT_EQ(count_rows(db, "air_quality_measurements"), kRowsInFile);
}

TEST_F(AirQuality, BackfillReadsAWindowAgainWithoutMovingTheWatermark) {
  ArcGisSim sim(sim_options());
  write_config(sim);
  prepare();
  const UtcSeconds from = now_ - hours(30), to = now_ - hours(6);
  const auto backfill =
      meteo({"backfill", "--source", kSource, "--from", to_iso8601(from), "--to", to_iso8601(to)});
  ASSERT_EQ(backfill.exit_code, 0) << describe(backfill);
  Database db = database_.connect();
  const std::size_t stored = count_rows(db, "air_quality_measurements");
  EXPECT_GT(stored, 0u);
  EXPECT_EQ(count_rows(db, "air_quality_measurements",
                       "measured_at >= '" + to_sql_datetime(from) + "' AND measured_at < '" +
                           to_sql_datetime(to) + "'"),
            stored);
  EXPECT_EQ(count_rows(db, "air_quality_layers", "read_through IS NOT NULL"), 0u);
}

TEST_F(AirQuality, AMistakeInTheSourceIsAConfigurationErrorNamingTheKey) {
  ArcGisSim sim(sim_options());
  write_config(sim.base_url() + ArcGisSim::layer_path(), database_.config(), "1=1",
               "negative_floor = 1.5\n");
  const auto run = meteo({"run"});
  EXPECT_EQ(run.exit_code, 78) << describe(run);
  EXPECT_NE(run.err.find("sources[0].negative_floor: must be 0 or below"), std::string::npos)
      << run.err;
}

// config/toulouse.toml's shape: ATMO beside the station network, its stations paired with the
// nearest weather station.
TEST_F(AirQuality, BesideTheStationNetworkEachStationIsPairedWithAWeatherStation) {
  METEO_SKIP_WITHOUT_SHARED_DATA("toulouse/stations-meteo-en-place.exports.json",
                                 "toulouse/catalog-v1-search-q-meteo.json");
  const UtcSeconds portal_now = floor_to_hour(std::chrono::system_clock::now()) - hours(1);
  PortalSimOptions portal_options;
  portal_options.now = to_iso8601(portal_now);
  portal_options.from = to_iso8601(portal_now - hours(48));
  PortalSim portal(portal_options);
  ArcGisSim sim(sim_options());
  {
    std::ofstream config(config_path());
    config << database_toml(database_.config()) << "\n[archive]\nroot = \""
           << (directory_ / "archive").string()
           << "\"\n[[region_sets]]\nname = \"toulouse-communes\"\nlocation = \""
           << shared_data("geo/communes-31-haute-garonne.geojson") << "\"\n"
           << "\n[[sources]]\nname = \"toulouse-stations\"\ntype = \"opendatasoft-stations\"\n"
           << "base_url = \"" << portal.base_url() << "\"\ndataset_pattern = \"station-meteo\"\n"
           << "start = \"" << to_iso8601(portal_now - hours(40)) << "\"\n"
           << "region_sets = [\"toulouse-communes\"]\n"
           << "\n[[sources]]\nname = \"" << kSource << "\"\ntype = \"arcgis-air-quality\"\n"
           << "url = \"" << sim.base_url() + ArcGisSim::layer_path() << "\"\n"
           << "where = \"nom_dept='HAUTE-GARONNE'\"\nstart = \"" << to_iso8601(now_ - hours(24 * 4))
           << "\"\nlookback_hours = 168\nmax_catch_up_hours = 168\n"
           << "region_sets = [\"toulouse-communes\"]\nweather_source = \"toulouse-stations\"\n"
           << "max_pair_distance_km = 10\n";
  }
  prepare();
  const auto run = meteo({"run"});
  ASSERT_EQ(run.exit_code, 0) << describe(run);
  Database db = database_.connect();
  EXPECT_EQ(count_rows(db, "air_quality_measurements"), 3773u) << "Haute-Garonne's rows";
  EXPECT_EQ(count_rows(db, "air_quality_stations"), 17u);
  EXPECT_GT(count_rows(db, "air_quality_station_pairs"), 0u);
  EXPECT_EQ(count_rows(db, "air_quality_station_pairs", "distance_km > 10"), 0u);
  EXPECT_EQ(count_rows(db, "air_quality_weather_hourly"), 3773u)
      << "every measurement, with its weather or NULLs";
  const std::size_t with_weather = count_rows(
      db, "air_quality_weather_hourly", "WeatherStation IS NOT NULL AND Temperature IS NOT NULL");
  EXPECT_GT(with_weather, 0u) << "the two sources overlap for the portal's 40 hours";
  const auto status = meteo({"status", "--json"});
  ASSERT_EQ(status.exit_code, 0) << describe(status);

  // What the run stored is what the readers serve: the export's rows are the view's.
  const std::string from = to_iso8601(now_ - hours(24 * 4)).substr(0, 13);
  const std::string to = to_iso8601(now_ + hours(1)).substr(0, 13);
  const auto exported = meteo(
      {"export", "--what", "air-quality-hourly", "--from", from, "--to", to, "--source", kSource});
  ASSERT_EQ(exported.exit_code, 0) << describe(exported);
  std::size_t exported_lines = 0;
  for (char c : exported.out) exported_lines += c == '\n' ? 1 : 0;
  EXPECT_EQ(exported_lines, 3773u + 1u) << "a header and every measurement";

  const auto index = meteo({"query", "air-quality", "--view", "daily", "--format", "csv"});
  ASSERT_EQ(index.exit_code, 0) << describe(index);
  EXPECT_NE(index.out.find("FR"), std::string::npos) << index.out;

  const fs::path site = directory_ / "site";
  const auto dashboard = meteo({"dashboard", "--out", site.string()});
  ASSERT_EQ(dashboard.exit_code, 0) << describe(dashboard);
  std::ifstream stations_file(site / "data" / "air-quality.json");
  ASSERT_TRUE(stations_file.good());
  const std::string stations_json((std::istreambuf_iterator<char>(stations_file)),
                                  std::istreambuf_iterator<char>());
  EXPECT_NE(stations_json.find("\"" +
                               query_value(db,
                                           "SELECT MIN(station_code) FROM"
                                           " air_quality_stations") +
                               "\""),
            std::string::npos)
      << "the dashboard lists the stations the run stored";
}

TEST_F(AirQuality, ABadRecordIsRejectedWithItsReasonAndTheRestLoads) {
  ArcGisSimOptions options = sim_options();
  options.sets = {"FR50048,NO2,3,-12.5"};  // below the floor of -5
  ArcGisSim sim(options);
  write_config(sim);
  prepare();
  const auto run = meteo({"run"});
  ASSERT_EQ(run.exit_code, 0) << describe(run);
  Database db = database_.connect();
  EXPECT_EQ(count_rows(db, "air_quality_measurements"), kRowsInFile - 1);
  ASSERT_EQ(count_rows(db, "rejected_records"), 1u);
  const std::string reason = query_value(db, "SELECT reason FROM rejected_records");
  EXPECT_EQ(reason.rfind("layer mesures_occitanie_72h_poll_princ/0: ", 0), 0u) << reason;
  EXPECT_NE(reason.find("-12.5"), std::string::npos) << reason;
  EXPECT_NE(query_value(db, "SELECT record FROM rejected_records").find("FR50048"),
            std::string::npos);
}

}  // namespace
}  // namespace meteo::testing
