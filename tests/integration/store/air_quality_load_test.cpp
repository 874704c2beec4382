#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>

#include "air_quality_pairs.hpp"
#include "meteo/store/air_quality.hpp"
#include "store_fixtures.hpp"

namespace meteo::testing {
namespace {

constexpr const char* kSource = "atmo";
constexpr const char* kLayer = "mesures/0";

// Longer than updated_at's millisecond: a row rewritten after this shows a new updated_at.
void let_the_clock_move() {
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
}

AirQualityMeasurement value(const std::string& station, const std::string& pollutant,
                            const std::string& hour, double ugm3, bool validated = true) {
  return {station, pollutant, at(hour), ugm3, validated, 0};
}

// 24 hourly values of one day, all `ugm3`.
std::vector<AirQualityMeasurement> whole_day(const std::string& station,
                                             const std::string& pollutant, const std::string& day,
                                             double ugm3, bool validated = true) {
  std::vector<AirQualityMeasurement> values;
  for (int hour = 0; hour < 24; ++hour) {
    const std::string hh = (hour < 10 ? "0" : "") + std::to_string(hour);
    values.push_back(value(station, pollutant, day + " " + hh + ":00:00", ugm3, validated));
  }
  return values;
}

void append(std::vector<AirQualityMeasurement>& to,
            const std::vector<AirQualityMeasurement>& more) {
  to.insert(to.end(), more.begin(), more.end());
}

class AirQualityStore : public ::testing::Test {
 protected:
  AirQualityBatch batch(std::vector<AirQualityMeasurement> measurements,
                        std::optional<UtcSeconds> watermark = std::nullopt) {
    AirQualityBatch batch;
    batch.run_id = ++run_id_;
    batch.source = kSource;
    batch.layer = kLayer;
    batch.run_hour = at("2026-11-25 10:00:00");
    batch.region_sets = {&regions_};
    AirQualityStation station{"FR50044",
                              "Toulouse Jacquier",
                              "Toulouse",
                              "31555",
                              "HAUTE-GARONNE",
                              "urbaine",
                              "fond",
                              45.5,
                              4.5};
    batch.stations = {{station, {std::size_t{1}}}};
    batch.fetched = measurements.size();
    batch.measurements = std::move(measurements);
    batch.watermark = watermark;
    return batch;
  }
  RunCounts load(std::vector<AirQualityMeasurement> measurements,
                 std::optional<UtcSeconds> watermark = std::nullopt) {
    return load_air_quality_batch(db_, batch(std::move(measurements), watermark));
  }
  Rows daily(const std::string& pollutant) {
    return sql_rows(db_,
                    "SELECT CAST(day AS CHAR), mean_ugm3, max_hourly_ugm3, hours, validated_hours,"
                    " representative, sub_index FROM air_quality_daily WHERE pollutant = '" +
                        pollutant + "' ORDER BY day");
  }
  Rows exceedances() {
    return sql_rows(db_,
                    "SELECT pollutant, level, basis, start_at, end_at, periods, peak_ugm3, peak_at"
                    " FROM air_quality_exceedances ORDER BY pollutant, level, start_at");
  }
  // Every updated_at the load writes, in a stable order.
  Rows stamps() {
    return sql_rows(
        db_,
        "SELECT 'm', station_code, pollutant, measured_at, updated_at FROM air_quality_measurements"
        " UNION ALL SELECT 'd', station_code, pollutant, day, updated_at FROM air_quality_daily"
        " UNION ALL SELECT 'i', station_code, '', day, updated_at FROM air_quality_daily_index"
        " UNION ALL SELECT 'e', station_code, pollutant, start_at, updated_at"
        " FROM air_quality_exceedances"
        " UNION ALL SELECT 's', station_code, '', '', updated_at FROM air_quality_stations"
        " UNION ALL SELECT 'l', layer, '', '', updated_at FROM air_quality_layers"
        " ORDER BY 1, 2, 3, 4");
  }

