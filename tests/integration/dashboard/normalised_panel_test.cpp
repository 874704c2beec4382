// The "did it work?" panel's files as write_dashboard writes them, against the test MariaDB: the
// air-quality rows through the store's load, the analysis's rows with SQL, the interventions
// filled in C++ as the configuration would give them.
//
// With METEO_NORMALISED_FIXTURE_DIR set, NormalisedPanel.WritesTheBrowserFixture writes the site
// into that directory and keeps it, for the page's browser test.
#include <gtest/gtest.h>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "air_quality_seed.hpp"
#include "meteo/dashboard/dashboard_writer.hpp"
#include "normalised_seed.hpp"
#include "test_database.hpp"
#include "test_support.hpp"

namespace meteo::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string hour_of(const std::string& day, int hour) {
  return day + (hour < 10 ? " 0" : " ") + std::to_string(hour) + ":00:00";
}

std::string day_after(const std::string& day, int days) {
  return to_iso8601(parse_sql_datetime(day + " 00:00:00") + std::chrono::hours(24 * days))
      .substr(0, 10);
}

json read_json(const fs::path& path) {
  const json parsed = json::parse(read_text(path), nullptr, /*allow_exceptions=*/false);
  EXPECT_FALSE(parsed.is_discarded()) << path << " is not complete JSON";
  return parsed;
}

analysis::Intervention intervention(const std::string& name, const std::string& day,
                                    std::vector<std::string> stations,
                                    const std::string& description) {
  return {name, parse_sql_datetime(day + " 00:00:00"), std::move(stations), description};
}

constexpr const char* kFirstDay = "2026-02-20";
constexpr int kDays = 20;
constexpr int kGapDay = 12;  // FR50044 NO2 has no normalised row that day

class NormalisedPanel : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = fs::temp_directory_path() /
                 ("meteo-int-normalised-" + std::to_string(::getpid()) + "-" +
                  ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(directory_);
    inputs_.sources = {{"atmo", SourceKind::air_quality, {}}};
  }
  void TearDown() override { fs::remove_all(directory_); }

  // FR50044 (background) and FR50100 (traffic) measure NO2 every hour of kFirstDay and the next
  // day: 20 and 50, then 22 and 44 (increments +30 and +22); FR50100 has no day after that.
  void seed_air_quality_rows() {
    AirQualitySeed aq;
    aq.stations = {{"FR50044", "Toulouse Jacquier", "Toulouse", "31555", "HAUTE-GARONNE", "Urbaine",
                    "Fond", 43.58, 1.38},
                   {"FR50100", "Toulouse Périphérique", "Toulouse", "31555", "HAUTE-GARONNE",
                    "Urbaine", "Trafic", 43.61, 1.42}};
    for (int hour = 0; hour < 24; ++hour) {
      aq.measurements.push_back(air_quality_value("FR50044", "NO2", hour_of(kFirstDay, hour), 20));
      aq.measurements.push_back(air_quality_value("FR50100", "NO2", hour_of(kFirstDay, hour), 50));
      aq.measurements.push_back(
          air_quality_value("FR50044", "NO2", hour_of(day_after(kFirstDay, 1), hour), 22));
      aq.measurements.push_back(
          air_quality_value("FR50100", "NO2", hour_of(day_after(kFirstDay, 1), hour), 44));
    }
    seed_air_quality(db_, aq);
  }

  // FR50044 NO2: kDays days from kFirstDay but kGapDay, observed 40 then 30 from day 10 (the
  // intervention), normalised 36 then 28; PM10 3 days. Effects: "ZFE phase 1" on day 10 for NO2,
  // and a stale "Bus électriques" estimated for another date.
  void seed_normalised_rows() {
    NormalisedModelSeed no2;
    no2.station_code = "FR50044";
    no2.r2 = 0.74;
    no2.rmse_ugm3 = 7.25;
    no2.seed = 7;
    for (int day = 0; day < kDays; ++day) {
      if (day == kGapDay) continue;
      const bool after = day >= 10;
      no2.days.push_back({day_after(kFirstDay, day), after ? 30.0 : 40.0, after ? 31.0 : 39.0,
                          after ? 28.0 : 36.0, 24});
    }
    NormalisedModelSeed pm10 = no2;
    pm10.pollutant = "PM10";
    pm10.days = {{kFirstDay, 15, 14, 13, 24},
                 {day_after(kFirstDay, 1), 16, 15, 14, 20},
                 {day_after(kFirstDay, 2), 17, 16, 15, 19}};
    seed_normalised(
        db_, {no2, pm10},
        {{"atmo", "FR50044", "NO2", "ZFE phase 1", day_after(kFirstDay, 10) + " 00:00:00",
          "normalised", -25.0, -23.4, -27.2, -18.6},
         {"atmo", "FR50044", "NO2", "Bus électriques", "2025-01-01 00:00:00", "normalised", -5, -4,
          -6, -2}});
    inputs_.interventions = {
        intervention("ZFE phase 1", day_after(kFirstDay, 10), {"FR50044", "FR50100"},
                     "Zone à faibles émissions, première phase"),
        intervention("Bus électriques", day_after(kFirstDay, 5), {}, "Lignes 2 et 12"),
        intervention("Elsewhere", day_after(kFirstDay, 3), {"FR99999"}, "Not this station")};
  }

  dashboard::DashboardReport write(const fs::path& out) {
    dashboard::DashboardSettings settings;
    settings.out = out;
    return dashboard::write_dashboard(db_, inputs_, settings,
                                      parse_sql_datetime("2026-03-20 08:05:00"), log_);
  }

  fs::path site() const { return directory_ / "site"; }

  ScratchDatabase scratch_ = ScratchDatabase::migrated();
  Database db_ = scratch_.connect();
  dashboard::DashboardInputs inputs_;
  spdlog::logger log_{"normalised-panel-test", std::make_shared<spdlog::sinks::null_sink_mt>()};
  fs::path directory_;
};

