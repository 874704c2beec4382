// What `analyze` reads and writes, against the test MariaDB: the series with the paired weather,
// the pairing, the station-pollutants, and a result replacing the previous one whole.
#include "meteo/store/air_quality_analysis.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>

#include "air_quality_seed.hpp"
#include "db_snapshot.hpp"
#include "meteo/store/ledger.hpp"
#include "store_fixtures.hpp"

namespace meteo::testing {
namespace {

using std::chrono::hours;

std::string hour_of(const std::string& day, int hour) {
  return day + (hour < 10 ? " 0" : " ") + std::to_string(hour) + ":00:00";
}

// FR50044, paired with the weather station, measures NO2 on two days (all 24 hours of the 22nd,
// 10 hours of the 23rd) and PM10 at one hour; FR99999, far away, has no pair. The weather
// station reports every hour of the 22nd but 05:00.
class AirQualityAnalysisStore : public ::testing::Test {
 protected:
  void SetUp() override {
    WeatherSeed weather;
    weather.stations = {{"01-meteopole", "1", "Toulouse", "ISS", 43.574, 1.374, 150.0}};
    for (int hour = 0; hour < 24; ++hour) {
      if (hour == 5) continue;
      WeatherObservation observation;
      observation.dataset_id = "01-meteopole";
      observation.observed_at = at(hour_of("2026-11-22", hour));
      observation.temperature_c = 8;
      observation.wind_speed_kmh = 10;
      observation.wind_direction_deg = 90;
      weather.observations.push_back(observation);
    }
    seed_weather(db_, weather);
    AirQualitySeed seed;
    seed.stations = {
        {"FR50044", "Toulouse Jacquier", "Toulouse", "31555", "HAUTE-GARONNE", "urbaine", "fond",
         43.58, 1.38},
        {"FR99999", "Far away", "Lyon", "69123", "RHONE", "urbaine", "trafic", 45.75, 4.85}};
    for (int hour = 0; hour < 24; ++hour) {
      seed.measurements.push_back(
          air_quality_value("FR50044", "NO2", hour_of("2026-11-22", hour), 20 + hour));
    }
    for (int hour = 0; hour < 10; ++hour) {
      seed.measurements.push_back(
          air_quality_value("FR50044", "NO2", hour_of("2026-11-23", hour), 30));
    }
    seed.measurements.push_back(air_quality_value("FR50044", "PM10", hour_of("2026-11-22", 3), 9));
    seed.measurements.push_back(air_quality_value("FR99999", "NO2", hour_of("2026-11-22", 3), 9));
    seed.weather_source = "toulouse";
    seed_air_quality(db_, seed);
  }

  // A result over the seeded NO2 hours: observed as stored, predicted +1, normalised +2.
  AnalysisResult result(std::int64_t run_id, double effect) {
    AnalysisResult out{"atmo", "FR50044", "NO2"};
    out.card.run_id = run_id;
    out.card.weather = *read_weather_pairing(db_, "atmo", "FR50044");
    out.card.learner = "xgboost gbtree";
    out.card.parameters = "trees=10";
    out.card.seed = 7;
    out.card.threads = 2;
    out.card.training_from = at("2026-11-22 00:00:00");
    out.card.training_to = at("2026-11-23 10:00:00");
    out.card.score = {0.8, 3.5, 27, 7};
    for (const auto& hour : read_pollution_series(db_, "atmo", "FR50044", "NO2")) {
      out.hours.push_back(
          {hour.hour, hour.concentration, hour.concentration + 1, hour.concentration + 2});
    }
    analysis::ImpactEstimate estimate;
    estimate.hours_before = 24;
    estimate.hours_after = 10;
    estimate.effect_percent = effect;
    estimate.effect_ci_low_percent = effect - 5;
    estimate.effect_ci_high_percent = effect + 5;
    out.effects.push_back(
        {"zfe", at("2026-11-23 00:00:00"), analysis::ImpactMethod::normalised, estimate});
    return out;
  }

  std::string result_rows() {
    return query_contents(db_, "SELECT * FROM air_quality_normalised ORDER BY 1, 2, 3, 4, 5") +
           query_contents(db_,
                          "SELECT * FROM air_quality_intervention_effects ORDER BY 1, 2, 3, 4") +
           query_contents(db_,
                          "SELECT source, station_code, pollutant, run_id, weather_source,"
                          " weather_dataset, seed, threads, training_from, training_to, r2"
                          " FROM air_quality_normalisation_models");
  }

