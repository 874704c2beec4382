// `query air-quality`, `export --what air-quality-hourly` and the dashboard's air-quality files
// as an operator runs them: the built binary, a config file, a scratch database whose air-quality
// rows went in through the store's load (tests/harness/air_quality_seed.hpp).
//
// With METEO_DASHBOARD_FIXTURE_DIR set, AirQualityViews.WritesTheBrowserFixture writes the site
// into that directory and keeps it, for the page's browser test.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "air_quality_seed.hpp"
#include "config_files.hpp"
#include "meteo/core/time.hpp"
#include "paths.hpp"
#include "subprocess.hpp"
#include "test_database.hpp"
#include "test_support.hpp"

namespace meteo::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kDay = "2026-11-22";

std::string hour_of(const std::string& day, int hour) {
  return day + (hour < 10 ? " 0" : " ") + std::to_string(hour) + ":00:00";
}

std::string describe(const ProcessResult& result) {
  return "exit " + std::to_string(result.exit_code) + "\nstdout:\n" + result.out + "\nstderr:\n" +
         result.err;
}

json read_json(const fs::path& path) {
  const json parsed = json::parse(read_text(path), nullptr, /*allow_exceptions=*/false);
  EXPECT_FALSE(parsed.is_discarded()) << path << " is not complete JSON";
  return parsed;
}

// CSV lines (CRLF) split on commas: the seeded texts hold no comma nor quote.
std::vector<std::vector<std::string>> csv_rows(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = text.find("\r\n", start);
    const std::string line = text.substr(start, end - start);
    std::vector<std::string> fields;
    std::size_t field_start = 0;
    while (true) {
      const std::size_t comma = line.find(',', field_start);
      fields.push_back(line.substr(field_start, comma - field_start));
      if (comma == std::string::npos) break;
      field_start = comma + 1;
    }
    rows.push_back(fields);
    if (end == std::string::npos) break;
    start = end + 2;
  }
  return rows;
}

// The wind of each hour of kDay at the weather station: none at 05:00 (a gap), calm (1 km/h) at
// 20:00, from 200° at 21:00, otherwise 10 km/h from 90°.
struct Wind {
  double speed, direction;
};
std::optional<Wind> wind_at(int hour) {
  if (hour == 5) return std::nullopt;
  if (hour == 20) return Wind{1, 90};
  if (hour == 21) return Wind{10, 200};
  return Wind{10, 90};
}

// NO2 at FR50044: 30, but 250 at 10:00 (an information exceedance) and nothing at 15:00 (a gap).
std::optional<double> no2_at(int hour) {
  if (hour == 15) return std::nullopt;
  return hour == 10 ? 250.0 : 30.0;
}

class AirQualityViews : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = fs::temp_directory_path() /
                 ("meteo-e2e-aq-" + std::to_string(::getpid()) + "-" +
                  ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(directory_);
    std::ofstream(config_path()) << database_toml(database_.config()) << kMinimalConfig;
    const auto migrate = meteo({"migrate"});
    ASSERT_EQ(migrate.exit_code, 0) << describe(migrate);
  }
  void TearDown() override { fs::remove_all(directory_); }

  void seed(bool with_bad_code = false) {
    Database db = database_.connect();
    WeatherSeed weather;
    weather.stations = {{"01-meteopole", "1", "Toulouse", "ISS", 43.574, 1.374, 150.0}};
    for (int hour = 0; hour < 24; ++hour) {
      const auto wind = wind_at(hour);
      if (!wind) continue;
      WeatherObservation observation;
      observation.dataset_id = "01-meteopole";
      observation.observed_at = parse_sql_datetime(hour_of(kDay, hour));
      observation.temperature_c = 8;
      observation.wind_speed_kmh = wind->speed;
      observation.wind_direction_deg = wind->direction;
      weather.observations.push_back(observation);
    }
    seed_weather(db, weather);

    AirQualitySeed aq;
    aq.stations = {
        {"FR50044", "Toulouse Jacquier", "Toulouse", "31555", "HAUTE-GARONNE", "urbaine", "fond",
         43.58, 1.38},
        {"FR99999", "Far away", "Lyon", "69123", "RHONE", "urbaine", "trafic", 45.75, 4.85}};
    if (with_bad_code) {
      aq.stations.push_back({"../evil", "Bad", "Nowhere", "00000", "X", "urbaine", "fond", 45, 4});
      aq.measurements.push_back(air_quality_value("../evil", "NO2", hour_of(kDay, 0), 1));
    }
    for (int hour = 0; hour < 24; ++hour) {
      if (const auto no2 = no2_at(hour)) {
        aq.measurements.push_back(air_quality_value("FR50044", "NO2", hour_of(kDay, hour), *no2));
      }
      aq.measurements.push_back(air_quality_value("FR50044", "PM10", hour_of(kDay, hour), 15));
    }
    aq.measurements.push_back(air_quality_value("FR99999", "NO2", "2026-11-23 00:00:00", 20));
    aq.measurements.push_back(air_quality_value("FR99999", "NO2", "2026-11-23 01:00:00", 20));
    aq.weather_source = "toulouse";
    seed_air_quality(db, aq);
  }

  std::string config_path() const { return (directory_ / "meteo-etl.toml").string(); }
  fs::path site() const { return directory_ / "site"; }

  ProcessResult meteo(std::vector<std::string> args) {
    args.insert(args.begin(), meteo_etl_binary());
    return run_process(args, cron_environment(config_path(), database_.config()));
  }

  ScratchDatabase database_;
  fs::path directory_;
};

