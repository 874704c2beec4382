#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>

#include "meteo/store/ledger.hpp"
#include "meteo/store/migrations.hpp"
#include "meteo/store/reports.hpp"
#include "meteo/store/stations.hpp"
#include "region_aggregates.hpp"
#include "station_fixtures.hpp"

namespace meteo::testing {
namespace {

using ::testing::HasSubstr;

// Longer than updated_at's millisecond: a row rewritten after this shows a new updated_at.
void let_the_clock_move() {
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
}

class StationStore : public StationStoreTest {};

TEST_F(StationStore, FirstLoadOfADatasetStoresObservationsAggregatesAndWatermark) {
  sync_default_stations();
  // The catalogue spells the id with capitals; the station list in lower case: one dataset.
  const auto counts = load_stations("01-Station-A",
                                    {observation("01-Station-A", "2026-11-22 06:00:00", 10),
                                     observation("01-Station-A", "2026-11-22 06:15:00", 11),
                                     observation("01-Station-A", "2026-11-22 06:30:00", 12),
                                     observation("01-Station-A", "2026-11-22 06:45:00", 13),
                                     observation("01-Station-A", "2026-11-22 07:00:00", 20)},
                                    at("2026-11-22 08:00:00"));
  EXPECT_EQ(counts.fetched, 5u);
  EXPECT_EQ(counts.stored, 5u);
  EXPECT_EQ(counts.corrections, 0u);
  EXPECT_EQ(counts.unchanged, 0u);
  EXPECT_EQ(counts.rejected, 0u);
  EXPECT_EQ(counts.hours_recomputed, 2u);

  EXPECT_EQ(sql_rows(db_,
                     "SELECT dataset_id, number, commune, type, latitude, longitude, altitude"
                     " FROM weather_stations ORDER BY dataset_id"),
            (Rows{{kStationA, "1", "Toulouse", "ISS", "43.6", "1.4", "150"},
                  {kStationB, "2", "Blagnac", "ISS", "43.5", "0.5", "150"}}));
  EXPECT_EQ(
      sql_rows(db_,
               "SELECT dataset_id, region_set, region_code FROM station_regions"
               " ORDER BY dataset_id"),
      (Rows{{kStationA, "toulouse-communes", "31555"}, {kStationB, "toulouse-communes", "31069"}}));
  const auto run = sql_value(db_, "SELECT MAX(id) FROM etl_runs");
  EXPECT_EQ(
      sql_rows(db_,
               "SELECT source, dataset_id, observed_at, temperature_c, humidity_pct,"
               " first_run_id, last_run_id FROM weather_observations"
               " WHERE observed_at = '2026-11-22 06:15:00'"),
      (Rows{{kStationSource, kStationA, "2026-11-22 06:15:00", "11", std::nullopt, run, run}}));
  EXPECT_EQ(sql_value(db_, "SELECT COUNT(*) FROM weather_observations"), "5");
  EXPECT_EQ(hourly(), (Rows{{"2026-11-22 06:00:00", "11.5", "10", "13", std::nullopt, std::nullopt,
                             std::nullopt, std::nullopt, std::nullopt, "4"},
                            {"2026-11-22 07:00:00", "20", "20", "20", std::nullopt, std::nullopt,
                             std::nullopt, std::nullopt, std::nullopt, "1"}}));
  EXPECT_EQ(aggregates("toulouse-communes"),
            (Rows{{"2026-11-22 06:00:00", "31555", "Toulouse", "11.5", "4"},
                  {"2026-11-22 07:00:00", "31555", "Toulouse", "20", "1"}}));
  EXPECT_TRUE(aggregates().empty()) << "the sensor feed's set is not the stations'";
  EXPECT_EQ(sql_rows(db_,
                     "SELECT source, dataset_id, status, reason, read_through,"
                     " newest_observation FROM station_datasets"),
            (Rows{{kStationSource, kStationA, "active", std::nullopt, "2026-11-22 08:00:00",
                   "2026-11-22 07:00:00"}}));
  EXPECT_EQ(read_watermark(db_, kStationSource, "01-STATION-A"), at("2026-11-22 08:00:00"));
}

TEST_F(StationStore, ReloadingTheSameBatchChangesNothing) {
  sync_default_stations();
  auto full = observation(kStationA, "2026-11-22 06:00:00", 10.25);
  full.humidity_pct = 81;
  full.pressure_hpa = 1013.2;
  full.rain_mm = 0.2;
  full.rain_intensity_max_mm = 1.4;
  full.wind_speed_kmh = 12.5;
  full.gust_kmh = 30.1;
  full.wind_direction_deg = 270;
  const std::vector<WeatherObservation> observations{
      full, observation(kStationA, "2026-11-22 06:15:00", 1.0 / 3.0),
      observation(kStationA, "2026-11-22 07:30:00", std::nullopt)};
  const std::vector<RejectedRecord> rejected{{3, "dated in the future", R"({"t":"2099"})"}};
  load_stations(kStationA, observations, at("2026-11-22 08:00:00"), rejected);
  const auto before = station_snapshot();
  let_the_clock_move();

  const auto counts = load_stations(kStationA, observations, at("2026-11-22 08:00:00"), rejected);
  EXPECT_EQ(counts.unchanged, 3u);
  EXPECT_EQ(counts.stored, 0u);
  EXPECT_EQ(counts.corrections, 0u);
  EXPECT_EQ(counts.hours_recomputed, 0u);
  sync_default_stations();  // the hourly run syncs the stations each time too
  EXPECT_EQ(station_snapshot(), before);
  EXPECT_EQ(sql_rows(db_,
                     "SELECT wind_direction_deg, rain_intensity_max_mm FROM"
                     " weather_observations WHERE observed_at = '2026-11-22 06:00:00'"),
            (Rows{{"270", "1.4"}}));
}

TEST_F(StationStore, ACorrectionAcrossBatchesRecomputesItsHourOnly) {
  sync_default_stations();
  load_stations(kStationA, {observation(kStationA, "2026-11-22 05:45:00", 8),
                            observation(kStationA, "2026-11-22 06:00:00", 10),
                            observation(kStationA, "2026-11-22 06:15:00", 12)});
  const auto first_run = sql_value(db_, "SELECT MAX(id) FROM etl_runs");
  const std::string untouched_hour =
      "SELECT updated_at FROM station_hourly_weather WHERE hour = '2026-11-22 05:00:00'";
  const auto untouched_at = sql_value(db_, untouched_hour);
  let_the_clock_move();

  const auto counts = load_stations(kStationA, {observation(kStationA, "2026-11-22 06:15:00", 16),
                                                observation(kStationA, "2026-11-22 07:00:00", 5)});
  EXPECT_EQ(counts.corrections, 1u);
  EXPECT_EQ(counts.stored, 1u);
  EXPECT_EQ(counts.unchanged, 0u);
  EXPECT_EQ(counts.hours_recomputed, 2u);
  const auto second_run = sql_value(db_, "SELECT MAX(id) FROM etl_runs");
  EXPECT_EQ(sql_rows(db_,
                     "SELECT temperature_c, first_run_id, last_run_id FROM weather_observations"
                     " WHERE observed_at = '2026-11-22 06:15:00'"),
            (Rows{{"16", first_run, second_run}}));
  EXPECT_EQ(hourly(), (Rows{{"2026-11-22 05:00:00", "8", "8", "8", std::nullopt, std::nullopt,
                             std::nullopt, std::nullopt, std::nullopt, "1"},
                            {"2026-11-22 06:00:00", "13", "10", "16", std::nullopt, std::nullopt,
                             std::nullopt, std::nullopt, std::nullopt, "2"},
                            {"2026-11-22 07:00:00", "5", "5", "5", std::nullopt, std::nullopt,
                             std::nullopt, std::nullopt, std::nullopt, "1"}}));
  EXPECT_EQ(sql_value(db_, untouched_hour), untouched_at);
  EXPECT_EQ(aggregates("toulouse-communes"),
            (Rows{{"2026-11-22 05:00:00", "31555", "Toulouse", "8", "1"},
                  {"2026-11-22 06:00:00", "31555", "Toulouse", "13", "2"},
                  {"2026-11-22 07:00:00", "31555", "Toulouse", "5", "1"}}));
}

// New observations are added to the stored exact sums of their hours; a corrected hour is
// recomputed. Either way the rows are those a recompute of every hour gives, to the last bit.
TEST_F(StationStore, NewObservationsAddToTheRegionAggregatesAsARecomputeWould) {
  sync_default_stations();
  load_stations(kStationA, {observation(kStationA, "2026-11-22 05:45:00", 0.1),
                            observation(kStationA, "2026-11-22 06:00:00", 0.2),
                            observation(kStationA, "2026-11-22 06:15:00", std::nullopt)});
  load_stations(kStationB, {observation(kStationB, "2026-11-22 06:30:00", -1.0 / 3)});
  // New observations in stored hours, and a correction that sends its hour to a recompute.
  load_stations(kStationA, {observation(kStationA, "2026-11-22 05:45:00", 0.7),
                            observation(kStationA, "2026-11-22 05:30:00", 0.3),
                            observation(kStationA, "2026-11-22 06:30:00", 0.3),
                            observation(kStationA, "2026-11-22 07:00:00", 1e-8)});
  const auto rows =
      "SELECT hour, region_code, temperature, numberOfPoints,"
      " CAST(temperature_sum AS CHAR), updated_at FROM region_hourly_temperature"
      " WHERE region_set = 'toulouse-communes' ORDER BY hour, region_code";
  const auto loaded = sql_rows(db_, rows);
  EXPECT_EQ(aggregates("toulouse-communes"),
            (Rows{{"2026-11-22 05:00:00", "31555", "Toulouse", "0.5", "2"},
                  {"2026-11-22 06:00:00", "31069", "Blagnac", "-0.3333333333333333", "1"},
                  {"2026-11-22 06:00:00", "31555", "Toulouse", "0.25", "2"},
                  {"2026-11-22 07:00:00", "31555", "Toulouse", "0.00000001", "1"}}));
  store::recompute_region_hours(
      db_.connection(), "toulouse-communes",
      {at("2026-11-22 05:00:00"), at("2026-11-22 06:00:00"), at("2026-11-22 07:00:00")});
  EXPECT_EQ(sql_rows(db_, rows), loaded);
}

TEST_F(StationStore, AnHourStoredBeforeTheSumsIsRecomputedWhenObservationsArrive) {
  sync_default_stations();
  load_stations(kStationA, {observation(kStationA, "2026-11-22 06:00:00", 10)});
  db_.execute("UPDATE region_hourly_temperature SET temperature_sum = NULL, temperature = 99");
  load_stations(kStationA, {observation(kStationA, "2026-11-22 06:15:00", 12)});
  EXPECT_EQ(aggregates("toulouse-communes"),
            (Rows{{"2026-11-22 06:00:00", "31555", "Toulouse", "11", "2"}}));
}

TEST_F(StationStore, ACorrectionThatLeavesTheAggregatesAsTheyWereKeepsTheirUpdatedAt) {
  sync_default_stations();
  auto original = observation(kStationA, "2026-11-22 06:00:00", 10);
  original.wind_direction_deg = 90;
  load_stations(kStationA, {original});
  const std::string stamps =
      "SELECT 'station', updated_at FROM station_hourly_weather"
      " UNION ALL SELECT 'region', updated_at FROM region_hourly_temperature";
  const auto before = sql_rows(db_, stamps);
  let_the_clock_move();
  // The direction is not aggregated: the hour is recomputed to the same values.
  auto corrected = original;
  corrected.wind_direction_deg = 180;
  const auto counts = load_stations(kStationA, {corrected});
  EXPECT_EQ(counts.corrections, 1u);
  EXPECT_EQ(counts.hours_recomputed, 1u);
  EXPECT_EQ(sql_rows(db_, stamps), before);
  EXPECT_EQ(sql_value(db_, "SELECT wind_direction_deg FROM weather_observations"), "180");
}

TEST_F(StationStore, HourlyAggregatesIgnoreMissingValues) {
  sync_default_stations();
  struct Values {
    const char* at;
    std::optional<double> t, humidity, pressure, rain, wind, gust;
  };
  const std::vector<Values> quarter_hours{
      {"2026-11-22 06:00:00", 10, 80, 1013, 0.5, 5, 20},
      {"2026-11-22 06:15:00", 12, std::nullopt, 1015, std::nullopt, 7, 35},
      {"2026-11-22 06:30:00", std::nullopt, 90, 1014, 0.25, std::nullopt, 30},
      {"2026-11-22 06:45:00", 14, std::nullopt, 1012, 0, 9, std::nullopt},
      {"2026-11-22 07:00:00", std::nullopt, 70, std::nullopt, std::nullopt, std::nullopt,
       std::nullopt}};
  std::vector<WeatherObservation> observations;
  for (const auto& values : quarter_hours) {
    auto entry = observation(kStationA, values.at, values.t);
    entry.humidity_pct = values.humidity;
    entry.pressure_hpa = values.pressure;
    entry.rain_mm = values.rain;
    entry.wind_speed_kmh = values.wind;
    entry.gust_kmh = values.gust;
    observations.push_back(entry);
  }
  load_stations(kStationA, observations);
  EXPECT_EQ(hourly(),
            (Rows{{"2026-11-22 06:00:00", "12", "10", "14", "85", "1013.5", "0.75", "7", "35", "4"},
                  {"2026-11-22 07:00:00", std::nullopt, std::nullopt, std::nullopt, "70",
                   std::nullopt, std::nullopt, std::nullopt, std::nullopt, "1"}}));
  // Only measured temperatures are points of the commune's mean; an hour without one has none.
  EXPECT_EQ(aggregates("toulouse-communes"),
            (Rows{{"2026-11-22 06:00:00", "31555", "Toulouse", "12", "3"}}));
}

TEST_F(StationStore, TheWatermarkNeverMovesBackwards) {
  EXPECT_EQ(read_watermark(db_, kStationSource, kStationA), std::nullopt);
  // A window without records still advances it.
  EXPECT_EQ(load_stations(kStationA, {}, at("2026-11-22 10:00:00")).stored, 0u);
  EXPECT_EQ(read_watermark(db_, kStationSource, kStationA), at("2026-11-22 10:00:00"));
  EXPECT_EQ(sql_rows(db_, "SELECT status, read_through, newest_observation FROM station_datasets"),
            (Rows{{"active", "2026-11-22 10:00:00", std::nullopt}}));

  load_stations(kStationA, {observation(kStationA, "2026-11-22 09:00:00", 3)},
                at("2026-11-22 08:00:00"));
  EXPECT_EQ(read_watermark(db_, kStationSource, kStationA), at("2026-11-22 10:00:00"));
  load_stations(kStationA, {}, std::nullopt);  // a backfill leaves it alone
  EXPECT_EQ(read_watermark(db_, kStationSource, kStationA), at("2026-11-22 10:00:00"));
  load_stations(kStationA, {}, at("2026-11-22 12:00:00"));
  EXPECT_EQ(sql_rows(db_, "SELECT status, read_through, newest_observation FROM station_datasets"),
            (Rows{{"active", "2026-11-22 12:00:00", "2026-11-22 09:00:00"}}));

  record_skipped_dataset(db_, kStationSource, "03-station-c", "no field heure_de_paris");
  EXPECT_EQ(read_watermark(db_, kStationSource, "03-station-c"), std::nullopt);
}

TEST_F(StationStore, StationAndSensorSetsCoexistAndASharedSetGetsOneMean) {
  // Stations feed the communes; Paris-03 also lies in fr-regions, the sensor feed's set.
  station_sets_ = {&communes_, &regions_};
  sync_stations(db_, kStationSource, station_sets_,
                {placed(station(kStationA, "1", "Toulouse", 1.4, 43.6), {0, std::nullopt}),
                 placed(station("03-paris", "3", "Paris", 2.5, 48.5), {std::nullopt, 0})});

  load(at("2026-11-22 06:00:00"), {matched("s1", 4.0, 1)});
  load_stations(kStationA, {observation(kStationA, "2026-11-22 06:10:00", 10)});
  EXPECT_EQ(sql_rows(db_,
                     "SELECT region_set, region_code, hour, temperature, numberOfPoints"
                     " FROM region_hourly_temperature ORDER BY region_set, region_code, hour"),
            (Rows{{"fr-regions", "84", "2026-11-22 06:00:00", "4", "1"},
                  {"toulouse-communes", "31555", "2026-11-22 06:00:00", "10", "1"}}));

  // 07:00: the sensor load first, the station load recomputes. 08:00: the other way round.
  load(at("2026-11-22 07:00:00"), {matched("s2", 10.0, 0)});
  load_stations("03-paris", {observation("03-paris", "2026-11-22 07:15:00", 20),
                             observation("03-paris", "2026-11-22 07:30:00", 30)});
  load_stations("03-paris", {observation("03-paris", "2026-11-22 08:15:00", 20),
                             observation("03-paris", "2026-11-22 08:30:00", 30)});
  EXPECT_EQ(aggregates()[2], (Row{"2026-11-22 08:00:00", "11", "Île-de-France", "25", "2"}));
  load(at("2026-11-22 08:00:00"), {matched("s3", 10.0, 0)});
  EXPECT_EQ(aggregates(), (Rows{{"2026-11-22 06:00:00", "84", "Auvergne-Rhône-Alpes", "4", "1"},
                                {"2026-11-22 07:00:00", "11", "Île-de-France", "20", "3"},
                                {"2026-11-22 08:00:00", "11", "Île-de-France", "20", "3"}}));

  // The sensor path recomputing an hour the stations fed keeps the row as it is.
  const std::string row_07 =
      "SELECT * FROM region_hourly_temperature WHERE hour = '2026-11-22 07:00:00'";
  const auto before = sql_rows(db_, row_07);
  let_the_clock_move();
  EXPECT_EQ(load(at("2026-11-22 07:00:00"), {matched("s2", 10.0, 0)}).unchanged, 1u);
  EXPECT_EQ(sql_rows(db_, row_07), before);
}

TEST_F(StationStore, TheThreeHourViewWorksForACommuneSet) {
  sync_default_stations();
  load_stations(kStationA, {observation(kStationA, "2026-11-22 06:10:00", 10),
                            observation(kStationA, "2026-11-22 09:20:00", 13)});
  load_stations(kStationB, {observation(kStationB, "2026-11-22 09:05:00", 12.5)});
  const auto rows = query_temperature_3h(db_);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].region, "Blagnac");
  EXPECT_EQ(rows[0].temperature_3h_before, std::nullopt);
  EXPECT_EQ(rows[1].region_set, "toulouse-communes");
  EXPECT_EQ(rows[1].region, "Toulouse");
  EXPECT_EQ(rows[1].hour, at("2026-11-22 09:00:00"));
  EXPECT_DOUBLE_EQ(rows[1].temperature, 13);
  EXPECT_EQ(rows[1].temperature_3h_before, 10.0);
  EXPECT_EQ(rows[2].hour, at("2026-11-22 06:00:00"));
}

