// A month of Météo-France SYNOP (December 2023, 26 stations, 3-hourly) end to end against the
// portal simulator (--synop), the built CLI run as cron runs it, real MariaDB:
// - database A: `backfill` of the month from the portal;
// - database B: the month's exports/json downloaded with curl, then `ingest --file`;
// - database C: `run` from the source's start, paged through `records` (export_threshold_pages
//   = 100), where A read each window with one exports/json request.
// All store the same stations, observations, hourly and daily weather and answer `query period`
// alike; the daily figures also equal a computation written here from the exported records.
// The portal serves SYNOP alone; the stations are matched to France's regions (shared data).
#include <cppconn/connection.h>
#include <cppconn/resultset.h>
#include <cppconn/statement.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "cli_job.hpp"
#include "config_files.hpp"
#include "db_snapshot.hpp"
#include "paths.hpp"
#include "portal_sim.hpp"
#include "subprocess.hpp"
#include "test_database.hpp"
#include "test_support.hpp"

namespace meteo::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kSource = "synop-france";
constexpr const char* kDataset = "donnees-synop-essentielles-omm";
constexpr double kHeavyRainMm = 5;
constexpr double kTrace = -0.1;

std::string describe(const ProcessResult& result) {
  return "exit " + std::to_string(result.exit_code) + "\nstdout:\n" + result.out.substr(0, 4000) +
         "\nstderr:\n" + result.err.substr(0, 4000);
}

// One load's database and configuration file; `source_keys` go to the source's table.
struct Store {
  Store(const fs::path& directory_path, const std::string& base_url,
        const std::string& source_keys = "")
      : config_path((directory_path / "meteo-etl.toml").string()) {
    fs::create_directories(directory_path);
    std::ofstream config(config_path);
    config
        << database_toml(database.config()) << "\n[archive]\nroot = \""
        << (directory_path / "archive").string() << "\"\n"
        << "\n[[region_sets]]\nname = \"fr-regions\"\nlocation = \""
        << shared_data("geo/regions.geojson") << "\"\n"
        << "\n[[sources]]\nname = \"" << kSource << "\"\ntype = \"opendatasoft-stations\"\n"
        << "base_url = \"" << base_url << "\"\ndatasets = [\"" << kDataset << "\"]\n"
        << "station_field = \"numer_sta\"\nstart = \"2023-12-01T00\"\n"
        << "max_catch_up_hours = 744\nexport_window_hours = 744\nregion_sets = [\"fr-regions\"]\n"
        << source_keys
        << "[sources.daily]\ntime_zone = \"Europe/Paris\"\nheavy_rain_mm = " << kHeavyRainMm
        << "\n";
  }

  ProcessResult meteo(std::vector<std::string> args) const {
    args.insert(args.begin(), meteo_etl_binary());
    return run_process(args, cron_environment(config_path, database.config()),
                       std::chrono::seconds(600));
  }

  // Everything a load stores, run ids and clocks aside.
  std::string stored() const {
    Database db = database.connect();
    return station_contents(db) +
           query_contents(db,
                          "SELECT source, dataset_id, observed_at, temperature_c, humidity_pct,"
                          " pressure_hpa, rain_mm, rain_intensity_max_mm, wind_speed_kmh,"
                          " gust_kmh, wind_direction_deg FROM weather_observations"
                          " ORDER BY dataset_id, observed_at") +
           query_contents(db,
                          "SELECT source, dataset_id, hour, temperature_mean, temperature_min,"
                          " temperature_max, humidity_mean, pressure_mean, rain_sum, wind_mean,"
                          " gust_max, wind_direction_mean, observations"
                          " FROM station_hourly_weather ORDER BY dataset_id, hour") +
           daily();
  }

  std::string daily() const {
    Database db = database.connect();
    return query_contents(db,
                          "SELECT source, dataset_id, day, start_utc, end_utc, time_zone,"
                          " temperature_mean, temperature_min, temperature_max, pressure_mean,"
                          " wind_mean, gust_max, rain_sum, hours_observed, heavy_rain_mm,"
                          " heavy_rain FROM station_daily_weather ORDER BY dataset_id, day");
  }

  ScratchDatabase database;
  std::string config_path;
};

// --- The independent computation: the exported records straight to local days ---------------

std::optional<double> number(const json& record, const char* field) {
  const auto it = record.find(field);
  if (it == record.end() || !it->is_number()) return std::nullopt;
  return it->get<double>();
}