TEST_F(AirQualityViews, QueryShowsTheIndicativeIndexNewestFirst) {
  seed();
  const auto table = meteo({"query", "air-quality"});
  ASSERT_EQ(table.exit_code, 0) << describe(table);
  EXPECT_EQ(
      table.out.rfind("Air-quality index: indicative, computed from station measurements\n", 0), 0u)
      << table.out;
  EXPECT_TRUE(contains(table.out, "Très mauvais")) << table.out;

  const auto csv = meteo({"query", "air-quality", "--format", "csv"});
  ASSERT_EQ(csv.exit_code, 0) << describe(csv);
  // NO2's day maximum 250 is in class 5 (230 < 250 <= 340); PM10's mean 15 in class 1.
  EXPECT_EQ(csv.out,
            "Source,Station,Name,Day,Class,Label,Dominant,SubIndices,Method\r\n"
            "atmo,FR50044,Toulouse Jacquier,2026-11-22,5,Très mauvais,NO2,2,atmo-2021\r\n");
}

TEST_F(AirQualityViews, QueryViewsAndFilters) {
  seed();
  const auto hourly =
      meteo({"query", "air-quality", "--view", "hourly", "--station", "FR50044", "--pollutant",
             "NO2", "--from", "2026-11-22T09", "--to", "2026-11-22T12", "--format", "json"});
  ASSERT_EQ(hourly.exit_code, 0) << describe(hourly);
  const json rows = json::parse(hourly.out);
  ASSERT_EQ(rows.size(), 3u) << "--to is exclusive";
  EXPECT_EQ(rows[0]["hour"], "2026-11-22T11:00:00Z") << "newest first";
  EXPECT_EQ(rows[1]["hour"], "2026-11-22T10:00:00Z");
  EXPECT_EQ(rows[1]["value_ugm3"], 250.0);
  EXPECT_EQ(rows[2]["value_ugm3"], 30.0);
  EXPECT_EQ(rows[2]["validated"], true);

  const auto exceedances =
      meteo({"query", "air-quality", "--view", "exceedances", "--format", "csv"});
  ASSERT_EQ(exceedances.exit_code, 0) << describe(exceedances);
  EXPECT_EQ(exceedances.out,
            "Source,Station,Pollutant,Level,Basis,Start,End,Periods,Peak,PeakAt\r\n"
            "atmo,FR50044,NO2,information,hourly,2026-11-22T10:00:00Z,2026-11-22T11:00:00Z,1,"
            "250.0,2026-11-22T10:00:00Z\r\n");

  const auto pairs = meteo({"query", "air-quality", "--view", "pairs", "--format", "json"});
  ASSERT_EQ(pairs.exit_code, 0) << describe(pairs);
  const json pair_rows = json::parse(pairs.out);
  ASSERT_EQ(pair_rows.size(), 2u);
  EXPECT_EQ(pair_rows[0]["weather_station"], "01-meteopole");
  EXPECT_LT(pair_rows[0]["distance_km"].get<double>(), 1.0);
  EXPECT_TRUE(pair_rows[1]["weather_station"].is_null());

  const auto daily =
      meteo({"query", "air-quality", "--view", "daily", "--limit", "1", "--format", "json"});
  ASSERT_EQ(daily.exit_code, 0) << describe(daily);
  const json daily_rows = json::parse(daily.out);
  ASSERT_EQ(daily_rows.size(), 1u);
  EXPECT_EQ(daily_rows[0]["station"], "FR99999");
  EXPECT_EQ(daily_rows[0]["day"], "2026-11-23");
  EXPECT_EQ(daily_rows[0]["hours"], 2);
  EXPECT_TRUE(daily_rows[0]["sub_index"].is_null());
}

