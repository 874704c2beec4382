#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "db_snapshot.hpp"
#include "meteo/store/ledger.hpp"
#include "meteo/store/region_sets.hpp"
#include "meteo/store/run_load.hpp"
#include "store_fixtures.hpp"

namespace meteo::testing {
namespace {

using ::testing::HasSubstr;

const UtcSeconds kH1 = at("2026-11-22 06:00:00");
const UtcSeconds kH2 = at("2026-11-22 07:00:00");

class LoadRun : public StoreTest {};

TEST_F(LoadRun, NewReadingsAreStoredAndAggregated) {
  const auto counts = load(kH1, {matched("a", 10.0, 0), matched("b", 12.5, 0),
                                 matched("c", 7.25, 1), matched("d", 30.0, std::nullopt)});
  EXPECT_EQ(counts.stored, 4u);
  EXPECT_EQ(counts.corrections, 0u);
  EXPECT_EQ(counts.unchanged, 0u);
  EXPECT_EQ(counts.fetched, 4u);
  EXPECT_EQ(aggregates(),
            (Rows{{"2026-11-22 06:00:00", "11", "Île-de-France", "11.25", "2"},
                  {"2026-11-22 06:00:00", "84", "Auvergne-Rhône-Alpes", "7.25", "1"}}));
  EXPECT_EQ(sql_rows(db_,
                     "SELECT status, fetched, `stored`, corrections, unchanged,"
                     " finished_at IS NOT NULL FROM etl_runs"),
            (Rows{{"succeeded", "4", "4", "0", "0", "1"}}));
  EXPECT_EQ(
      sql_rows(db_,
               "SELECT reading_id, hour, latitude, longitude, temperature, observed_at,"
               " country FROM sensor_readings WHERE reading_id = 'a'"),
      (Rows{{"a", "2026-11-22 06:00:00", "48.5", "2.5", "10", "2026-11-22T06:12:00Z", "France"}}));
}

TEST_F(LoadRun, OutsideReadingsAreStoredButNotAggregated) {
  const auto counts = load(kH1, {matched("far", 30.0, std::nullopt)});
  EXPECT_EQ(counts.stored, 1u);
  EXPECT_EQ(sql_rows(db_, "SELECT reading_id, region_set, region_code FROM reading_regions"),
            (Rows{{"far", "fr-regions", std::nullopt}}));
  EXPECT_EQ(sql_value(db_, "SELECT COUNT(*) FROM sensor_readings"), "1");
  EXPECT_EQ(sql_value(db_, "SELECT COUNT(*) FROM region_hourly_temperature"), "0");
}

TEST_F(LoadRun, RerunningTheSameBatchChangesNothing) {
  const std::vector<MatchedReading> readings{matched("a", 10.0, 0), matched("b", 0.1, 1),
                                             matched("c", -3.3, std::nullopt)};
  const std::vector<RejectedRecord> rejected{{3, "temperature: not a number", R"({"id":"x"})"}};
  load(kH1, readings, rejected);
  const auto before = snapshot();

  const auto counts = load(kH1, readings, rejected);
  EXPECT_EQ(counts.unchanged, readings.size());
  EXPECT_EQ(counts.stored, 0u);
  EXPECT_EQ(counts.corrections, 0u);
  EXPECT_EQ(snapshot(), before);
  EXPECT_EQ(sql_rows(db_, "SELECT status, `stored`, unchanged FROM etl_runs ORDER BY id"),
            (Rows{{"succeeded", "3", "0"}, {"succeeded", "0", "3"}}));
}

// A producer handing `readings` over `batches` batches, with the rejects between them.
RunProducer in_batches(const std::vector<MatchedReading>& readings,
                       const std::vector<RejectedRecord>& rejected, std::size_t batches) {
  return [=](RunSink& sink) {
    const std::size_t size = (readings.size() + batches - 1) / batches;
    for (std::size_t first = 0; first < readings.size(); first += size) {
      const auto end = std::min(readings.size(), first + size);
      sink.add_readings({readings.begin() + first, readings.begin() + end});
      if (first == 0) sink.add_rejected(rejected);
    }
    RunCounts counts;
    counts.fetched = readings.size() + rejected.size();
    counts.rejected = rejected.size();
    return counts;
  };
}

// A second scratch database beside the test's own, to load the same history another way.
class Twin : public StoreTest {
 public:
  using StoreTest::db_;
  using StoreTest::load;
  using StoreTest::regions_;
  void TestBody() override {}
};

TEST_F(LoadRun, BatchesOfARunLoadAsOneBatchDoes) {
  // A first run, then a second that corrects, repeats and adds: the interesting comparisons.
  const std::vector<MatchedReading> first{matched("a", 10.0, 0), matched("b", 20.0, 1),
                                          matched("c", 5.0, 0)};
  std::vector<MatchedReading> second{matched("a", 14.0, 0), matched("b", 20.0, 1),
                                     matched("d", 3.0, std::nullopt), matched("e", 8.0, 1),
                                     matched("f", 9.0, 0)};
  const std::vector<RejectedRecord> rejected{{2, "lat: missing", R"({"id":"x"})"}};
  load(kH1, first);
  const auto counts = load(kH2, second, rejected);
  const auto whole = product_contents(db_);

  Twin batched;
  batched.load(kH1, first);
  const RunHeader run{
      begin_run(batched.db_, "sensors", kH2), "sensors", kH2, UtcMicros{}, {&batched.regions_}};
  const auto batched_counts = load_run(batched.db_, run, in_batches(second, rejected, 3));
  EXPECT_EQ(product_contents(batched.db_), whole);
  EXPECT_EQ(batched_counts.stored, counts.stored);
  EXPECT_EQ(batched_counts.corrections, counts.corrections);
  EXPECT_EQ(batched_counts.unchanged, counts.unchanged);
  EXPECT_EQ(batched_counts.rejected, 1u);
}

TEST_F(LoadRun, AProducerWhoseRejectsDoNotAddUpIsRefusedAndChangesNothing) {
  load(kH1, {matched("a", 10.0, 0)});
  const auto before = snapshot();
  const RunHeader run{begin_run(db_, "sensors", kH2), "sensors", kH2, UtcMicros{}, {&regions_}};
  const auto error = error_of([&] {
    load_run(db_, run, [](RunSink& sink) {
      sink.add_readings({matched("b", 1.0, 0)});
      RunCounts counts;
      counts.rejected = 2;  // none given
      return counts;
    });
  });
  EXPECT_EQ(error.code(), ExitCode::software);
  EXPECT_THAT(error.what(), HasSubstr("counted 2 rejected records but gave 0"));
  EXPECT_EQ(snapshot(), before);
}

TEST_F(LoadRun, AnIdRepeatedWithinABatchIsRefused) {
  const RunHeader run{begin_run(db_, "sensors", kH1), "sensors", kH1, UtcMicros{}, {&regions_}};
  const auto error = error_of([&] {
    load_run(db_, run, [](RunSink& sink) {
      sink.add_readings({matched("a", 1.0, 0), matched("a", 2.0, 0)});
      return RunCounts{};
    });
  });
  EXPECT_EQ(error.code(), ExitCode::software);
  EXPECT_EQ(sql_value(db_, "SELECT COUNT(*) FROM sensor_readings"), "0");
}

TEST_F(LoadRun, ACorrectionStaysInItsHourWhichIsRecomputed) {
  load(kH1, {matched("a", 10.0, 0), matched("b", 20.0, 0)});
  const auto first_run = sql_value(db_, "SELECT MAX(id) FROM etl_runs");

  const auto counts = load(kH2, {matched("a", 14.0, 0), matched("c", 5.0, 0)});
  EXPECT_EQ(counts.stored, 1u);
  EXPECT_EQ(counts.corrections, 1u);
  EXPECT_EQ(counts.unchanged, 0u);
  const auto second_run = sql_value(db_, "SELECT MAX(id) FROM etl_runs");
  EXPECT_EQ(sql_rows(db_,
                     "SELECT hour, temperature, first_run_id, last_run_id"
                     " FROM sensor_readings WHERE reading_id = 'a'"),
            (Rows{{"2026-11-22 06:00:00", "14", first_run, second_run}}));
  EXPECT_EQ(aggregates(), (Rows{{"2026-11-22 06:00:00", "11", "Île-de-France", "17", "2"},
                                {"2026-11-22 07:00:00", "11", "Île-de-France", "5", "1"}}));
}

TEST_F(LoadRun, ACorrectionThatMovesARegionUpdatesBothAggregates) {
  load(kH1, {matched("a", 10.0, 0), matched("b", 20.0, 0)});
  load(kH2, {matched("a", 10.0, 1)});  // the sensor's position was corrected
  EXPECT_EQ(aggregates(), (Rows{{"2026-11-22 06:00:00", "11", "Île-de-France", "20", "1"},
                                {"2026-11-22 06:00:00", "84", "Auvergne-Rhône-Alpes", "10", "1"}}));
}

TEST_F(LoadRun, AReloadedSetRematchesUnchangedReadingsInTheirOwnHour) {
  load(kH1, {matched("a", 10.0, 0)});
  // Version 2 of the set puts the same point in region 84 (index 1); the reading is unchanged.
  // The replacement's own matching is left out (it keeps 11) so that the load has to move it.
  regions_ = french_regions("sha-v2");
  ASSERT_TRUE(
      replace_region_set(db_, region_set_config("fr-regions"), regions_, [](double, double) {
        return std::optional<std::size_t>(0);
      }).changed);
  auto reading = matched("a", 10.0, 0);
  reading.region_index = {1};
  const auto counts = load(kH2, {reading});
  EXPECT_EQ(counts.unchanged, 1u);
  EXPECT_EQ(sql_value(db_, "SELECT region_code FROM reading_regions"), "84");
  EXPECT_EQ(aggregates(), (Rows{{"2026-11-22 06:00:00", "84", "Auvergne-Rhône-Alpes", "10", "1"}}));
}

TEST_F(LoadRun, ASetAddedToTheSourceMatchesItsStoredReadings) {
  load(kH1, {matched("a", 10.0, 0)});
  RegionSet departments{"fr-departements", "d1", {square_region("75", "Paris", 2, 48)}};
  ASSERT_TRUE(save_region_set(db_, region_set_config("fr-departements"), departments));
  auto reading = matched("a", 10.0, 0);
  reading.region_index = {0, 0};
  auto run = batch(begin_run(db_, "sensors", kH2), kH2, {reading});
  run.region_sets.push_back(&departments);
  EXPECT_EQ(load_run(db_, run).unchanged, 1u);
  EXPECT_EQ(sql_value(db_,
                      "SELECT region_code FROM reading_regions"
                      " WHERE region_set = 'fr-departements'"),
            "75");
  EXPECT_EQ(aggregates("fr-departements"),
            (Rows{{"2026-11-22 06:00:00", "75", "Paris", "10", "1"}}));
}

// The same scratch setup, loading through INSERT only (as a server that refuses LOCAL INFILE).
class InsertOnlyTwin : public StoreTest {
 public:
  InsertOnlyTwin() {
    DatabaseConfig config = scratch_.config();
    config.load_data_local = false;
    db_ = Database::connect(config);
  }
  using StoreTest::db_;
  using StoreTest::load;
  using StoreTest::snapshot;
  void TestBody() override {}
};

std::string loads_by_this_session(Database& db) {
  return sql_rows(db, "SHOW SESSION STATUS LIKE 'Com_load'").at(0).at(1).value_or("");
}

TEST_F(LoadRun, NewReadingsGoByLoadDataAndStoreExactlyWhatInsertStores) {
  // Whatever METEO_TEST_LOAD_DATA_LOCAL says for the other tests.
  DatabaseConfig bulk = scratch_.config();
  bulk.load_data_local = true;
  db_ = Database::connect(bulk);
  ASSERT_TRUE(db_.bulk_load_allowed());
  // The bytes LOAD DATA's text format escapes, the words it could mistake for NULL, and doubles
  // at the edges of their text form.
  std::vector<MatchedReading> readings{matched("tab\there", 0.1 + 0.2, 0),
                                       matched("new\nline\r", 1.0 / 3.0, 1),
                                       matched("back\\slash\\", -0.0, 0),
                                       matched("\\N", 5e-324, 1),
                                       matched("NULL", 1.7976931348623157e308, std::nullopt),
                                       matched(std::string("nul\0byte", 8), -273.15, 0),
                                       matched("é 🌡️ ", 1e-300, 1),
                                       matched("", 42.0, 0)};
  readings[0].reading.timestamp.reset();
  readings[1].reading.country = "\\N";
  readings[2].reading.country = "";
  readings[3].reading.timestamp = "a\tb\nc\\d";
  const auto loads_before = loads_by_this_session(db_);
  const auto counts = load(kH1, readings);
  EXPECT_EQ(counts.stored, readings.size());
  // One LOAD DATA: the readings carry their region in the source's only set.
  EXPECT_EQ(std::stoi(loads_by_this_session(db_)) - std::stoi(loads_before), 1);

  InsertOnlyTwin inserted;
  EXPECT_EQ(inserted.load(kH1, readings).stored, readings.size());
  EXPECT_EQ(loads_by_this_session(inserted.db_), "0");
  EXPECT_EQ(snapshot(), inserted.snapshot());
  // Read back and compared to the last bit: the same readings again change nothing.
  EXPECT_EQ(load(kH1, readings).unchanged, readings.size());
}

TEST_F(LoadRun, ABatchOfStoredAndNewReadingsLoadsOnceAndStoresWhatInsertStores) {
  DatabaseConfig bulk = scratch_.config();
  bulk.load_data_local = true;
  db_ = Database::connect(bulk);
  ASSERT_TRUE(db_.bulk_load_allowed());
  const std::vector<MatchedReading> first{matched("a", 10.0, 0), matched("b", 20.0, 1),
                                          matched("c", 5.0, 0), matched("d", 1.0, std::nullopt)};
  // Corrected in value, unchanged, moved to another region (a correction too), and new.
  std::vector<MatchedReading> second{matched("a", 14.0, 0), matched("b", 20.0, 1),
                                     matched("c", 5.0, 1), matched("e", 8.0, 1),
                                     matched("f", 9.0, 0)};
  load(kH1, first);
  const auto loads_before = loads_by_this_session(db_);
  const auto counts = load(kH2, second);
  EXPECT_EQ(counts.stored, 2u);
  EXPECT_EQ(counts.corrections, 2u);
  EXPECT_EQ(counts.unchanged, 1u);
  // The readings' load (which skipped the 3 stored), their regions with them.
  EXPECT_EQ(std::stoi(loads_by_this_session(db_)) - std::stoi(loads_before), 1);

  InsertOnlyTwin inserted;
  inserted.load(kH1, first);
  const auto inserted_counts = inserted.load(kH2, second);
  EXPECT_EQ(inserted_counts.stored, counts.stored);
  EXPECT_EQ(inserted_counts.corrections, counts.corrections);
  EXPECT_EQ(inserted_counts.unchanged, counts.unchanged);
  EXPECT_EQ(snapshot(), inserted.snapshot());
  EXPECT_EQ(aggregates(), (Rows{{"2026-11-22 06:00:00", "11", "Île-de-France", "14", "1"},
                                {"2026-11-22 06:00:00", "84", "Auvergne-Rhône-Alpes", "12.5", "2"},
                                {"2026-11-22 07:00:00", "11", "Île-de-France", "9", "1"},
                                {"2026-11-22 07:00:00", "84", "Auvergne-Rhône-Alpes", "8", "1"}}));
}

TEST_F(LoadRun, IdsAreComparedByteForByte) {
  // VARBINARY ids: trailing spaces and case make distinct readings, as the partner means them.
  load(kH1, {matched("a", 10.0, 0), matched("a ", 12.0, 0), matched("A", 14.0, 0)});
  EXPECT_EQ(load(kH2, {matched("a  ", 10.0, 0)}).stored, 1u);
  EXPECT_EQ(load(kH2, {matched("a ", 11.0, 0)}).corrections, 1u);
  EXPECT_EQ(sql_rows(db_,
                     "SELECT reading_id, hour, temperature FROM sensor_readings"
                     " ORDER BY reading_id"),
            (Rows{{"A", "2026-11-22 06:00:00", "14"},
                  {"a", "2026-11-22 06:00:00", "10"},
                  {"a ", "2026-11-22 06:00:00", "11"},
                  {"a  ", "2026-11-22 07:00:00", "10"}}));
}

TEST_F(LoadRun, AggregatesCombineEverySourceOfTheSet) {
  load(kH1, {matched("a", 10.0, 0)}, {}, "sensors");
  load(kH1, {matched("a", 20.0, 0), matched("b", 30.0, 0)}, {}, "partner-b");
  EXPECT_EQ(aggregates(), (Rows{{"2026-11-22 06:00:00", "11", "Île-de-France", "20", "3"}}));
  EXPECT_EQ(sql_value(db_, "SELECT COUNT(*) FROM sensor_readings"), "3");
}

TEST_F(LoadRun, EveryRegionSetOfTheBatchIsMatchedAndAggregated) {
  RegionSet departments{"fr-departements", "d1", {square_region("75", "Paris", 2, 48)}};
  ASSERT_TRUE(save_region_set(db_, region_set_config("fr-departements"), departments));
  const auto run_id = begin_run(db_, "sensors", kH1);
  auto in_both = matched("a", 10.0, 0);
  in_both.region_index = {0, 0};
  auto in_first = matched("b", 4.0, 1);
  in_first.region_index = {1, std::nullopt};
  auto run = batch(run_id, kH1, {in_both, in_first});
  run.region_sets.push_back(&departments);
  load_run(db_, run);
  EXPECT_EQ(sql_rows(db_,
                     "SELECT reading_id, region_set, region_code FROM reading_regions"
                     " ORDER BY reading_id, region_set"),
            (Rows{{"a", "fr-departements", "75"},
                  {"a", "fr-regions", "11"},
                  {"b", "fr-departements", std::nullopt},
                  {"b", "fr-regions", "84"}}));
  // The first set's region is a column of the reading; only the further set has rows of its own.
  EXPECT_EQ(sql_rows(db_,
                     "SELECT reading_id, region_set, region_code FROM sensor_readings"
                     " ORDER BY reading_id"),
            (Rows{{"a", "fr-regions", "11"}, {"b", "fr-regions", "84"}}));
  EXPECT_EQ(sql_rows(db_,
                     "SELECT reading_id, region_set, region_code FROM reading_extra_regions"
                     " ORDER BY reading_id"),
            (Rows{{"a", "fr-departements", "75"}, {"b", "fr-departements", std::nullopt}}));
  EXPECT_EQ(aggregates("fr-departements"),
            (Rows{{"2026-11-22 06:00:00", "75", "Paris", "10", "1"}}));
  EXPECT_EQ(aggregates().size(), 2u);
}

TEST_F(LoadRun, RejectsAreStoredVerbatimOncePerHour) {
  const std::string record = "{ \"id\" : \"r1\",\n  \"temperature\": \"warm\" }";
  const std::vector<RejectedRecord> rejected{{7, "temperature: not a number", record}};
  load(kH1, {}, rejected);
  load(kH1, {}, rejected);  // the same hour again: not stored twice
  EXPECT_EQ(sql_rows(db_,
                     "SELECT source, hour, position, reason, record,"
                     " record_sha = SHA2(record, 256), CHAR_LENGTH(record_sha)"
                     " FROM rejected_records"),
            (Rows{{"sensors", "2026-11-22 06:00:00", "7", "temperature: not a number", record, "1",
                   "64"}}));
  load(kH2, {}, rejected);  // another hour: a new occurrence
  EXPECT_EQ(sql_value(db_, "SELECT COUNT(*) FROM rejected_records"), "2");
}

TEST_F(LoadRun, HostileStringsRoundTripByteExact) {
  const std::string id = "it's \"quoted\" \\ back`tick; DROP TABLE etl_runs; -- 🌡️";
  const std::string country = "Île-de-France \\' OR '1'='1 — 🇫🇷";
  const std::string timestamp = "2026-11-22T06:00:00+01:00\t\\N";
  const std::string record = R"({"id":"\u0000?","t":"\\'\"","e":"🔥"})";
  auto reading = matched(id, -12.5, 0);
  reading.reading.country = country;
  reading.reading.timestamp = timestamp;
  const std::string source = "o'hara \\ src";
  load(kH1, {reading}, {{0, "reason with 'quotes' and é", record}}, source);

  EXPECT_EQ(sql_rows(db_, "SELECT source, reading_id, country, observed_at FROM sensor_readings"),
            (Rows{{source, id, country, timestamp}}));
  EXPECT_EQ(sql_rows(db_, "SELECT reason, record FROM rejected_records"),
            (Rows{{"reason with 'quotes' and é", record}}));
  EXPECT_EQ(aggregates(), (Rows{{"2026-11-22 06:00:00", "11", "Île-de-France", "-12.5", "1"}}));
  // Read back and compared exactly: the same reading again is unchanged.
  EXPECT_EQ(load(kH1, {reading}, {}, source).unchanged, 1u);
}

TEST_F(LoadRun, ValuesRoundTripExactly) {
  // Binary doubles: what is stored compares equal to what the feed said, to the last bit.
  const auto first = load(kH1, {matched("a", 0.1 + 0.2, 0), matched("b", 1.0 / 3.0, 1)});
  EXPECT_EQ(first.stored, 2u);
  EXPECT_EQ(load(kH1, {matched("a", 0.1 + 0.2, 0), matched("b", 1.0 / 3.0, 1)}).unchanged, 2u);
  auto other_timestamp = matched("a", 0.1 + 0.2, 0);
  other_timestamp.reading.timestamp.reset();
  EXPECT_EQ(load(kH1, {other_timestamp}).corrections, 1u);
  EXPECT_EQ(sql_value(db_, "SELECT observed_at FROM sensor_readings WHERE reading_id = 'a'"),
            std::nullopt);
}

TEST_F(LoadRun, AFailureMidwayRollsEverythingBack) {
  load(kH1, {matched("a", 10.0, 0), matched("b", 20.0, 1)}, {{2, "bad", R"({"id":"first"})"}});
  const auto before = snapshot();
  db_.execute(
      "CREATE TRIGGER refuse_aggregates BEFORE INSERT ON region_hourly_temperature"
      " FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'refused by the test'");

  const auto run_id = begin_run(db_, "sensors", kH2);
  const auto error = error_of([&] {
    load_run(db_, batch(run_id, kH2, {matched("a", 11.0, 0), matched("new", 5.0, 0)},
                        {{0, "bad", R"({"id":"second"})"}}));
  });
  EXPECT_EQ(error.code(), ExitCode::software);
  EXPECT_THAT(error.what(), HasSubstr("refused by the test"));
  EXPECT_THAT(error.what(), HasSubstr("recomputing the aggregates"));

  EXPECT_EQ(snapshot(), before);
  const auto id = std::to_string(run_id);
  EXPECT_EQ(sql_value(db_, "SELECT status FROM etl_runs WHERE id = " + id), "running");
  fail_run(db_, run_id, error.what());
  EXPECT_EQ(sql_rows(db_,
                     "SELECT status, finished_at IS NOT NULL, message FROM etl_runs"
                     " WHERE id = " +
                         id),
            (Rows{{"failed", "1", std::string(error.what())}}));
  // The connection is usable again, in autocommit.
  EXPECT_EQ(sql_value(db_, "SELECT @@autocommit"), "1");
}

TEST_F(LoadRun, ALockWaitTimeoutIsTemporary) {
  auto other = scratch_.connect();
  other.execute("START TRANSACTION");
  other.execute("SELECT * FROM region_sets FOR UPDATE");
  db_.execute("SET SESSION innodb_lock_wait_timeout = 1");
  const auto run_id = begin_run(db_, "sensors", kH1);
  const auto error = error_of([&] { load_run(db_, batch(run_id, kH1, {matched("a", 1.0, 0)})); });
  EXPECT_EQ(error.code(), ExitCode::temporary);
  EXPECT_THAT(error.what(), HasSubstr("locking the region sets"));
  other.execute("ROLLBACK");
  EXPECT_EQ(sql_value(db_, "SELECT COUNT(*) FROM sensor_readings"), "0");
}

TEST_F(LoadRun, DoesNotWaitForAnotherSourcesUncommittedReadingsOfTheHour) {
  // Another source (of another set) is loading the same hour and has not committed yet: our
  // aggregates must not share-lock its rows, as INSERT ... SELECT does under REPEATABLE READ
  // with the binary log on (two such loads would deadlock). Hence READ COMMITTED.
  auto other = scratch_.connect();
  other.execute("START TRANSACTION");
  other.execute(
      "INSERT INTO sensor_readings VALUES ('other', 'x', '2026-11-22 06:00:00', 48.5, 2.5, 3.0,"
      " NULL, NULL, 1, 1, '2026-11-22 06:05:00', 'other-set', 'z')");
  db_.execute("SET SESSION innodb_lock_wait_timeout = 1");
  EXPECT_EQ(load(kH1, {matched("a", 1.0, 0)}).stored, 1u);
  other.execute("ROLLBACK");
  EXPECT_EQ(aggregates(), (Rows{{"2026-11-22 06:00:00", "11", "Île-de-France", "1", "1"}}));
}

TEST_F(LoadRun, OnlyARunningRunCanSucceed) {
  const auto run_id = begin_run(db_, "sensors", kH1);
  fail_run(db_, run_id, "given up");
  const auto error = error_of([&] { load_run(db_, batch(run_id, kH1, {matched("a", 1.0, 0)})); });
  EXPECT_EQ(error.code(), ExitCode::software);
  EXPECT_EQ(sql_value(db_, "SELECT COUNT(*) FROM sensor_readings"), "0");
  EXPECT_EQ(sql_value(db_, "SELECT status FROM etl_runs"), "failed");
}

TEST_F(LoadRun, ManyReadingsAreLoadedInChunks) {
  std::vector<MatchedReading> readings;
  double sum = 0;
  for (int i = 0; i < 1234; ++i) {
    readings.push_back(matched("id-" + std::to_string(i), i % 40, 0));
    sum += i % 40;
  }
  EXPECT_EQ(load(kH1, readings).stored, readings.size());
  EXPECT_EQ(sql_value(db_, "SELECT COUNT(*) FROM reading_regions"), "1234");
  EXPECT_EQ(sql_value(db_, "SELECT numberOfPoints FROM region_hourly_temperature"), "1234");
  EXPECT_DOUBLE_EQ(std::stod(*sql_value(db_, "SELECT temperature FROM region_hourly_temperature")),
                   sum / readings.size());
  readings[1000].reading.temperature = 99;
  const auto counts = load(kH2, readings);
  EXPECT_EQ(counts.corrections, 1u);
  EXPECT_EQ(counts.unchanged, readings.size() - 1);
}

TEST_F(LoadRun, BeginRunRecordsARunningRowInUtc) {
  const auto run_id = begin_run(db_, "sensors", kH1);
  EXPECT_GT(run_id, 0);
  EXPECT_EQ(sql_rows(db_,
                     "SELECT source, hour, status, finished_at,"
                     " ABS(TIMESTAMPDIFF(SECOND, started_at, UTC_TIMESTAMP())) < 60"
                     " FROM etl_runs WHERE id = " +
                         std::to_string(run_id)),
            (Rows{{"sensors", "2026-11-22 06:00:00", "running", std::nullopt, "1"}}));
  // Later, not next: a Galera node hands out AUTO_INCREMENT values in steps of the cluster size.
  const auto next_run_id = begin_run(db_, "sensors", kH2);
  EXPECT_GT(next_run_id, run_id);
  EXPECT_EQ(sql_value(db_, "SELECT hour FROM etl_runs WHERE id = " + std::to_string(next_run_id)),
            "2026-11-22 07:00:00");
}

}  // namespace
}  // namespace meteo::testing