// "2023-12-01T03:00:00+00:00" as Unix seconds; the simulator gives every date in UTC.
std::time_t utc_seconds(const std::string& text) {
  std::tm tm{};
  if (text.size() < 19 ||
      ::strptime(text.substr(0, 19).c_str(), "%Y-%m-%dT%H:%M:%S", &tm) == nullptr) {
    throw std::runtime_error("not a date: " + text);
  }
  const std::string offset = text.substr(19);
  if (offset != "+00:00" && offset != "Z") throw std::runtime_error("not UTC: " + text);
  return ::timegm(&tm);
}

std::string utc_text(std::time_t at, const char* format) {
  std::tm tm{};
  ::gmtime_r(&at, &tm);
  char text[32];
  std::strftime(text, sizeof text, format, &tm);
  return text;
}

// Paris in December is UTC+1 (no clock change): the local day is the UTC date an hour later.
std::string paris_december_day(std::time_t at) {
  return utc_text(at + 3600, "%Y-%m-%d");
}

struct ExpectedDay {
  std::vector<double> temperatures, pressures, winds;
  std::optional<double> gust_max, rain_sum;
  std::map<std::string, int> hours;  // UTC hours holding a record
};

double mean(const std::vector<double>& values) {
  double sum = 0;
  for (double value : values) sum += value;
  return sum / static_cast<double>(values.size());
}

// (station, local day) -> the day, from the export's records.
std::map<std::pair<std::string, std::string>, ExpectedDay> expected_days(const json& records) {
  std::map<std::pair<std::string, std::string>, ExpectedDay> days;
  for (const auto& record : records) {
    const std::time_t at = utc_seconds(record.at("date").get<std::string>());
    auto& day = days[{record.at("numer_sta").get<std::string>(), paris_december_day(at)}];
    day.hours[utc_text(at, "%Y-%m-%d %H")]++;
    if (const auto t = number(record, "t")) day.temperatures.push_back(*t - 273.15);
    if (const auto pmer = number(record, "pmer")) day.pressures.push_back(*pmer / 100);
    if (const auto ff = number(record, "ff")) day.winds.push_back(*ff * 3.6);
    if (const auto gust = number(record, "raf10")) {
      day.gust_max = std::max(day.gust_max.value_or(*gust * 3.6), *gust * 3.6);
    }
    if (const auto rr3 = number(record, "rr3")) {
      // A trace (-0.1: between 0 and 0.1 mm) is no measurable rain.
      const double rain = (*rr3 < 0 && *rr3 >= kTrace - 1e-9) ? 0.0 : *rr3;
      day.rain_sum = day.rain_sum.value_or(0) + rain;
    }
  }
  return days;
}

// Every stored local day against the one computed from the exported records.
void expect_daily_figures(const json& records, Database& db) {
  const auto expected = expected_days(records);
  EXPECT_EQ(count_rows(db, "station_daily_weather"), expected.size());
  std::unique_ptr<sql::Statement> statement(db.connection().createStatement());
  std::unique_ptr<sql::ResultSet> rows(statement->executeQuery(
      "SELECT dataset_id, CAST(day AS CHAR), CAST(start_utc AS CHAR), CAST(end_utc AS CHAR),"
      " time_zone, temperature_mean, temperature_min, temperature_max, pressure_mean, wind_mean,"
      " gust_max, rain_sum, hours_observed, heavy_rain_mm, heavy_rain"
      " FROM station_daily_weather ORDER BY dataset_id, day"));
  std::size_t checked = 0, heavy = 0;
  while (rows->next()) {
    const std::string station = rows->getString(1);
    const std::string day = rows->getString(2);
    SCOPED_TRACE(station + " " + day);
    const auto found = expected.find({station, day});
    ASSERT_NE(found, expected.end()) << "a day without exported records";
    const ExpectedDay& want = found->second;
    const std::time_t midnight = utc_seconds(day + "T00:00:00Z");
    EXPECT_EQ(rows->getString(3), utc_text(midnight - 3600, "%Y-%m-%d %H:%M:%S"));
    EXPECT_EQ(rows->getString(4), utc_text(midnight + 23 * 3600, "%Y-%m-%d %H:%M:%S"));
    EXPECT_EQ(rows->getString(5), "Europe/Paris");
    const auto [lowest, highest] =
        std::minmax_element(want.temperatures.begin(), want.temperatures.end());
    EXPECT_NEAR(rows->getDouble(6), mean(want.temperatures), 1e-9);
    EXPECT_NEAR(rows->getDouble(7), *lowest, 1e-9);
    EXPECT_NEAR(rows->getDouble(8), *highest, 1e-9);
    EXPECT_NEAR(rows->getDouble(9), mean(want.pressures), 1e-9);
    EXPECT_NEAR(rows->getDouble(10), mean(want.winds), 1e-9);
    EXPECT_EQ(rows->isNull(11), !want.gust_max.has_value());
    if (want.gust_max) {
      EXPECT_NEAR(rows->getDouble(11), *want.gust_max, 1e-9);
    }
    ASSERT_TRUE(want.rain_sum.has_value()) << "every SYNOP record carries rr3";
    EXPECT_NEAR(rows->getDouble(12), *want.rain_sum, 1e-9);
    EXPECT_EQ(rows->getInt(13), static_cast<int>(want.hours.size()));
    EXPECT_EQ(rows->getDouble(14), kHeavyRainMm);
    EXPECT_EQ(rows->getBoolean(15), *want.rain_sum >= kHeavyRainMm);
    heavy += *want.rain_sum >= kHeavyRainMm ? 1 : 0;
    ++checked;
  }
  EXPECT_EQ(checked, expected.size());
  EXPECT_GT(heavy, 0u) << "the month should hold a heavy-rain day to check the threshold";
  EXPECT_LT(heavy, checked);
}