TEST_F(AirQualityViews, QueryRefusesUnknownStationsAndPollutants) {
  seed();
  const auto pollutant = meteo({"query", "air-quality", "--pollutant", "XYZ"});
  EXPECT_EQ(pollutant.exit_code, 64) << describe(pollutant);
  EXPECT_TRUE(contains(pollutant.err, "unknown pollutant XYZ: use one of NO2")) << pollutant.err;
  const auto station = meteo({"query", "air-quality", "--station", "FR00000"});
  EXPECT_EQ(station.exit_code, 64) << describe(station);
  EXPECT_TRUE(contains(station.err, "no air-quality station FR00000")) << station.err;
  EXPECT_EQ(meteo({"query", "air-quality", "--view", "other"}).exit_code, 64);
  const auto window =
      meteo({"query", "air-quality", "--from", "2026-11-22T09", "--to", "2026-11-22T09"});
  EXPECT_EQ(window.exit_code, 64) << describe(window);
}

TEST_F(AirQualityViews, ExportWritesTheViewWithNullWeatherWhereTheHourIsAbsent) {
  seed();
  const auto csv = meteo({"export", "--what", "air-quality-hourly", "--from", "2026-11-22T04",
                          "--to", "2026-11-22T06"});
  ASSERT_EQ(csv.exit_code, 0) << describe(csv);
  const auto rows = csv_rows(csv.out);
  ASSERT_EQ(rows.size(), 5u) << csv.out;
  EXPECT_EQ(rows[0],
            (std::vector<std::string>{"AqSource", "StationCode", "Pollutant", "Hour", "Value",
                                      "WeatherStation", "DistanceKm", "Temperature", "Humidity",
                                      "WindSpeed", "WindDirection", "Rain"}));
  // By source, station, pollutant, hour: NO2 04:00, 05:00, then PM10 04:00, 05:00.
  EXPECT_EQ(rows[1][2], "NO2");
  EXPECT_EQ(rows[1][3], "2026-11-22T04:00:00Z");
  EXPECT_EQ(rows[1][4], "30.0");
  EXPECT_EQ(rows[1][5], "01-meteopole");
  EXPECT_EQ(rows[1][7], "8.0");
  EXPECT_EQ(rows[1][8], "") << "no humidity measured";
  EXPECT_EQ(rows[1][9], "10.0");
  EXPECT_NEAR(std::stod(rows[1][10]), 90, 1e-9);
  EXPECT_EQ(rows[2][3], "2026-11-22T05:00:00Z");
  EXPECT_EQ(rows[2][5], "01-meteopole") << "the pair stays";
  for (std::size_t column = 7; column < 12; ++column) {
    EXPECT_EQ(rows[2][column], "") << "no weather hour at 05:00, column " << column;
  }
  EXPECT_EQ(rows[3][2], "PM10");
  EXPECT_EQ(rows[4][3], "2026-11-22T05:00:00Z");

  const auto json_rows = meteo({"export", "--what", "air-quality-hourly", "--from", "2026-11-23T00",
                                "--to", "2026-11-24T00", "--source", "atmo", "--format", "json"});
  ASSERT_EQ(json_rows.exit_code, 0) << describe(json_rows);
  const json far = json::parse(json_rows.out);
  ASSERT_EQ(far.size(), 2u);
  EXPECT_EQ(far[0]["StationCode"], "FR99999");
  EXPECT_TRUE(far[0]["WeatherStation"].is_null());
  EXPECT_TRUE(far[0]["WindSpeed"].is_null());

  const auto unknown = meteo({"export", "--what", "air-quality-hourly", "--from", "2026-11-22T04",
                              "--to", "2026-11-22T06", "--source", "elsewhere"});
  EXPECT_EQ(unknown.exit_code, 64) << describe(unknown);
  EXPECT_TRUE(contains(unknown.err, "no air-quality data of source elsewhere")) << unknown.err;
  EXPECT_EQ(meteo({"export", "--what", "station-hourly", "--from", "2026-11-22T04", "--to",
                   "2026-11-22T06", "--source", "atmo"})
                .exit_code,
            64);
}