TEST_F(NormalisedPanel, NothingWithoutAnalysisNorBothKindsOfStation) {
  AirQualitySeed aq;  // a background station alone: no increment
  aq.stations = {{"FR50044", "Toulouse Jacquier", "Toulouse", "31555", "HAUTE-GARONNE", "Urbaine",
                  "Fond", 43.58, 1.38}};
  for (int hour = 0; hour < 24; ++hour) {
    aq.measurements.push_back(air_quality_value("FR50044", "NO2", hour_of(kFirstDay, hour), 20));
  }
  seed_air_quality(db_, aq);
  write(site());
  const json meta = read_json(site() / "data/meta.json");
  ASSERT_FALSE(meta["air_quality"].is_null());
  EXPECT_TRUE(meta.contains("air_quality_impact"));
  EXPECT_TRUE(meta["air_quality_impact"].is_null());
  EXPECT_FALSE(fs::exists(site() / "data/air-quality/normalised"));
  EXPECT_FALSE(fs::exists(site() / "data/air-quality-increment.json"));
}

TEST_F(NormalisedPanel, StationFileWithTheSeriesTheCardAndTheInterventions) {
  seed_air_quality_rows();
  seed_normalised_rows();
  ::umask(077);  // the files are published whatever the umask
  write(site());
  ::umask(022);
  const json meta = read_json(site() / "data/meta.json");
  const json& impact = meta["air_quality_impact"];
  ASSERT_TRUE(impact.is_object()) << meta.dump(2);
  EXPECT_EQ(impact["source"], "atmo");
  EXPECT_EQ(impact["increment"], "air-quality-increment.json");
  ASSERT_EQ(impact["stations"].size(), 1u);
  EXPECT_EQ(impact["stations"][0], (json{{"code", "FR50044"},
                                         {"name", "Toulouse Jacquier"},
                                         {"file", "air-quality/normalised/FR50044.json"},
                                         {"pollutants", {"NO2", "PM10"}}}));

  const fs::path path = site() / "data/air-quality/normalised/FR50044.json";
  struct stat info {};
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0644u);
  const json file = read_json(path);
  EXPECT_EQ(file["source"], "atmo");
  EXPECT_EQ(file["code"], "FR50044");
  EXPECT_EQ(file["name"], "Toulouse Jacquier");
  const json& no2 = file["pollutants"]["NO2"];
  ASSERT_EQ(no2["days"].size(), static_cast<std::size_t>(kDays)) << "the gap day is kept";
  EXPECT_EQ(no2["days"][0], kFirstDay);
  EXPECT_EQ(no2["days"][kDays - 1], day_after(kFirstDay, kDays - 1));
  EXPECT_EQ(no2["days"][kGapDay], day_after(kFirstDay, kGapDay));
  for (const char* column : {"observed_ugm3", "normalised_ugm3", "predicted_ugm3", "hours"}) {
    ASSERT_EQ(no2[column].size(), static_cast<std::size_t>(kDays)) << column;
    EXPECT_TRUE(no2[column][kGapDay].is_null()) << column;
  }
  EXPECT_EQ(no2["observed_ugm3"][0], 40.0);
  EXPECT_EQ(no2["normalised_ugm3"][0], 36.0);
  EXPECT_EQ(no2["predicted_ugm3"][0], 39.0);
  EXPECT_EQ(no2["observed_ugm3"][10], 30.0);
  EXPECT_EQ(no2["normalised_ugm3"][10], 28.0);
  EXPECT_EQ(no2["hours"][0], 24);

  const json& model = no2["model"];
  EXPECT_EQ(model["learner"], "xgboost 1.7.4 gbtree");
  EXPECT_EQ(model["parameters"], "trees=300 max_depth=6");
  EXPECT_EQ(model["seed"], 7);
  EXPECT_EQ(model["threads"], 1);
  EXPECT_EQ(model["weather_source"], "toulouse");
  EXPECT_EQ(model["weather_station"], "01-meteopole");
  EXPECT_EQ(model["training_from"], "2026-01-01T00:00:00Z");
  EXPECT_EQ(model["training_to"], "2026-05-01T00:00:00Z");
  EXPECT_EQ(model["training_hours"], 2000);
  EXPECT_EQ(model["holdout_hours"], 500);
  EXPECT_EQ(model["r2"], 0.74);
  EXPECT_EQ(model["rmse_ugm3"], 7.25);
  EXPECT_EQ(model["run_id"], 1);
  EXPECT_EQ(model["created_at"], "2026-05-02T03:04:05Z");

  // Oldest first; "Elsewhere" concerns another station; the stale estimate is not attached.
  const json& interventions = no2["interventions"];
  ASSERT_EQ(interventions.size(), 2u) << interventions.dump(2);
  EXPECT_EQ(interventions[0]["name"], "Bus électriques");
  EXPECT_EQ(interventions[0]["date"], day_after(kFirstDay, 5));
  EXPECT_EQ(interventions[0]["description"], "Lignes 2 et 12");
  EXPECT_TRUE(interventions[0]["effect"].is_null());
  EXPECT_EQ(interventions[1]["name"], "ZFE phase 1");
  EXPECT_EQ(interventions[1]["date"], day_after(kFirstDay, 10));
  EXPECT_EQ(interventions[1]["description"], "Zone à faibles émissions, première phase");
  EXPECT_EQ(interventions[1]["effect"], (json{{"method", "normalised"},
                                              {"hours_before", 1440},
                                              {"hours_after", 1440},
                                              {"raw_effect_percent", -25.0},
                                              {"effect_percent", -23.4},
                                              {"effect_ci_low_percent", -27.2},
                                              {"effect_ci_high_percent", -18.6}}));

  // PM10 has no estimated effect: its interventions come without one.
  const json& pm10 = file["pollutants"]["PM10"];
  EXPECT_EQ(pm10["days"].size(), 3u);
  EXPECT_EQ(pm10["hours"], (json{24, 20, 19}));
  ASSERT_EQ(pm10["interventions"].size(), 2u);
  EXPECT_TRUE(pm10["interventions"][1]["effect"].is_null());
}