TEST_F(StationStore, RejectsAreStoredOncePerRunHourNamingTheirDataset) {
  const std::string record = R"({"heure_de_paris":"2099-01-01T00:00:00+01:00","pluie":0})";
  const std::vector<RejectedRecord> rejected{{3, "dated in the future", record}};
  load_stations(kStationA, {}, std::nullopt, rejected);
  const auto counts = load_stations(kStationA, {}, std::nullopt, rejected);
  EXPECT_EQ(counts.rejected, 1u);
  EXPECT_EQ(counts.fetched, 1u);
  EXPECT_EQ(sql_rows(db_,
                     "SELECT source, hour, position, reason, record,"
                     " record_sha = SHA2(record, 256) FROM rejected_records"),
            (Rows{{kStationSource, "2026-11-22 10:00:00", "3",
                   "dataset 01-station-a: dated in the future", record, "1"}}));
  run_hour_ = at("2026-11-22 11:00:00");
  load_stations(kStationA, {}, std::nullopt, rejected);
  EXPECT_EQ(sql_value(db_, "SELECT COUNT(*) FROM rejected_records"), "2");
}

TEST_F(StationStore, AFailureMidwayRollsEverythingBackWatermarkIncluded) {
  sync_default_stations();
  load_stations(kStationA,
                {observation(kStationA, "2026-11-22 06:00:00", 10),
                 observation(kStationA, "2026-11-22 06:15:00", 12)},
                at("2026-11-22 07:00:00"), {{0, "bad", R"({"n":"first"})"}});
  const auto before = station_snapshot();
  db_.execute(
      "CREATE TRIGGER refuse_station_hours BEFORE INSERT ON station_hourly_weather"
      " FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'refused by the test'");

  const auto run_id = begin_run(db_, kStationSource, run_hour_);
  const auto batch = station_batch(run_id, kStationA,
                                   {observation(kStationA, "2026-11-22 06:15:00", 13),
                                    observation(kStationA, "2026-11-22 07:00:00", 5)},
                                   at("2026-11-22 08:00:00"), {{1, "bad", R"({"n":"second"})"}});
  const auto error = error_of([&] { load_station_batch(db_, batch); });
  EXPECT_EQ(error.code(), ExitCode::software);
  EXPECT_THAT(error.what(), HasSubstr("refused by the test"));
  EXPECT_THAT(error.what(), HasSubstr("recomputing the station's hourly weather"));
  EXPECT_THAT(error.what(), HasSubstr(kStationA));

  EXPECT_EQ(station_snapshot(), before);
  EXPECT_EQ(read_watermark(db_, kStationSource, kStationA), at("2026-11-22 07:00:00"));
  EXPECT_EQ(sql_value(db_, "SELECT @@autocommit"), "1");

  db_.execute("DROP TRIGGER refuse_station_hours");
  const auto counts = load_station_batch(db_, batch);
  EXPECT_EQ(counts.corrections, 1u);
  EXPECT_EQ(counts.stored, 1u);
  EXPECT_EQ(read_watermark(db_, kStationSource, kStationA), at("2026-11-22 08:00:00"));
}