  ScratchDatabase scratch_ = ScratchDatabase::migrated();
  Database db_ = scratch_.connect();
  RegionSet regions_ = french_regions();
  std::int64_t run_id_ = 0;
};

TEST_F(AirQualityStore, CountsNewIdenticalAndCorrectedValues) {
  const std::vector<AirQualityMeasurement> first{
      value("FR50044", "NO2", "2026-11-22 06:00:00", 10, false),
      value("FR50044", "NO2", "2026-11-22 07:00:00", 11, false),
      value("FR50044", "O3", "2026-11-22 06:00:00", 12, false)};
  auto counts = load(first);
  EXPECT_EQ(counts.stored, 3u);
  EXPECT_EQ(counts.corrections, 0u);
  EXPECT_EQ(counts.unchanged, 0u);
  EXPECT_EQ(counts.hours_recomputed, 2u);  // NO2 and O3 of 2026-11-22

  counts = load(first);
  EXPECT_EQ(counts.stored, 0u);
  EXPECT_EQ(counts.unchanged, 3u);
  EXPECT_EQ(counts.hours_recomputed, 0u);

  auto corrected = first;
  corrected[1].value_ugm3 = 13;  // provisional replaced by a different provisional value
  counts = load(corrected);
  EXPECT_EQ(counts.corrections, 1u);
  EXPECT_EQ(counts.unchanged, 2u);
  EXPECT_EQ(sql_rows(db_, "SELECT station_code, name, commune, latitude FROM air_quality_stations"),
            (Rows{{"FR50044", "Toulouse Jacquier", "Toulouse", "45.5"}}));
  EXPECT_EQ(sql_rows(db_, "SELECT region_set, region_code FROM air_quality_station_regions"),
            (Rows{{"fr-regions", "84"}}));
  EXPECT_EQ(sql_value(db_,
                      "SELECT value_ugm3 FROM air_quality_measurements WHERE pollutant = 'NO2'"
                      " AND measured_at = '2026-11-22 07:00:00'"),
            "13");
  // 2 hours: not representative, no sub-index, no index.
  EXPECT_EQ(daily("NO2"), (Rows{{"2026-11-22", "11.5", "13", "2", "0", "0", std::nullopt}}));
  EXPECT_EQ(sql_value(db_, "SELECT COUNT(*) FROM air_quality_daily_index"), "0");
}

TEST_F(AirQualityStore, AProvisionalValueNeverReplacesAValidatedOne) {
  load({value("FR50044", "NO2", "2026-11-22 06:00:00", 10, true)});
  const auto before = stamps();
  let_the_clock_move();
  const auto counts = load({value("FR50044", "NO2", "2026-11-22 06:00:00", 12, false)});
  EXPECT_EQ(counts.unchanged, 1u);
  EXPECT_EQ(counts.corrections, 0u);
  EXPECT_EQ(
      sql_rows(db_, "SELECT value_ugm3, validated, last_run_id FROM air_quality_measurements"),
      (Rows{{"10", "1", "1"}}));
  EXPECT_EQ(stamps(), before);
}

TEST_F(AirQualityStore, AValidatedCorrectionMovesTheDailyFiguresAndTheIndex) {
  load(whole_day("FR50044", "NO2", "2026-11-22", 30));
  EXPECT_EQ(daily("NO2"), (Rows{{"2026-11-22", "30", "30", "24", "24", "1", "1"}}));
  EXPECT_EQ(sql_rows(db_,
                     "SELECT day, method, index_class, label, dominant_pollutant, sub_indices"
                     " FROM air_quality_daily_index"),
            (Rows{{"2026-11-22", "atmo-2021", "1", "Bon", "NO2", "1"}}));

  // (23 x 30 + 54) / 24 = 31; 54 is in class 2 (40 < x <= 90).
  const auto counts = load({value("FR50044", "NO2", "2026-11-22 12:00:00", 54, true)});
  EXPECT_EQ(counts.corrections, 1u);
  EXPECT_EQ(counts.hours_recomputed, 1u);
  EXPECT_EQ(daily("NO2"), (Rows{{"2026-11-22", "31", "54", "24", "24", "1", "2"}}));
  EXPECT_EQ(sql_rows(db_,
                     "SELECT day, index_class, label, dominant_pollutant, sub_indices"
                     " FROM air_quality_daily_index"),
            (Rows{{"2026-11-22", "2", "Moyen", "NO2", "1"}}));
}

TEST_F(AirQualityStore, TheWorstSubIndexGivesTheIndexAndTiesFollowThePollutantOrder) {
  auto values = whole_day("FR50044", "O3", "2026-11-22", 60);     // class 2
  append(values, whole_day("FR50044", "NO2", "2026-11-22", 50));  // class 2: NO2 before O3
  append(values, whole_day("FR50044", "NO", "2026-11-22", 500));  // no breakpoints
  load(values);
  EXPECT_EQ(sql_rows(db_,
                     "SELECT index_class, label, dominant_pollutant, sub_indices"
                     " FROM air_quality_daily_index"),
            (Rows{{"2", "Moyen", "NO2", "2"}}));
}

TEST_F(AirQualityStore, HourlyExceedancesRunAcrossMidnightAndAMissingHourEndsARun) {
  load({value("FR50044", "NO2", "2026-11-22 22:00:00", 210),
        value("FR50044", "NO2", "2026-11-22 23:00:00", 250),
        value("FR50044", "NO2", "2026-11-23 00:00:00", 220),
        value("FR50044", "NO2", "2026-11-23 01:00:00", 100),
        value("FR50044", "NO2", "2026-11-23 05:00:00", 300),
        // 06:00 missing
        value("FR50044", "NO2", "2026-11-23 07:00:00", 205)});
  EXPECT_EQ(exceedances(), (Rows{{"NO2", "information", "hourly", "2026-11-22 22:00:00",
                                  "2026-11-23 01:00:00", "3", "250", "2026-11-22 23:00:00"},
                                 {"NO2", "information", "hourly", "2026-11-23 05:00:00",
                                  "2026-11-23 06:00:00", "1", "300", "2026-11-23 05:00:00"},
                                 {"NO2", "information", "hourly", "2026-11-23 07:00:00",
                                  "2026-11-23 08:00:00", "1", "205", "2026-11-23 07:00:00"}}));

  // The missing hour arrives above the threshold: the two runs become one.
  load({value("FR50044", "NO2", "2026-11-23 06:00:00", 201)});
  EXPECT_EQ(exceedances(), (Rows{{"NO2", "information", "hourly", "2026-11-22 22:00:00",
                                  "2026-11-23 01:00:00", "3", "250", "2026-11-22 23:00:00"},
                                 {"NO2", "information", "hourly", "2026-11-23 05:00:00",
                                  "2026-11-23 08:00:00", "3", "300", "2026-11-23 05:00:00"}}));
}

TEST_F(AirQualityStore, AValidatedCorrectionRemovesTheExceedancesAndProvisionalValuesDoNotReturn) {
  load({value("FR50044", "NO2", "2026-11-22 10:00:00", 250, false),
        value("FR50044", "NO2", "2026-11-22 11:00:00", 450, false)});
  EXPECT_EQ(exceedances(), (Rows{{"NO2", "alert", "hourly", "2026-11-22 11:00:00",
                                  "2026-11-22 12:00:00", "1", "450", "2026-11-22 11:00:00"},
                                 {"NO2", "information", "hourly", "2026-11-22 10:00:00",
                                  "2026-11-22 12:00:00", "2", "450", "2026-11-22 11:00:00"}}));

  auto counts = load({value("FR50044", "NO2", "2026-11-22 10:00:00", 150, true),
                      value("FR50044", "NO2", "2026-11-22 11:00:00", 190, true)});
  EXPECT_EQ(counts.corrections, 2u);
  EXPECT_EQ(exceedances(), Rows{});
  EXPECT_EQ(daily("NO2"), (Rows{{"2026-11-22", "170", "190", "2", "2", "0", std::nullopt}}));

  counts = load({value("FR50044", "NO2", "2026-11-22 10:00:00", 250, false),
                 value("FR50044", "NO2", "2026-11-22 11:00:00", 450, false)});
  EXPECT_EQ(counts.unchanged, 2u);
  EXPECT_EQ(exceedances(), Rows{});
  EXPECT_EQ(sql_rows(db_,
                     "SELECT value_ugm3, validated FROM air_quality_measurements"
                     " ORDER BY measured_at"),
            (Rows{{"150", "1"}, {"190", "1"}}));
}

TEST_F(AirQualityStore, PM10DailyMeansAboveTheThresholdMakeADayRun) {
  std::vector<AirQualityMeasurement> values;
  append(values, whole_day("FR50044", "PM10", "2026-11-20", 60));
  append(values, whole_day("FR50044", "PM10", "2026-11-21", 55));
  append(values, whole_day("FR50044", "PM10", "2026-11-22", 40));
  load(values);
  EXPECT_EQ(exceedances(), (Rows{{"PM10", "information", "daily_mean", "2026-11-20 00:00:00",
                                  "2026-11-22 00:00:00", "2", "60", "2026-11-20 00:00:00"}}));
  // PM10 daily means 60 and 55: class 4 (50 < x <= 100); 40: class 2.
  EXPECT_EQ(sql_rows(db_, "SELECT day, index_class FROM air_quality_daily_index ORDER BY day"),
            (Rows{{"2026-11-20", "4"}, {"2026-11-21", "4"}, {"2026-11-22", "2"}}));
}

TEST_F(AirQualityStore, ABatchOfManySeriesLoadsInOneTransaction) {
  // 20 stations x 3 pollutants x 72 hours from 10:00: 4 UTC days per series (14, 24, 24, 10 h).
  std::vector<AirQualityMeasurement> values;
  for (int station = 0; station < 20; ++station) {
    for (const char* pollutant : {"NO2", "O3", "PM10"}) {
      for (int hour = 0; hour < 72; ++hour) {
        values.push_back({"FR" + std::to_string(50000 + station), pollutant,
                          at("2026-11-20 10:00:00") + std::chrono::hours(hour), 10.0 + hour % 7,
                          true, 0});
      }
    }
  }
  const auto counts = load(values);
  EXPECT_EQ(counts.stored, 4320u);
  EXPECT_EQ(counts.hours_recomputed, 240u);
  EXPECT_EQ(sql_rows(db_,
                     "SELECT CAST(day AS CHAR), COUNT(*), SUM(hours), SUM(representative)"
                     " FROM air_quality_daily GROUP BY day ORDER BY day"),
            (Rows{{"2026-11-20", "60", "840", "0"},
                  {"2026-11-21", "60", "1440", "60"},
                  {"2026-11-22", "60", "1440", "60"},
                  {"2026-11-23", "60", "600", "0"}}));
  EXPECT_EQ(sql_value(db_, "SELECT COUNT(*) FROM air_quality_daily_index"), "40");
  EXPECT_EQ(load(values).unchanged, 4320u);
}

TEST_F(AirQualityStore, RejectsAreStoredOnceAcrossTwoLoadsOfTheSameBatch) {
  auto with_reject = batch({value("FR50044", "NO2", "2026-11-22 06:00:00", 10)});
  with_reject.rejected = {{7, "value not a number", R"({"valeur":"x"})"}};
  EXPECT_EQ(load_air_quality_batch(db_, with_reject).rejected, 1u);
  EXPECT_EQ(load_air_quality_batch(db_, with_reject).rejected, 1u);
  EXPECT_EQ(sql_rows(db_, "SELECT source, position, reason, record FROM rejected_records"),
            (Rows{{kSource, "7", "layer mesures/0: value not a number", R"({"valeur":"x"})"}}));

  with_reject.reason_prefix = "file mesures.csv: ";
  with_reject.rejected = {{3, "unknown pollutant", R"({"nom_poll":"XYZ"})"}};
  load_air_quality_batch(db_, with_reject);
  EXPECT_EQ(sql_value(db_, "SELECT reason FROM rejected_records WHERE position = 3"),
            "file mesures.csv: unknown pollutant");
}

TEST_F(AirQualityStore, DaysBeforeTheFirstBreakpointSetHaveNoSubIndexAndNoIndex) {
  load(whole_day("FR50044", "NO2", "2020-03-16", 30));
  EXPECT_EQ(daily("NO2"), (Rows{{"2020-03-16", "30", "30", "24", "24", "1", std::nullopt}}));
  EXPECT_EQ(sql_value(db_, "SELECT COUNT(*) FROM air_quality_daily_index"), "0");
}

TEST_F(AirQualityStore, LoadingTheSameBatchAgainChangesNoRow) {
  std::vector<AirQualityMeasurement> values = whole_day("FR50044", "PM10", "2026-11-20", 60);
  append(values, whole_day("FR50044", "NO2", "2026-11-20", 250));
  load(values, at("2026-11-21 00:00:00"));
  const auto before = stamps();
  ASSERT_FALSE(exceedances().empty());
  let_the_clock_move();
  const auto counts = load(values, at("2026-11-21 00:00:00"));
  EXPECT_EQ(counts.unchanged, 48u);
  EXPECT_EQ(counts.hours_recomputed, 0u);
  EXPECT_EQ(stamps(), before);
}

TEST_F(AirQualityStore, TheWatermarkNeverMovesBackwards) {
  const auto watermark = [&] { return read_air_quality_watermark(db_, kSource, kLayer); };
  EXPECT_EQ(watermark(), std::nullopt);
  load({value("FR50044", "NO2", "2026-11-22 06:00:00", 10)}, at("2026-11-22 10:00:00"));
  EXPECT_EQ(watermark(), at("2026-11-22 10:00:00"));
  load({}, at("2026-11-22 08:00:00"));
  EXPECT_EQ(watermark(), at("2026-11-22 10:00:00"));
  load({}, at("2026-11-22 12:00:00"));
  EXPECT_EQ(watermark(), at("2026-11-22 12:00:00"));
  EXPECT_EQ(sql_value(db_, "SELECT newest_measurement FROM air_quality_layers"),
            "2026-11-22 06:00:00");
}

TEST_F(AirQualityStore, PairsTheNearestWeatherStationWithinTheDistanceAndTheViewJoinsItsHours) {
  // The station is at (45.5, 4.5): 'a' is 3.8969 km east, 'b' 11.1195 km north.
  db_.execute(
      "INSERT INTO weather_stations (source, dataset_id, number, commune, type, latitude,"
      " longitude, updated_at) VALUES"
      " ('toulouse', 'a', '1', 'A', 'ISS', 45.5, 4.55, UTC_TIMESTAMP(3)),"
      " ('toulouse', 'b', '2', 'B', 'ISS', 45.6, 4.5, UTC_TIMESTAMP(3))");
  db_.execute(
      "INSERT INTO station_hourly_weather (source, dataset_id, hour, temperature_mean,"
      " humidity_mean, wind_mean, wind_direction_mean, rain_sum, observations, updated_at)"
      " VALUES ('toulouse', 'a', '2026-11-22 06:00:00', 12.5, 80, 10, 270, 0.2, 4,"
      " UTC_TIMESTAMP(3))");
  auto paired = batch({value("FR50044", "NO2", "2026-11-22 06:00:00", 10),
                       value("FR50044", "NO2", "2026-11-22 07:00:00", 11)});
  paired.weather_source = "toulouse";
  paired.max_pair_distance_km = 10;
  load_air_quality_batch(db_, paired);
  EXPECT_NEAR(store::distance_km(45.5, 4.5, 45.5, 4.55), 3.8969, 1e-4);
  EXPECT_EQ(sql_rows(db_,
                     "SELECT station_code, weather_source, weather_dataset, ROUND(distance_km, 4)"
                     " FROM air_quality_station_pairs"),
            (Rows{{"FR50044", "toulouse", "a", "3.8969"}}));
  // The weather hour 07:00 is absent: NULL weather, the pair still named.
  EXPECT_EQ(sql_rows(db_,
                     "SELECT AqSource, StationCode, Pollutant, Hour, Value, WeatherStation,"
                     " Temperature, Humidity, WindSpeed, WindDirection, Rain"
                     " FROM air_quality_weather_hourly ORDER BY Hour"),
            (Rows{{kSource, "FR50044", "NO2", "2026-11-22 06:00:00", "10", "a", "12.5", "80", "10",
                   "270", "0.2"},
                  {kSource, "FR50044", "NO2", "2026-11-22 07:00:00", "11", "a", std::nullopt,
                   std::nullopt, std::nullopt, std::nullopt, std::nullopt}}));

  // Nothing within 1 km: the pair goes, the view keeps the values with NULL weather.
  paired.max_pair_distance_km = 1;
  load_air_quality_batch(db_, paired);
  EXPECT_EQ(sql_value(db_, "SELECT COUNT(*) FROM air_quality_station_pairs"), "0");
  EXPECT_EQ(sql_rows(db_,
                     "SELECT Hour, Value, WeatherStation, Temperature FROM"
                     " air_quality_weather_hourly_v1 ORDER BY Hour"),
            (Rows{{"2026-11-22 06:00:00", "10", std::nullopt, std::nullopt},
                  {"2026-11-22 07:00:00", "11", std::nullopt, std::nullopt}}));
}

}  // namespace
}  // namespace meteo::testing

