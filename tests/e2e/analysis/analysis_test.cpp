// `analyze impact` and `analyze normalise` as an operator runs them, on data the tool ingested:
// 150 days of weather loaded from the portal simulator, then an ATMO hub CSV for a station beside
// that weather station whose NO2 is a function of the stored weather (less with wind, a traffic
// cycle), 25 % lower from the intervention day on, with noise.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "cli_job.hpp"
#include "config_files.hpp"
#include "db_snapshot.hpp"
#include "meteo/core/time.hpp"
#include "paths.hpp"
#include "portal_sim.hpp"
#include "subprocess.hpp"
#include "test_database.hpp"
#include "test_support.hpp"

namespace meteo::testing {
namespace {

namespace fs = std::filesystem;
using std::chrono::days;
using std::chrono::hours;

constexpr const char* kSource = "atmo-occitanie";
constexpr const char* kWeather = "toulouse-stations";
constexpr const char* kStation = "FR12021";      // beside the weather station: paired
constexpr const char* kLoneStation = "FR50999";  // 150 km away: no pair
constexpr int kHistoryDays = 150;
constexpr int kWindowDays = 60;  // [analysis] before_days and after_days
constexpr double kTrueEffect = -0.25;

std::string describe(const ProcessResult& result) {
  return "exit " + std::to_string(result.exit_code) + "\nstdout:\n" + result.out + "\nstderr:\n" +
         result.err;
}

class Analysis : public ::testing::Test {
 protected:
  void SetUp() override {
    METEO_SKIP_WITHOUT_SHARED_DATA("geo/communes-31-haute-garonne.geojson",
                                   "toulouse/stations-meteo-en-place.exports.json",
                                   "toulouse/catalog-v1-search-q-meteo.json");
  }

  std::string config_path() const { return (directory_ / "meteo.toml").string(); }

  ProcessResult meteo(std::vector<std::string> args) {
    args.insert(args.begin(), meteo_etl_binary());
    return run_process(args, cron_environment(config_path(), database_.config()),
                       std::chrono::seconds(300));
  }

  void write_config(const std::string& portal_url) {
    std::ofstream config(config_path());
    config << database_toml(database_.config()) << "\n[archive]\nroot = \""
           << (directory_ / "archive").string()
           << "\"\n[[region_sets]]\nname = \"toulouse-communes\"\nlocation = \""
           << shared_data("geo/communes-31-haute-garonne.geojson") << "\"\n"
           << "\n[[sources]]\nname = \"" << kWeather << "\"\ntype = \"opendatasoft-stations\"\n"
           << "base_url = \"" << portal_url << "\"\ndataset_pattern = \"station-meteo\"\n"
           << "start = \"" << to_iso8601(portal_now_ - days(kHistoryDays)) << "\"\n"
           << "max_catch_up_hours = " << 24 * 366 << "\n"
           << "region_sets = [\"toulouse-communes\"]\n"
           << "\n[[sources]]\nname = \"" << kSource << "\"\ntype = \"arcgis-air-quality\"\n"
           << "url = \"https://arcgis.invalid/arcgis/rest/services/s/FeatureServer/0\"\n"
           << "region_sets = [\"toulouse-communes\"]\nweather_source = \"" << kWeather << "\"\n"
           << "max_pair_distance_km = 10\n"
           // Small enough for a test that runs in seconds; the figures stay meaningful.
           << "\n[analysis]\ntrees = 80\nmax_depth = 5\nlearning_rate = 0.1\nresamples = 20\n"
           << "bootstrap_draws = 100\nthreads = 2\nseed = 7\nbefore_days = " << kWindowDays
           << "\nafter_days = " << kWindowDays << "\nmin_days_each_side = 14\n"
           << "\n[[interventions]]\nname = \"zfe-test\"\ndate = \""
           << to_iso8601(intervention_).substr(0, 10) << "\"\nstations = [\"" << kStation
           << "\"]\ndescription = \"the test's step\"\n";
  }