TEST_F(NormalisedPanel, IncrementFileOnDaysWithBothKinds) {
  seed_air_quality_rows();
  write(site());
  const json meta = read_json(site() / "data/meta.json");
  const json& impact = meta["air_quality_impact"];
  ASSERT_TRUE(impact.is_object()) << "the increment alone is shown";
  EXPECT_EQ(impact["stations"], json::array());
  EXPECT_EQ(impact["increment"], "air-quality-increment.json");
  EXPECT_FALSE(fs::exists(site() / "data/air-quality/normalised"));
  const json increment = read_json(site() / "data/air-quality-increment.json");
  EXPECT_EQ(increment["source"], "atmo");
  EXPECT_EQ(increment["traffic_influence"], "Trafic");
  EXPECT_EQ(increment["background_influence"], "Fond");
  ASSERT_EQ(increment["pollutants"].size(), 1u);
  const json& no2 = increment["pollutants"]["NO2"];
  EXPECT_EQ(no2["days"], (json{kFirstDay, day_after(kFirstDay, 1)}));
  EXPECT_EQ(no2["increment_ugm3"], (json{30.0, 22.0}));
  EXPECT_EQ(no2["traffic_mean_ugm3"], (json{50.0, 44.0}));
  EXPECT_EQ(no2["background_mean_ugm3"], (json{20.0, 22.0}));
  EXPECT_EQ(no2["traffic_stations"], (json{1, 1}));
  EXPECT_EQ(no2["background_stations"], (json{1, 1}));
}

TEST_F(NormalisedPanel, AStationCodeThatIsNoPlainNameGetsNoFile) {
  seed_air_quality_rows();
  NormalisedModelSeed bad;
  bad.station_code = "../evil";
  bad.days = {{kFirstDay, 1, 1, 1, 24}};
  seed_normalised(db_, {bad});
  write(site());
  const json meta = read_json(site() / "data/meta.json");
  EXPECT_EQ(meta["air_quality_impact"]["stations"], json::array());
  EXPECT_FALSE(fs::exists(site() / "data/air-quality/normalised"));
  EXPECT_FALSE(fs::exists(site() / "data/evil.json"));
  EXPECT_FALSE(fs::exists(site() / "evil.json"));
}

// For the page's browser test: the seeded panel, kept where it asked.
TEST_F(NormalisedPanel, WritesTheBrowserFixture) {
  const char* fixture = std::getenv("METEO_NORMALISED_FIXTURE_DIR");
  if (fixture == nullptr || *fixture == '\0') {
    GTEST_SKIP() << "set METEO_NORMALISED_FIXTURE_DIR to write the browser test's site";
  }
  seed_air_quality_rows();
  seed_normalised_rows();
  const dashboard::DashboardReport report = write(fs::absolute(fixture));
  EXPECT_GT(report.page_files, 1u) << "the page (web/dist) is embedded";
  EXPECT_TRUE(fs::exists(fs::path(fixture) / "data/air-quality/normalised/FR50044.json"));
}

}  // namespace
}  // namespace meteo::testing