namespace meteo::testing {
namespace {

class AirQualityAlerts : public AirQualityStore {
 protected:
  void load_with_alerts(std::vector<AirQualityMeasurement> measurements) {
    AirQualityBatch with_alerts = batch(std::move(measurements));
    with_alerts.alerts = &settings_;
    with_alerts.now = at("2026-11-22 14:00:00");
    load_air_quality_batch(db_, with_alerts);
  }
  Rows alerts() {
    return sql_rows(db_,
                    "SELECT kind, subject, level, scope_type, scope_id, start_at, end_at,"
                    " peak_value, threshold, withdrawn_at IS NOT NULL FROM alerts ORDER BY id");
  }
  alerts::AlertSettings settings_;
};

TEST_F(AirQualityAlerts, AnExceedanceRunIsAPollutionAlertThatEscalatesAndFollowsCorrections) {
  load_with_alerts({value("FR50044", "NO2", "2026-11-22 10:00:00", 250, false)});
  EXPECT_EQ(alerts(), (Rows{{"pollution", "NO2", "information", "air_quality_station", "FR50044",
                             "2026-11-22 10:00:00", std::nullopt, "250", "200", "0"}}))
      << "open: the station's newest hour is in the run";
  load_with_alerts({value("FR50044", "NO2", "2026-11-22 11:00:00", 450, false),
                    value("FR50044", "NO2", "2026-11-22 12:00:00", 100, false)});
  EXPECT_EQ(alerts(), (Rows{{"pollution", "NO2", "alert", "air_quality_station", "FR50044",
                             "2026-11-22 10:00:00", "2026-11-22 12:00:00", "450", "400", "0"}}));
  EXPECT_EQ(sql_rows(db_, "SELECT event, level FROM alert_notifications ORDER BY id"),
            (Rows{{"opened", "information"}, {"escalated", "alert"}, {"closed", "alert"}}));
  // Validated values below the thresholds: no exceedance any more, the alert is withdrawn.
  load_with_alerts({value("FR50044", "NO2", "2026-11-22 10:00:00", 150, true),
                    value("FR50044", "NO2", "2026-11-22 11:00:00", 190, true)});
  EXPECT_EQ(alerts(), (Rows{{"pollution", "NO2", "alert", "air_quality_station", "FR50044",
                             "2026-11-22 10:00:00", "2026-11-22 12:00:00", "450", "400", "1"}}));
}

}  // namespace
}  // namespace meteo::testing