TEST_F(StationStore, ALockWaitTimeoutIsTemporary) {
  auto other = scratch_.connect();
  other.execute("START TRANSACTION");
  other.execute("SELECT * FROM region_sets FOR UPDATE");
  db_.execute("SET SESSION innodb_lock_wait_timeout = 1");
  const auto error = error_of(
      [&] { load_stations(kStationA, {observation(kStationA, "2026-11-22 06:00:00", 1)}); });
  EXPECT_EQ(error.code(), ExitCode::temporary);
  EXPECT_THAT(error.what(), HasSubstr("locking the region sets"));
  other.execute("ROLLBACK");
  EXPECT_EQ(sql_value(db_, "SELECT COUNT(*) FROM weather_observations"), "0");
}

TEST_F(StationStore, ABatchIsCheckedBeforeAnythingIsWritten) {
  const auto run_id = begin_run(db_, kStationSource, run_hour_);
  const auto twice = station_batch(run_id, kStationA,
                                   {observation(kStationA, "2026-11-22 06:00:00", 1),
                                    observation(kStationA, "2026-11-22 06:00:00", 2)});
  EXPECT_EQ(error_of([&] { load_station_batch(db_, twice); }).code(), ExitCode::software);
  const auto foreign =
      station_batch(run_id, kStationA, {observation(kStationB, "2026-11-22 06:00:00", 1)});
  EXPECT_EQ(error_of([&] { load_station_batch(db_, foreign); }).code(), ExitCode::software);
  EXPECT_EQ(sql_value(db_, "SELECT COUNT(*) FROM weather_observations"), "0");
}