  // The weather the tool stored, turned into the station's NO2: an ATMO hub CSV.
  void write_air_quality_csv(Database& db, const fs::path& csv) {
    const std::string dataset =
        query_value(db, "SELECT MIN(dataset_id) FROM station_hourly_weather");
    const std::string latitude =
        query_value(db, "SELECT CAST(latitude AS CHAR) FROM weather_stations WHERE dataset_id = '" +
                            dataset + "'");
    const std::string longitude = query_value(
        db, "SELECT CAST(longitude AS CHAR) FROM weather_stations WHERE dataset_id = '" + dataset +
                "'");
    const std::string hours_text = query_contents(
        db,
        "SELECT CAST(hour AS CHAR), wind_mean, temperature_mean FROM station_hourly_weather"
        " WHERE dataset_id = '" +
            dataset + "' AND wind_mean IS NOT NULL AND temperature_mean IS NOT NULL ORDER BY hour");
    std::ofstream out(csv);
    out << "X,Y,nom_dept,nom_com,insee_com,nom_station,code_station,typologie,influence,nom_poll,"
           "id_poll_ue,valeur,unite,metrique,date_debut,date_fin,statut_valid,x_l93,y_l93,"
           "ObjectId\n";
    std::mt19937 random(11);
    std::normal_distribution<double> noise(0.0, 3.0);
    std::istringstream lines(hours_text);
    std::string line;
    int object_id = 1;
    while (std::getline(lines, line)) {
      std::istringstream fields(line);
      std::string hour_text, wind_text, temperature_text;
      std::getline(fields, hour_text, '\t');
      std::getline(fields, wind_text, '\t');
      std::getline(fields, temperature_text, '\t');
      const UtcSeconds hour = parse_sql_datetime(hour_text);
      const double wind = std::stod(wind_text);
      const double temperature = std::stod(temperature_text);
      const int clock = static_cast<int>((hour.time_since_epoch() / hours(1)) % 24);
      const double traffic = 1 + 0.6 * std::exp(-(clock - 7) * (clock - 7) / 4.0) +
                             0.5 * std::exp(-(clock - 17) * (clock - 17) / 4.0);
      const double base = 55 * std::exp(-wind / 12) * traffic * (1 + 0.01 * (15 - temperature));
      const double step = hour >= intervention_ ? 1 + kTrueEffect : 1.0;
      const double value = std::max(1.0, base * step + noise(random));
      const std::string start = to_iso8601(hour);
      const std::string end = to_iso8601(hour + hours(1));
      const auto row = [&](const std::string& x, const std::string& y, const char* code, double v) {
        out << x << "," << y << ",HAUTE-GARONNE,TOULOUSE,31555,Test " << code << "," << code
            << ",Urbaine,Trafic,NO2,8," << std::round(v * 10) / 10 << ",ug.m-3,horaire,"
            << start.substr(0, 19) << ".000Z," << end.substr(0, 19) << ".000Z,t,574000,6280000,"
            << object_id++ << "\n";
      };
      row(longitude, latitude, kStation, value);
      row("3.8767", "43.6108", kLoneStation, value);  // Montpellier: no weather station near
    }
  }

  // Weather through the station source, then the CSV through the air-quality one.
  void load_everything() {
    PortalSimOptions options;
    options.now = to_iso8601(portal_now_);
    options.from = to_iso8601(portal_now_ - days(kHistoryDays));
    options.datasets = 1;
    options.future_row = false;
    PortalSim portal(options);
    write_config(portal.base_url());
    for (std::vector<std::string> step : {std::vector<std::string>{"migrate"},
                                          {"regions", "load"},
                                          {"run", "--source", kWeather}}) {
      const auto result = meteo(step);
      ASSERT_EQ(result.exit_code, 0) << step.front() << ": " << describe(result);
    }
    Database db = database_.connect();
    ASSERT_GT(count_rows(db, "station_hourly_weather"), 24u * (kHistoryDays - 5));
    const fs::path csv = directory_ / "atmo-no2.csv";
    write_air_quality_csv(db, csv);
    const auto ingest = meteo({"ingest", "--source", kSource, "--file", csv.string()});
    ASSERT_EQ(ingest.exit_code, 0) << describe(ingest);
    ASSERT_EQ(count_rows(db, "air_quality_station_pairs",
                         std::string("station_code = '") + kStation + "'"),
              1u);
    ASSERT_EQ(count_rows(db, "air_quality_station_pairs",
                         std::string("station_code = '") + kLoneStation + "'"),
              0u);
  }

