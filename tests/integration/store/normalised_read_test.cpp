// The readers of the "did it work?" panel against the test MariaDB: model cards, daily series and
// effects seeded with SQL (tests/harness/normalised_seed.hpp), daily means through the store's
// load (tests/harness/air_quality_seed.hpp).
#include "meteo/store/normalised_read.hpp"

#include <gtest/gtest.h>

#include "air_quality_seed.hpp"
#include "normalised_seed.hpp"
#include "store_fixtures.hpp"

namespace meteo::testing {
namespace {

std::string hour_of(const std::string& day, int hour) {
  return day + (hour < 10 ? " 0" : " ") + std::to_string(hour) + ":00:00";
}

// `hours` hours of `ugm3` from midnight of `day`.
void add_day(AirQualitySeed& seed, const std::string& station, const std::string& pollutant,
             const std::string& day, double ugm3, int hours = 24) {
  for (int hour = 0; hour < hours; ++hour) {
    seed.measurements.push_back(air_quality_value(station, pollutant, hour_of(day, hour), ugm3));
  }
}

AirQualityStation station(const std::string& code, const std::string& influence) {
  return {code, code, "Toulouse", "31555", "HAUTE-GARONNE", "urbaine", influence, 43.6, 1.4};
}

class NormalisedRead : public ::testing::Test {
 protected:
  ScratchDatabase scratch_ = ScratchDatabase::migrated();
  Database db_ = scratch_.connect();
};

TEST_F(NormalisedRead, NothingWhenTheTablesAreEmpty) {
  EXPECT_TRUE(query_normalisation_models(db_, "atmo").empty());
  EXPECT_TRUE(query_normalised_days(db_, "atmo", "FR1", "NO2").empty());
  EXPECT_TRUE(query_intervention_effects(db_, "atmo").empty());
  EXPECT_TRUE(query_traffic_increment(db_, "atmo").empty());
}

TEST_F(NormalisedRead, ModelsWithADailySeriesTheirCardAndStationName) {
  AirQualitySeed aq;
  aq.stations = {station("FR1", "Trafic")};
  add_day(aq, "FR1", "NO2", "2026-03-01", 40);
  seed_air_quality(db_, aq);

  NormalisedModelSeed no2;
  no2.station_code = "FR1";
  no2.seed = 42;
  no2.threads = 2;
  no2.r2 = 0.81;
  no2.rmse_ugm3 = 6.5;
  no2.days = {{"2026-03-02", 30, 29, 31, 20}, {"2026-03-01", 40, 41, 39}};
  no2.hourly_rows = 3;
  NormalisedModelSeed pm10 = no2;  // a station the source does not know: no name
  pm10.station_code = "FR0";
  pm10.pollutant = "PM10";
  NormalisedModelSeed hourly_only = no2;  // no daily row: not listed
  hourly_only.pollutant = "O3";
  hourly_only.days = {};
  NormalisedModelSeed other_source = no2;
  other_source.source = "other";
  seed_normalised(db_, {no2, pm10, hourly_only, other_source});

  const auto models = query_normalisation_models(db_, "atmo");
  ASSERT_EQ(models.size(), 2u);
  EXPECT_EQ(models[0].station_code, "FR0");
  EXPECT_EQ(models[0].pollutant, "PM10");
  EXPECT_EQ(models[0].station_name, "");
  const auto& card = models[1];
  EXPECT_EQ(card.source, "atmo");
  EXPECT_EQ(card.station_code, "FR1");
  EXPECT_EQ(card.pollutant, "NO2");
  EXPECT_EQ(card.station_name, "FR1");
  EXPECT_EQ(card.run_id, 1);
  EXPECT_EQ(card.weather_source, "toulouse");
  EXPECT_EQ(card.weather_dataset, "01-meteopole");
  EXPECT_EQ(card.learner, "xgboost 1.7.4 gbtree");
  EXPECT_EQ(card.parameters, "trees=300 max_depth=6");
  EXPECT_EQ(card.seed, 42u);
  EXPECT_EQ(card.threads, 2);
  EXPECT_EQ(card.training_from, at("2026-01-01 00:00:00"));
  EXPECT_EQ(card.training_to, at("2026-05-01 00:00:00"));
  EXPECT_EQ(card.training_hours, 2000);
  EXPECT_EQ(card.holdout_hours, 500);
  EXPECT_DOUBLE_EQ(card.r2, 0.81);
  EXPECT_DOUBLE_EQ(card.rmse_ugm3, 6.5);
  EXPECT_EQ(card.created_at, at("2026-05-02 03:04:05"));

  const auto days = query_normalised_days(db_, "atmo", "FR1", "NO2");
  ASSERT_EQ(days.size(), 2u) << "the hourly rows are not days";
  EXPECT_EQ(days[0].day, "2026-03-01");
  EXPECT_DOUBLE_EQ(days[0].observed_ugm3, 40);
  EXPECT_DOUBLE_EQ(days[0].predicted_ugm3, 41);
  EXPECT_DOUBLE_EQ(days[0].normalised_ugm3, 39);
  EXPECT_EQ(days[0].hours, 24);
  EXPECT_EQ(days[1].day, "2026-03-02");
  EXPECT_DOUBLE_EQ(days[1].normalised_ugm3, 31);
  EXPECT_EQ(days[1].hours, 20);
  EXPECT_TRUE(query_normalised_days(db_, "atmo", "FR1", "PM10").empty());
}

TEST_F(NormalisedRead, EffectsOfASourceByStationPollutantAndDate) {
  NormalisedModelSeed model;
  model.station_code = "FR1";
  model.days = {{"2026-03-01", 40, 41, 39}};
  seed_normalised(db_, {model},
                  {{"atmo", "FR1", "NO2", "ZFE phase 2", "2026-06-01 00:00:00", "counterfactual",
                    -30, -20, -25, -15},
                   {"atmo", "FR1", "NO2", "ZFE phase 1", "2026-03-01 00:00:00", "normalised", -35.5,
                    -23.25, -27.5, -19.125}});
  const auto effects = query_intervention_effects(db_, "atmo");
  ASSERT_EQ(effects.size(), 2u);
  const auto& first = effects[0];
  EXPECT_EQ(first.source, "atmo");
  EXPECT_EQ(first.station_code, "FR1");
  EXPECT_EQ(first.pollutant, "NO2");
  EXPECT_EQ(first.intervention, "ZFE phase 1");
  EXPECT_EQ(first.intervention_date, at("2026-03-01 00:00:00"));
  EXPECT_EQ(first.method, "normalised");
  EXPECT_EQ(first.hours_before, 1440);
  EXPECT_EQ(first.hours_after, 1440);
  EXPECT_DOUBLE_EQ(first.raw_effect_percent, -35.5);
  EXPECT_DOUBLE_EQ(first.effect_percent, -23.25);
  EXPECT_DOUBLE_EQ(first.effect_ci_low_percent, -27.5);
  EXPECT_DOUBLE_EQ(first.effect_ci_high_percent, -19.125);
  EXPECT_EQ(effects[1].intervention, "ZFE phase 2");
  EXPECT_EQ(effects[1].method, "counterfactual");
  EXPECT_TRUE(query_intervention_effects(db_, "other").empty());
}

// Traffic FR1 and FR2 ("trafic": the case does not matter), background FR3, industrial FR4.
TEST_F(NormalisedRead, TrafficIncrementOnDaysWithBothKinds) {
  AirQualitySeed aq;
  aq.stations = {station("FR1", "Trafic"), station("FR2", "trafic"), station("FR3", "Fond"),
                 station("FR4", "Industrielle")};
  // 2026-11-20: NO2 traffic (50 + 40) / 2 = 45, background 20, industrial 100 left out: +25;
  // PM10 traffic 30 (FR1 alone), background 10: +20.
  add_day(aq, "FR1", "NO2", "2026-11-20", 50);
  add_day(aq, "FR2", "NO2", "2026-11-20", 40);
  add_day(aq, "FR3", "NO2", "2026-11-20", 20);
  add_day(aq, "FR4", "NO2", "2026-11-20", 100);
  add_day(aq, "FR1", "PM10", "2026-11-20", 30);
  add_day(aq, "FR3", "PM10", "2026-11-20", 10);
  // 2026-11-21: traffic only.
  add_day(aq, "FR1", "NO2", "2026-11-21", 60);
  // 2026-11-22: background, and traffic on 10 hours only (not a representative day).
  add_day(aq, "FR3", "NO2", "2026-11-22", 10);
  add_day(aq, "FR1", "NO2", "2026-11-22", 70, 10);
  // 2026-11-23: traffic and industrial only.
  add_day(aq, "FR2", "NO2", "2026-11-23", 45);
  add_day(aq, "FR4", "NO2", "2026-11-23", 5);
  seed_air_quality(db_, aq);

  const auto rows = query_traffic_increment(db_, "atmo");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].pollutant, "NO2");
  EXPECT_EQ(rows[0].day, "2026-11-20");
  EXPECT_DOUBLE_EQ(rows[0].traffic_mean_ugm3, 45);
  EXPECT_DOUBLE_EQ(rows[0].background_mean_ugm3, 20);
  EXPECT_DOUBLE_EQ(rows[0].increment_ugm3(), 25);
  EXPECT_EQ(rows[0].traffic_stations, 2);
  EXPECT_EQ(rows[0].background_stations, 1);
  EXPECT_EQ(rows[1].pollutant, "PM10");
  EXPECT_EQ(rows[1].day, "2026-11-20");
  EXPECT_DOUBLE_EQ(rows[1].increment_ugm3(), 20);
  EXPECT_EQ(rows[1].traffic_stations, 1);
  EXPECT_EQ(rows[1].background_stations, 1);
  EXPECT_TRUE(query_traffic_increment(db_, "other").empty());
}

}  // namespace
}  // namespace meteo::testing