// A dataset of many stations (SYNOP) loads a batch per station in one transaction: a failure
// in the last station's batch leaves the first one's observations unstored too.
TEST_F(StationStore, TheBatchesOfOneUnitAreStoredTogetherOrNotAtAll) {
  sync_default_stations();
  const auto run_id = begin_run(db_, kStationSource, run_hour_);
  const std::vector<StationBatch> batches{
      station_batch(run_id, kStationA, {observation(kStationA, "2026-11-22 06:00:00", 10)}),
      station_batch(run_id, kStationB, {observation(kStationB, "2026-11-22 06:00:00", 12)},
                    at("2026-11-22 07:00:00"))};
  db_.execute(
      "CREATE TRIGGER refuse_station_b BEFORE INSERT ON weather_observations FOR EACH ROW"
      " BEGIN IF NEW.dataset_id = '" +
      kStationB +
      "' THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'refused by the test'; END IF;"
      " END");
  const auto error = error_of([&] { load_station_batches(db_, batches); });
  EXPECT_THAT(error.what(), HasSubstr("refused by the test"));
  EXPECT_THAT(error.what(), HasSubstr("2 datasets"));
  EXPECT_EQ(sql_value(db_, "SELECT COUNT(*) FROM weather_observations"), "0");
  EXPECT_EQ(sql_value(db_, "SELECT COUNT(*) FROM station_hourly_weather"), "0");

  db_.execute("DROP TRIGGER refuse_station_b");
  const auto counts = load_station_batches(db_, batches);
  EXPECT_EQ(counts.stored, 2u);
  EXPECT_EQ(sql_value(db_, "SELECT COUNT(*) FROM station_hourly_weather"), "2");
  EXPECT_EQ(read_watermark(db_, kStationSource, kStationB), at("2026-11-22 07:00:00"));
}