// --- The month: one portal, one export, three loads ------------------------------------------

// ctest runs each case in its own process, so one case loads the month once and checks it all.
class SynopMonth : public ::testing::Test {
 protected:
  void SetUp() override {
    METEO_SKIP_WITHOUT_SHARED_DATA("geo/regions.geojson");
    PortalSimOptions options;
    options.synop = true;
    options.toulouse_datasets = false;
    options.from = "2023-12-01T00:00:00Z";
    options.now = "2024-01-01T00:00:00Z";
    options.future_row = false;
    portal_ = std::make_unique<PortalSim>(options);
    backfilled_ = std::make_unique<Store>(directory_ / "backfill", portal_->base_url());
    ingested_ = std::make_unique<Store>(directory_ / "ingest", portal_->base_url());
    ran_ = std::make_unique<Store>(directory_ / "run", portal_->base_url(),
                                   "export_threshold_pages = 100\n");
  }

  static void migrate(const Store& store) {
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"migrate"}, {"regions", "load", "--set", "fr-regions"}}) {
      const auto result = store.meteo(args);
      ASSERT_EQ(result.exit_code, 0) << describe(result);
    }
  }

  // The month as a person would fetch it: curl on the portal's exports/json.
  fs::path download_export() {
    const fs::path file = directory_ / "donnees-synop-essentielles-omm.json";
    const std::string url =
        portal_->base_url() + "/api/explore/v2.1/catalog/datasets/" + kDataset + "/exports/json";
    const auto result =
        run_process({"curl", "--silent", "--show-error", "--fail", "--output", file.string(), url},
                    {{"PATH", "/usr/bin:/bin"}}, std::chrono::seconds(120));
    EXPECT_EQ(result.exit_code, 0) << "curl " << url << ": " << result.err;
    return file;
  }

  void expect_backfill_and_ingest_store_the_same(const json& records) {
    Database db = backfilled_->database.connect();
    EXPECT_EQ(count_rows(db, "weather_stations"), 26u);
    EXPECT_EQ(count_rows(db, "weather_observations"), records.size())
        << "every exported record, once";
    EXPECT_EQ(query_value(db, "SELECT number FROM weather_stations WHERE dataset_id = '07630'"),
              "07630")
        << "the WMO id keeps its leading zero";
    EXPECT_EQ(query_value(db, "SELECT name FROM weather_stations WHERE dataset_id = '07630'"),
              "TOULOUSE-BLAGNAC")
        << "the station's nom";
    EXPECT_EQ(query_value(db, "SELECT COUNT(*) FROM weather_stations WHERE name IS NULL"), "0")
        << "every station named, Millau (added mid-month) too";
    EXPECT_EQ(query_value(db, "SELECT name FROM weather_stations WHERE dataset_id = '07558'"),
              "MILLAU");
    EXPECT_EQ(query_value(db,
                          "SELECT CAST(MIN(observed_at) AS CHAR) FROM weather_observations"
                          " WHERE dataset_id = '07558'"),
              "2023-12-15 00:00:00")
        << "Millau joins the network on 15 December";
    EXPECT_EQ(backfilled_->stored(), ingested_->stored());
  }

  void expect_query_period_alike() {
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"query", "period", "--station", "07630,07558,07240", "--from",
                                   "2023-12-16", "--to", "2023-12-31", "--compare-to", "2023-12-01",
                                   "--format", "json"},
          std::vector<std::string>{"query", "period", "--source", kSource, "--station",
                                   "toulouse-blagnac", "--from", "2023-12-01", "--to", "2024-01-01",
                                   "--format", "json"}}) {
      const auto from_backfill = backfilled_->meteo(args);
      const auto from_ingest = ingested_->meteo(args);
      ASSERT_EQ(from_backfill.exit_code, 0) << describe(from_backfill);
      ASSERT_EQ(from_ingest.exit_code, 0) << describe(from_ingest);
      EXPECT_EQ(from_backfill.out, from_ingest.out);
      EXPECT_NE(from_backfill.out.find(R"("name": "TOULOUSE-BLAGNAC")"), std::string::npos)
          << from_backfill.out;
    }
    const auto result =
        backfilled_->meteo({"query", "period", "--station", "07558", "--from", "2023-12-16", "--to",
                            "2023-12-31", "--compare-to", "2023-12-01", "--format", "json"});
    ASSERT_EQ(result.exit_code, 0) << describe(result);
    const auto rows = json::parse(result.out);
    ASSERT_EQ(rows.size(), 1u) << result.out;
    EXPECT_EQ(rows[0]["station"], "07558");
    EXPECT_EQ(rows[0]["name"], "MILLAU") << "the station's nom, not its WMO id";
    EXPECT_EQ(rows[0]["days_observed"], 15);
    EXPECT_EQ(rows[0]["compare_days_observed"], 1) << "Millau's first day is 15 December";
  }

  // `run` from the source's start: the month (~6 400 records) is within what `records` pages
  // through (limit 100, offset + limit <= 10 000), and max_catch_up_hours lets one run read it.
  void expect_run_paged_through_records_stores_the_same() {
    migrate(*ran_);
    const int requests_before = portal_->requests("records");
    const auto run = ran_->meteo({"run", "--source", kSource});
    ASSERT_EQ(run.exit_code, 0) << describe(run);
    EXPECT_GE(portal_->requests("records") - requests_before, 60)
        << "a month is about 64 pages of 100 records";
    EXPECT_EQ(ran_->stored(), backfilled_->stored());
    Database db = ran_->database.connect();
    EXPECT_EQ(query_value(db,
                          "SELECT CAST(read_through AS CHAR) FROM station_datasets"
                          " WHERE dataset_id = 'donnees-synop-essentielles-omm'"),
              "2024-01-01 00:00:00")
        << "the run read the whole month";
  }

  std::unique_ptr<PortalSim> portal_;
  TestDirectory directory_;
  std::unique_ptr<Store> backfilled_, ingested_, ran_;
};

TEST_F(SynopMonth, BackfillIngestOfTheExportAndRunStoreTheSameDailyFiguresAsTheRecords) {
  migrate(*backfilled_);
  migrate(*ingested_);
  const auto backfill = backfilled_->meteo(
      {"backfill", "--source", kSource, "--from", "2023-12-01T00", "--to", "2024-01-01T00"});
  ASSERT_EQ(backfill.exit_code, 0) << describe(backfill);
  EXPECT_EQ(portal_->requests("exports"), 1) << "the month's window, past one page, exported";
  EXPECT_EQ(portal_->requests("records"), 1) << "the first page, which tells the window's size";
  const fs::path file = download_export();
  const auto ingest = ingested_->meteo({"ingest", "--source", kSource, "--file", file.string()});
  ASSERT_EQ(ingest.exit_code, 0) << describe(ingest);
  const json records = json::parse(read_text(file));
  ASSERT_GT(records.size(), 6000u) << "a month of 26 stations, every 3 hours";

  expect_backfill_and_ingest_store_the_same(records);
  expect_query_period_alike();
  Database db = backfilled_->database.connect();
  expect_daily_figures(records, db);
  expect_run_paged_through_records_stores_the_same();
}

}  // namespace
}  // namespace meteo::testing