TEST_F(AirQualityViews, WithoutAirQualityDataTheDashboardSaysNull) {
  const auto dashboard = meteo({"dashboard", "--out", site().string()});
  ASSERT_EQ(dashboard.exit_code, 0) << describe(dashboard);
  const json meta = read_json(site() / "data/meta.json");
  ASSERT_TRUE(meta.contains("air_quality"));
  EXPECT_TRUE(meta["air_quality"].is_null());
  ASSERT_TRUE(meta.contains("air_quality_impact"));
  EXPECT_TRUE(meta["air_quality_impact"].is_null());
  EXPECT_FALSE(fs::exists(site() / "data/air-quality.json"));
  EXPECT_FALSE(fs::exists(site() / "data/air-quality"));
  EXPECT_FALSE(fs::exists(site() / "data/air-quality-increment.json"));
}

TEST_F(AirQualityViews, DashboardWritesTheStationsTheirHoursAndTheRose) {
  seed(/*with_bad_code=*/true);
  const auto dashboard = meteo({"dashboard", "--out", site().string()});
  ASSERT_EQ(dashboard.exit_code, 0) << describe(dashboard);
  const json meta = read_json(site() / "data/meta.json");
  EXPECT_EQ(meta["version"], 1);
  EXPECT_EQ(meta["air_quality"],
            (json{{"file", "air-quality.json"},
                  {"source", "atmo"},
                  {"label", "Indice indicatif, calculé à partir des mesures des stations"}}));
  // No analysis, and no day with both a traffic and a background representative mean.
  ASSERT_TRUE(meta.contains("air_quality_impact"));
  EXPECT_TRUE(meta["air_quality_impact"].is_null());
  EXPECT_FALSE(fs::exists(site() / "data/air-quality/normalised"));
  EXPECT_FALSE(fs::exists(site() / "data/air-quality-increment.json"));

  const json list = read_json(site() / "data/air-quality.json");
  EXPECT_EQ(list["source"], "atmo");
  EXPECT_EQ(list["latest_hour"], "2026-11-23T01:00:00Z");
  ASSERT_EQ(list["stations"].size(), 3u);
  const json& bad = list["stations"][0];
  EXPECT_EQ(bad["code"], "../evil");
  EXPECT_TRUE(bad["file"].is_null()) << "a code that is no plain name gets no file";
  EXPECT_FALSE(fs::exists(site() / "evil.json"));
  const json& station = list["stations"][1];
  EXPECT_EQ(station["code"], "FR50044");
  EXPECT_EQ(station["commune"], "Toulouse");
  EXPECT_EQ(station["typology"], "urbaine");
  EXPECT_EQ(station["influence"], "fond");
  EXPECT_EQ(station["latitude"], 43.58);
  EXPECT_EQ(station["longitude"], 1.38);
  EXPECT_EQ(station["weather_station"], "01-meteopole");
  EXPECT_EQ(station["file"], "air-quality/FR50044.json");
  EXPECT_EQ(station["index"], (json{{"day", kDay},
                                    {"class", 5},
                                    {"label", "Très mauvais"},
                                    {"dominant", "NO2"},
                                    {"sub_indices", 2}}));
  EXPECT_TRUE(list["stations"][2]["index"].is_null());
  EXPECT_TRUE(list["stations"][2]["distance_km"].is_null());

  const json file = read_json(site() / "data/air-quality/FR50044.json");
  const json& hours = file["hours"];
  ASSERT_EQ(hours.size(), 168u) << "every hour of 7 days";
  EXPECT_EQ(hours.back(), "2026-11-23T01:00:00Z");
  EXPECT_EQ(hours.front(), "2026-11-16T02:00:00Z");
  // kDay's hour h is at 168 - 2 - 24 + h... the axis ends at 2026-11-23T01: kDay 00:00 is 26
  // hours before its end.
  const std::size_t day_start = 168 - 26;
  EXPECT_EQ(hours[day_start], "2026-11-22T00:00:00Z");
  const json& no2 = file["pollutants"]["NO2"];
  const json& speed = file["wind_speed_kmh"];
  ASSERT_EQ(no2.size(), 168u);
  for (int hour = 0; hour < 24; ++hour) {
    const auto expected = no2_at(hour);
    const json& value = no2[day_start + static_cast<std::size_t>(hour)];
    if (expected) {
      EXPECT_EQ(value, *expected) << hour;
    } else {
      EXPECT_TRUE(value.is_null()) << "the NO2 gap at " << hour;
    }
  }
  EXPECT_TRUE(no2[0].is_null()) << "no measurement a week before";
  EXPECT_TRUE(no2.back().is_null()) << "FR50044 measured nothing on 2026-11-23";
  EXPECT_TRUE(speed[day_start + 5].is_null()) << "no weather at 05:00";
  EXPECT_EQ(speed[day_start + 4], 10.0);
  EXPECT_EQ(file["pollutants"]["PM10"][day_start + 15], 15.0);
  EXPECT_NEAR(file["wind_direction_deg"][day_start + 21].get<double>(), 200, 1e-9);

  ASSERT_EQ(file["exceedances"].size(), 1u);
  EXPECT_EQ(file["exceedances"][0]["pollutant"], "NO2");
  EXPECT_EQ(file["exceedances"][0]["level"], "information");
  EXPECT_EQ(file["exceedances"][0]["start"], "2026-11-22T10:00:00Z");
  EXPECT_EQ(file["exceedances"][0]["end"], "2026-11-22T11:00:00Z");
  EXPECT_EQ(file["exceedances"][0]["peak_ugm3"], 250.0);

  const json& days = file["daily_index"];
  ASSERT_EQ(days.size(), 7u);
  EXPECT_EQ(days[5]["day"], kDay);
  EXPECT_EQ(days[5]["class"], 5);
  EXPECT_EQ(days[6]["day"], "2026-11-23");
  EXPECT_TRUE(days[6]["class"].is_null());
  EXPECT_EQ(days[0]["day"], "2026-11-17");

  // The rose, recomputed here from the seeded hours: wind 10 km/h from 90° (sector 4) but at
  // 05:00 (no weather), 20:00 (calm) and 21:00 (200°: sector 9, [191.25, 213.75)).
  const json& rose = file["rose"];
  EXPECT_EQ(rose["calm_hours"], 1);
  EXPECT_EQ(rose["calm_below_kmh"], 2.0);
  ASSERT_EQ(rose["sectors"].size(), 16u);
  std::size_t east_hours = 0;
  double east_no2 = 0;
  std::size_t east_no2_hours = 0;
  for (int hour = 0; hour < 24; ++hour) {
    if (hour == 5 || hour == 20 || hour == 21) continue;
    ++east_hours;
    if (const auto value = no2_at(hour)) {
      east_no2 += *value;
      ++east_no2_hours;
    }
  }
  const json& east = rose["sectors"][4];
  EXPECT_EQ(east["direction_deg"], 90.0);
  EXPECT_EQ(east["hours"], east_hours);
  EXPECT_NEAR(east["means"]["NO2"].get<double>(), east_no2 / east_no2_hours, 1e-9);
  EXPECT_EQ(east["means"]["PM10"], 15.0);
  EXPECT_TRUE(east["means"]["PM2.5"].is_null());
  EXPECT_TRUE(east["means"]["O3"].is_null());
  EXPECT_EQ(rose["sectors"][9]["hours"], 1);
  EXPECT_EQ(rose["sectors"][9]["means"]["NO2"], 30.0);
  EXPECT_EQ(rose["sectors"][0]["hours"], 0);
  EXPECT_TRUE(rose["sectors"][0]["means"]["NO2"].is_null());
}

// For the page's browser test: the seeded station beside everything else, kept where it asked.
TEST_F(AirQualityViews, WritesTheBrowserFixture) {
  const char* fixture = std::getenv("METEO_AIR_QUALITY_FIXTURE_DIR");
  if (fixture == nullptr || *fixture == '\0') {
    GTEST_SKIP() << "set METEO_AIR_QUALITY_FIXTURE_DIR to write the browser test's site";
  }
  seed();
  const auto dashboard = meteo({"dashboard", "--out", fs::absolute(fixture).string()});
  ASSERT_EQ(dashboard.exit_code, 0) << describe(dashboard);
  EXPECT_TRUE(fs::exists(fs::path(fixture) / "data/air-quality/FR50044.json"));
}

}  // namespace
}  // namespace meteo::testing