TEST_F(StationStore, StatusListsActiveAndSkippedDatasets) {
  record_skipped_dataset(db_, kStationSource, "03-Station-C", "no field heure_de_paris");
  load_stations(kStationA, {observation(kStationA, "2026-11-22 06:00:00", 10)},
                at("2026-11-22 07:00:00"));
  const auto status = read_status(db_);
  ASSERT_EQ(status.datasets.size(), 2u);
  const auto& active = status.datasets[0];
  EXPECT_EQ(active.source, kStationSource);
  EXPECT_EQ(active.dataset_id, kStationA);
  EXPECT_EQ(active.status, "active");
  EXPECT_EQ(active.reason, "");
  EXPECT_EQ(active.read_through, at("2026-11-22 07:00:00"));
  EXPECT_EQ(active.newest_observation, at("2026-11-22 06:00:00"));
  const auto& skipped = status.datasets[1];
  EXPECT_EQ(skipped.dataset_id, "03-station-c");
  EXPECT_EQ(skipped.status, "skipped");
  EXPECT_EQ(skipped.reason, "no field heure_de_paris");
  EXPECT_EQ(skipped.read_through, std::nullopt);
  EXPECT_EQ(skipped.newest_observation, std::nullopt);

  // Skipped again by the next hourly run: nothing changes.
  const auto states = sql_rows(db_, "SELECT * FROM station_datasets ORDER BY dataset_id");
  let_the_clock_move();
  record_skipped_dataset(db_, kStationSource, "03-station-c", "no field heure_de_paris");
  EXPECT_EQ(sql_rows(db_, "SELECT * FROM station_datasets ORDER BY dataset_id"), states);

  // A dataset that changes schema keeps its watermark; loaded again, it is active again.
  record_skipped_dataset(db_, kStationSource, kStationA, "no field temperature_en_degre_c");
  EXPECT_EQ(sql_rows(db_,
                     "SELECT status, reason, read_through FROM station_datasets"
                     " WHERE dataset_id = '01-station-a'"),
            (Rows{{"skipped", "no field temperature_en_degre_c", "2026-11-22 07:00:00"}}));
  load_stations(kStationA, {}, at("2026-11-22 08:00:00"));
  EXPECT_EQ(sql_rows(db_,
                     "SELECT status, reason, read_through FROM station_datasets"
                     " WHERE dataset_id = '01-station-a'"),
            (Rows{{"active", std::nullopt, "2026-11-22 08:00:00"}}));
}