  std::size_t hours_between(Database& db, UtcSeconds from, UtcSeconds to) {
    return count_rows(db, "air_quality_measurements",
                      std::string("station_code = '") + kStation + "' AND measured_at >= '" +
                          to_sql_datetime(from) + "' AND measured_at < '" + to_sql_datetime(to) +
                          "'");
  }

  std::vector<std::string> impact_args(const std::string& station) const {
    return {"analyze",        "impact",
            "--source",       kSource,
            "--station",      station,
            "--pollutant",    "NO2",
            "--intervention", to_iso8601(intervention_).substr(0, 10)};
  }

  // The 150 days before the portal's present, the intervention two months before it: the date of
  // the command docs/operations.md shows.
  const UtcSeconds portal_now_ = parse_hour("2024-05-01T00");
  const UtcSeconds intervention_ = parse_hour("2024-03-01T00");
  ScratchDatabase database_;
  TestDirectory directory_;
};

// documented_command (paths.hpp): the command line a page of docs/ shows (operations.md;
// impact.md, the officers' page, shows the same lines), run verbatim (the config is the test's).

TEST_F(Analysis, ImpactFindsTheStepOnIngestedData) {
  ASSERT_NO_FATAL_FAILURE(load_everything());
  Database db = database_.connect();
  auto args = impact_args(kStation);
  args.insert(args.end(), {"--format", "json"});
  EXPECT_EQ(documented_command("meteo-etl analyze impact"), args) << "docs/operations.md";
  EXPECT_EQ(documented_command("meteo-etl analyze impact", "docs/impact.md"), args)
      << "docs/impact.md";
  const auto impact = meteo(args);
  ASSERT_EQ(impact.exit_code, 0) << describe(impact);
  const auto json = nlohmann::json::parse(impact.out);
  for (const char* key :
       {"station", "pollutant", "intervention", "method", "hours_before", "hours_after",
        "raw_mean_before", "raw_mean_after", "raw_effect_percent", "normalised_mean_before",
        "normalised_mean_after", "effect_percent", "effect_ci_low_percent",
        "effect_ci_high_percent", "model_r2", "model_rmse", "weather_station"}) {
    EXPECT_TRUE(json.contains(key)) << key << " missing from " << impact.out;
  }
  EXPECT_EQ(json.size(), 17u) << impact.out;
  EXPECT_EQ(json["station"], kStation);
  EXPECT_EQ(json["pollutant"], "NO2");
  EXPECT_EQ(json["intervention"], to_iso8601(intervention_).substr(0, 10));
  EXPECT_EQ(json["method"], "normalised");
  EXPECT_EQ(json["hours_before"].get<std::size_t>(),
            hours_between(db, intervention_ - days(kWindowDays), intervention_));
  EXPECT_EQ(json["hours_after"].get<std::size_t>(),
            hours_between(db, intervention_, intervention_ + days(kWindowDays)));
  const double effect = json["effect_percent"].get<double>();
  EXPECT_TRUE(std::isfinite(effect)) << impact.out;  // its size: the test below
  EXPECT_LT(json["raw_effect_percent"].get<double>(), -10) << "the step is in the data";
  EXPECT_LE(json["effect_ci_low_percent"].get<double>(), effect);
  EXPECT_GE(json["effect_ci_high_percent"].get<double>(), effect);
  EXPECT_GT(json["model_r2"].get<double>(), 0.3) << impact.out;
  EXPECT_GT(json["model_rmse"].get<double>(), 0) << impact.out;
  EXPECT_NE(json["weather_station"].get<std::string>().find(
                query_value(db, "SELECT MIN(dataset_id) FROM station_hourly_weather")),
            std::string::npos)
      << impact.out;

  auto counterfactual_args = impact_args(kStation);
  counterfactual_args.insert(counterfactual_args.end(),
                             {"--method", "counterfactual", "--format", "json"});
  const auto counterfactual = meteo(counterfactual_args);
  ASSERT_EQ(counterfactual.exit_code, 0) << describe(counterfactual);
  const auto cf = nlohmann::json::parse(counterfactual.out);
  EXPECT_EQ(cf["method"], "counterfactual");
  EXPECT_LT(cf["effect_percent"].get<double>(), -10) << counterfactual.out;
  EXPECT_GT(cf["effect_percent"].get<double>(), -40) << counterfactual.out;

  const auto table = meteo(impact_args(kStation));
  ASSERT_EQ(table.exit_code, 0) << describe(table);
  EXPECT_NE(table.out.find("effect (%)"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find(kStation), std::string::npos) << table.out;
}

TEST_F(Analysis, NormaliseWritesTheSeriesAndEffectAndAgainTheSameRows) {
  ASSERT_NO_FATAL_FAILURE(load_everything());
  Database db = database_.connect();
  const std::vector<std::string> args{"analyze", "normalise", "--source", kSource};
  EXPECT_EQ(documented_command("meteo-etl analyze normalise"), args) << "docs/operations.md";
  EXPECT_EQ(documented_command("meteo-etl analyze normalise", "docs/impact.md"), args)
      << "docs/impact.md";
  const auto first = meteo(args);
  ASSERT_EQ(first.exit_code, 0) << describe(first);
  EXPECT_NE(first.out.find(kStation), std::string::npos) << first.out;
  EXPECT_NE(first.out.find("skipped: no paired weather station"), std::string::npos)
      << "the lone station is skipped, not fatal: " << first.out;
  EXPECT_NE(first.out.find("zfe-test"), std::string::npos) << first.out;

  const std::string station = std::string("station_code = '") + kStation + "'";
  EXPECT_EQ(count_rows(db, "air_quality_normalisation_models"), 1u);
  EXPECT_EQ(count_rows(db, "air_quality_normalised", station + " AND resolution = 'hour'"),
            count_rows(db, "air_quality_measurements", station));
  const std::size_t full_days = std::stoul(query_value(
      db, "SELECT COUNT(*) FROM (SELECT DATE(measured_at) FROM air_quality_measurements WHERE " +
              station + " GROUP BY DATE(measured_at) HAVING COUNT(*) >= 18) AS d"));
  EXPECT_GT(full_days, 100u);
  EXPECT_EQ(count_rows(db, "air_quality_normalised", station + " AND resolution = 'day'"),
            full_days);
  ASSERT_EQ(count_rows(db, "air_quality_intervention_effects", station), 1u);
  EXPECT_EQ(query_value(db, "SELECT intervention FROM air_quality_intervention_effects"),
            "zfe-test");
  EXPECT_EQ(query_value(db,
                        "SELECT CONCAT_WS(' ', method, hours_before > 0, hours_after > 0,"
                        " effect_ci_low_percent <= effect_percent,"
                        " effect_percent <= effect_ci_high_percent)"
                        " FROM air_quality_intervention_effects"),
            "normalised 1 1 1 1");
  EXPECT_EQ(query_value(db,
                        "SELECT COUNT(*) FROM air_quality_normalisation_models AS m JOIN"
                        " etl_runs AS e ON e.id = m.run_id WHERE e.kind = 'analyze'"
                        " AND e.status = 'succeeded'"),
            "1");

  const auto rows = [&] {
    return query_contents(db,
                          "SELECT station_code, pollutant, resolution, period_start, observed_ugm3,"
                          " predicted_ugm3, normalised_ugm3, hours FROM air_quality_normalised"
                          " ORDER BY 1, 2, 3, 4") +
           query_contents(db,
                          "SELECT * FROM air_quality_intervention_effects ORDER BY 1, 2, 3, 4") +
           query_contents(db,
                          "SELECT station_code, pollutant, weather_source, weather_dataset,"
                          " parameters, seed, threads, training_from, training_to, training_hours,"
                          " holdout_hours, r2, rmse_ugm3 FROM air_quality_normalisation_models");
  };
  const std::string written = rows();
  const auto again = meteo(
      {"analyze", "normalise", "--source", kSource, "--station", kStation, "--pollutant", "NO2"});
  ASSERT_EQ(again.exit_code, 0) << describe(again);
  EXPECT_EQ(rows(), written) << "a re-run replaces the result with the same rows";
  EXPECT_EQ(count_rows(db, "etl_runs", "kind = 'analyze' AND status = 'succeeded'"), 2u);
  const auto verify = meteo({"verify"});
  EXPECT_EQ(verify.exit_code, 0) << "an analyze run balances in the ledger: " << describe(verify);
}

// The size of the normalised effect on these data (a -25 % step). Under a year on each side, the
// day of the year would be the trend under another name (it was: exactly 0 %); the analysis
// leaves the season to the weather there.
TEST_F(Analysis, TheNormalisedEffectIsNearTheTrueStep) {
  ASSERT_NO_FATAL_FAILURE(load_everything());
  auto args = impact_args(kStation);
  args.insert(args.end(), {"--format", "json"});
  const auto impact = meteo(args);
  ASSERT_EQ(impact.exit_code, 0) << describe(impact);
  const double effect = nlohmann::json::parse(impact.out)["effect_percent"].get<double>();
  EXPECT_LT(effect, -10) << impact.out;
  EXPECT_GT(effect, -40) << impact.out;
}

TEST_F(Analysis, ErrorsNameTheirReason) {
  ASSERT_NO_FATAL_FAILURE(load_everything());
  const auto lone = meteo(impact_args(kLoneStation));
  EXPECT_EQ(lone.exit_code, 78) << describe(lone);
  EXPECT_NE(lone.err.find("no paired weather station"), std::string::npos) << lone.err;
  EXPECT_NE(lone.err.find(kLoneStation), std::string::npos) << lone.err;

  auto short_args = impact_args(kStation);
  short_args.insert(short_args.end(), {"--before-days", "5", "--after-days", "5"});
  const auto too_short = meteo(short_args);
  EXPECT_EQ(too_short.exit_code, 65) << describe(too_short);
  EXPECT_NE(too_short.err.find(kStation), std::string::npos) << too_short.err;

  const auto unknown = meteo(impact_args("FR00000"));
  EXPECT_EQ(unknown.exit_code, 65) << describe(unknown);
  EXPECT_NE(unknown.err.find("has no station FR00000"), std::string::npos) << unknown.err;

  auto no_source = impact_args(kStation);
  no_source[3] = "nope";
  const auto missing = meteo(no_source);
  EXPECT_EQ(missing.exit_code, 78) << describe(missing);
  EXPECT_NE(missing.err.find("nope"), std::string::npos) << missing.err;

  auto weather_source = impact_args(kStation);
  weather_source[3] = kWeather;
  const auto not_air_quality = meteo(weather_source);
  EXPECT_EQ(not_air_quality.exit_code, 64) << describe(not_air_quality);
  EXPECT_NE(not_air_quality.err.find("air-quality source"), std::string::npos)
      << not_air_quality.err;

  auto bad_pollutant = impact_args(kStation);
  bad_pollutant[7] = "NO3";
  const auto pollutant = meteo(bad_pollutant);
  EXPECT_EQ(pollutant.exit_code, 64) << describe(pollutant);
  EXPECT_NE(pollutant.err.find("unknown pollutant NO3"), std::string::npos) << pollutant.err;

  const auto nothing = meteo({"analyze", "normalise", "--source", kSource, "--station", "FR00000"});
  EXPECT_EQ(nothing.exit_code, 65) << describe(nothing);
  EXPECT_NE(nothing.err.find("FR00000"), std::string::npos) << nothing.err;
}

}  // namespace
}  // namespace meteo::testing