  ScratchDatabase scratch_ = ScratchDatabase::migrated();
  Database db_ = scratch_.connect();
};

TEST_F(AirQualityAnalysisStore, ReadsTheSeriesWithItsWeatherInAWindow) {
  const auto series = read_pollution_series(db_, "atmo", "FR50044", "NO2");
  ASSERT_EQ(series.size(), 34u);
  EXPECT_EQ(series.front().hour, at("2026-11-22 00:00:00"));
  EXPECT_DOUBLE_EQ(series.front().concentration, 20);
  EXPECT_DOUBLE_EQ(series.front().wind_speed, 10);
  EXPECT_DOUBLE_EQ(series.front().temperature, 8);
  EXPECT_NEAR(series.front().wind_direction, 90, 1e-6);
  EXPECT_TRUE(std::isnan(series[5].wind_speed)) << "05:00 has no weather hour";
  EXPECT_TRUE(std::isnan(series[24].temperature)) << "the 23rd has no weather";
  for (std::size_t i = 1; i < series.size(); ++i) EXPECT_LT(series[i - 1].hour, series[i].hour);

  const auto window = read_pollution_series(db_, "atmo", "FR50044", "NO2",
                                            at("2026-11-22 22:00:00"), at("2026-11-23 02:00:00"));
  ASSERT_EQ(window.size(), 4u) << "[from, to)";
  EXPECT_EQ(window.front().hour, at("2026-11-22 22:00:00"));
  EXPECT_EQ(window.back().hour, at("2026-11-23 01:00:00"));
}

TEST_F(AirQualityAnalysisStore, PairingsAndStationPollutants) {
  const auto pairing = read_weather_pairing(db_, "atmo", "FR50044");
  ASSERT_TRUE(pairing);
  EXPECT_EQ(pairing->weather_source, "toulouse");
  EXPECT_EQ(pairing->weather_dataset, "01-meteopole");
  EXPECT_FALSE(read_weather_pairing(db_, "atmo", "FR99999")) << "too far to pair";
  EXPECT_TRUE(source_has_station(db_, "atmo", "FR99999"));
  EXPECT_FALSE(source_has_station(db_, "atmo", "FR00000"));
  EXPECT_FALSE(source_has_station(db_, "other", "FR50044"));

  const auto all = list_station_pollutants(db_, "atmo");
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].station_code, "FR50044");
  EXPECT_EQ(all[0].pollutant, "NO2");
  EXPECT_EQ(all[0].hours, 34u);
  EXPECT_EQ(all[1].pollutant, "PM10");
  EXPECT_EQ(all[2].station_code, "FR99999");
  EXPECT_EQ(list_station_pollutants(db_, "atmo", "FR50044").size(), 2u);
  EXPECT_EQ(list_station_pollutants(db_, "atmo", "", "NO2").size(), 2u);
  EXPECT_TRUE(list_station_pollutants(db_, "atmo", "FR00000").empty());
}

TEST_F(AirQualityAnalysisStore, AResultReplacesThePreviousOneWhole) {
  const std::int64_t run = begin_run(db_, "atmo", at("2026-11-24 00:00:00"), RunKind::analyze);
  EXPECT_EQ(query_value(db_, "SELECT kind FROM etl_runs WHERE id = " + std::to_string(run)),
            "analyze");
  const WrittenAnalysis written = write_analysis_result(db_, result(run, -20));
  EXPECT_EQ(written.hours, 34u);
  EXPECT_EQ(written.days, 1u) << "the 23rd has 10 hours, fewer than 18";
  EXPECT_EQ(written.effects, 1u);
  EXPECT_EQ(written.rows(), 37u);
  EXPECT_EQ(count_rows(db_, "air_quality_normalised", "resolution = 'hour'"), 34u);
  ASSERT_EQ(count_rows(db_, "air_quality_normalised", "resolution = 'day'"), 1u);
  // The 22nd's mean of 20..43 is 31.5; predicted and normalised +1 and +2.
  EXPECT_EQ(query_value(db_,
                        "SELECT CONCAT(period_start, ' ', observed_ugm3, ' ', predicted_ugm3, ' ',"
                        " normalised_ugm3, ' ', hours) FROM air_quality_normalised"
                        " WHERE resolution = 'day'"),
            "2026-11-22 00:00:00 31.5 32.5 33.5 24");
  EXPECT_EQ(query_value(db_, "SELECT method FROM air_quality_intervention_effects"), "normalised");

  const std::string first = result_rows();
  write_analysis_result(db_, result(run, -20));
  EXPECT_EQ(result_rows(), first) << "the same result, the same rows";

  AnalysisResult shorter = result(run + 1, -30);
  shorter.hours.resize(3);
  shorter.effects.clear();
  write_analysis_result(db_, shorter);
  EXPECT_EQ(count_rows(db_, "air_quality_normalised"), 3u) << "nothing of the previous is left";
  EXPECT_EQ(count_rows(db_, "air_quality_intervention_effects"), 0u);
  EXPECT_EQ(query_value(db_, "SELECT run_id FROM air_quality_normalisation_models"),
            std::to_string(run + 1));
}

TEST_F(AirQualityAnalysisStore, ANonFiniteValueWritesNothing) {
  write_analysis_result(db_, result(1, -20));
  const std::string before = result_rows();
  AnalysisResult broken = result(2, -20);
  broken.hours[3].normalised = std::nan("");
  EXPECT_THROW(write_analysis_result(db_, broken), Error);
  EXPECT_EQ(result_rows(), before) << "rolled back: the previous result stays";
}

TEST_F(AirQualityAnalysisStore, AYearOfHoursIsWrittenQuickly) {
  AnalysisResult big = result(1, -20);
  big.hours.clear();
  const UtcSeconds start = at("2024-01-01 00:00:00");
  for (int i = 0; i < 17520; ++i) big.hours.push_back({start + hours(i), 30, 31, 32});
  const auto began = std::chrono::steady_clock::now();
  const WrittenAnalysis written = write_analysis_result(db_, big);
  const auto took = std::chrono::steady_clock::now() - began;
  EXPECT_EQ(written.hours, 17520u);
  EXPECT_EQ(written.days, 730u);
  EXPECT_LT(took, std::chrono::seconds(10)) << "multi-row inserts";
  std::cout << "17520 hours and 730 days written in "
            << std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms\n";
}

}  // namespace
}  // namespace meteo::testing