TEST(StationStatus, IsEmptyBeforeSchemaVersionTwo) {
  ScratchDatabase scratch;
  auto db = scratch.connect();
  apply_migrations(db, {bundled_migrations().front()});
  const auto status = read_status(db);
  EXPECT_EQ(status.schema_version, 1);
  EXPECT_TRUE(status.datasets.empty());
}

TEST_F(StationStore, QueryStationHourlyIsNewestFirstWithItsStation) {
  sync_default_stations();
  load_stations(kStationA, {observation(kStationA, "2026-11-22 06:00:00", 10),
                            observation(kStationA, "2026-11-22 07:00:00", 11)});
  load_stations(kStationB, {observation(kStationB, "2026-11-22 06:30:00", 5)});
  load_stations("99-unlisted", {observation("99-unlisted", "2026-11-22 08:00:00", 1)});

  const auto rows = query_station_hourly(db_);
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0].dataset_id, "99-unlisted");
  EXPECT_EQ(rows[0].station_number, "");
  EXPECT_EQ(rows[0].commune, "");
  EXPECT_EQ(rows[0].hour, at("2026-11-22 08:00:00"));
  EXPECT_EQ(rows[1].dataset_id, kStationA);
  EXPECT_EQ(rows[1].hour, at("2026-11-22 07:00:00"));
  EXPECT_EQ(rows[1].station_number, "1");
  EXPECT_EQ(rows[1].commune, "Toulouse");
  EXPECT_EQ(rows[1].temperature_mean, 11.0);
  EXPECT_EQ(rows[1].humidity_mean, std::nullopt);
  EXPECT_EQ(rows[1].observations, 1u);
  EXPECT_EQ(rows[2].dataset_id, kStationA);
  EXPECT_EQ(rows[2].hour, at("2026-11-22 06:00:00"));
  EXPECT_EQ(rows[3].dataset_id, kStationB);
  EXPECT_EQ(rows[3].source, kStationSource);
  EXPECT_EQ(rows[3].commune, "Blagnac");
  EXPECT_EQ(rows[3].temperature_min, 5.0);

  const auto two = query_station_hourly(db_, 2);
  ASSERT_EQ(two.size(), 2u);
  EXPECT_EQ(two[1].hour, at("2026-11-22 07:00:00"));
}

TEST_F(StationStore, SyncUpdatesMovedStationsKeepsUnlistedOnesAndMovesTheirAggregates) {
  sync_stations(db_, kStationSource, station_sets_,
                {placed(station("01-Station-A", "1", "Toulouse", 1.4, 43.6), {0}),
                 placed(station(kStationB, "2", "Blagnac", 0.5, 43.5), {1}),
                 placed(station(kStationB, "2b", "Blagnac", 0.5, 43.5), {1})});
  EXPECT_EQ(sql_rows(db_, "SELECT dataset_id, number FROM weather_stations ORDER BY dataset_id"),
            (Rows{{kStationA, "1"}, {kStationB, "2b"}}))
      << "ids lower-cased; of two entries for one dataset, the later wins";
  load_stations(kStationA, {observation(kStationA, "2026-11-22 06:00:00", 10)});

  const auto before = station_snapshot();
  let_the_clock_move();
  sync_stations(db_, kStationSource, station_sets_,
                {placed(station(kStationA, "1", "Toulouse", 1.4, 43.6), {0}),
                 placed(station(kStationB, "2b", "Blagnac", 0.5, 43.5), {1})});
  EXPECT_EQ(station_snapshot(), before) << "an unchanged list changes nothing";

  // A is moved to Blagnac; B is no longer listed.
  sync_stations(db_, kStationSource, station_sets_,
                {placed(station(kStationA, "1", "Blagnac", 0.6, 43.4), {1})});
  EXPECT_EQ(sql_rows(db_,
                     "SELECT dataset_id, commune, latitude, longitude FROM weather_stations"
                     " ORDER BY dataset_id"),
            (Rows{{kStationA, "Blagnac", "43.4", "0.6"}, {kStationB, "Blagnac", "43.5", "0.5"}}));
  EXPECT_EQ(sql_value(db_, "SELECT region_code FROM station_regions WHERE dataset_id = '" +
                               kStationA + "'"),
            "31069");
  EXPECT_EQ(aggregates("toulouse-communes"),
            (Rows{{"2026-11-22 06:00:00", "31069", "Blagnac", "10", "1"}}));

  const auto error = error_of([&] {
    sync_stations(db_, kStationSource, station_sets_,
                  {placed(station(kStationA, "1", "Toulouse", 1.4, 43.6), {})});
  });
  EXPECT_EQ(error.code(), ExitCode::software);
}

TEST_F(StationStore, FinishRunMarksTheRunSucceededWithItsCounts) {
  const auto run_id = begin_run(db_, kStationSource, run_hour_);
  RunCounts counts;
  counts.fetched = 7;
  counts.rejected = 1;
  counts.duplicates = 2;
  counts.stored = 3;
  counts.corrections = 1;
  finish_run(db_, run_id, counts);
  EXPECT_EQ(sql_rows(db_,
                     "SELECT status, finished_at IS NOT NULL, fetched, rejected, duplicates,"
                     " outside, disagreements, `stored`, corrections, unchanged FROM etl_runs"),
            (Rows{{"succeeded", "1", "7", "1", "2", "0", "0", "3", "1", "0"}}));
  EXPECT_EQ(error_of([&] { finish_run(db_, run_id, counts); }).code(), ExitCode::software);
}

}  // namespace
}  // namespace meteo::testing
