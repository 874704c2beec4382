// Deadlocks and lock wait timeouts inside the load transaction, provoked with real row locks held
// by a second connection: the load is rolled back and re-run, or fails with 75 changing nothing.
#include <cppconn/connection.h>
#include <cppconn/resultset.h>
#include <cppconn/statement.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

#include "db_snapshot.hpp"
#include "meteo/store/ledger.hpp"
#include "meteo/store/run_load.hpp"
#include "store_fixtures.hpp"

namespace meteo::testing {
namespace {

using ::testing::HasSubstr;

const UtcSeconds kHour = at("2026-11-22 06:00:00");

// Hands every logged message to a callback, on the logging thread.
class CallbackSink : public spdlog::sinks::base_sink<std::mutex> {
 public:
  explicit CallbackSink(std::function<void(const std::string&)> on_message)
      : on_message_(std::move(on_message)) {}

 protected:
  void sink_it_(const spdlog::details::log_msg& message) override {
    on_message_(std::string(message.payload.data(), message.payload.size()));
  }
  void flush_() override {}

 private:
  std::function<void(const std::string&)> on_message_;
};

class TransactionRetryTest : public StoreTest {
 protected:
  TransactionRetryTest() {
    // One stored reading makes the hour's aggregate row exist: the row the holder locks.
    load(kHour, {matched("a", 10.0, 0)});
  }

  // The loader's own session: short lock waits, quick re-runs, warnings to `on_warning`.
  Database connect_loader(int retries, int lock_wait_seconds) {
    DatabaseConfig config = scratch_.config();
    config.transaction_retries = retries;
    config.transaction_retry_backoff = std::chrono::milliseconds(50);
    config.lock_wait_timeout_seconds = lock_wait_seconds;
    return Database::connect(config, &log_);
  }

  // A run of hour kHour correcting "a" and adding "b": its recompute step writes the aggregate
  // row of region 11, after the readings are read, classified and written.
  // In two batches, produced again from the start by every attempt.
  RunCounts load_correction(Database& loader) {
    const RunHeader run{
        begin_run(loader, "sensors", kHour), "sensors", kHour, UtcMicros{}, {&regions_}};
    return load_run(loader, run, [this](RunSink& sink) {
      ++productions_;
      sink.add_readings({matched("a", 14.0, 0)});
      sink.add_readings({matched("b", 20.0, 0)});
      RunCounts counts;
      counts.fetched = 2;
      return counts;
    });
  }

  // Takes the aggregate row's lock in the holder's open transaction.
  void hold_aggregate_row() {
    holder_.execute("START TRANSACTION");
    holder_.execute(
        "SELECT * FROM region_hourly_temperature WHERE region_set = 'fr-regions'"
        " AND region_code = '11' AND hour = '2026-11-22 06:00:00' FOR UPDATE");
  }

  std::vector<std::string> warnings() {
    std::lock_guard guard(mutex_);
    return warnings_;
  }

  int productions_ = 0;
  std::mutex mutex_;
  std::vector<std::string> warnings_;
  std::function<void()> on_warning_ = [] {};
  spdlog::logger log_{"retry-test", std::make_shared<CallbackSink>([this](const std::string& text) {
                        {
                          std::lock_guard guard(mutex_);
                          warnings_.push_back(text);
                        }
                        on_warning_();
                      })};
  Database holder_ = scratch_.connect();
};

TEST_F(TransactionRetryTest, ALockWaitTimeoutIsRolledBackAndReRunFromScratch) {
  auto loader = connect_loader(/*retries=*/3, /*lock_wait_seconds=*/1);
  hold_aggregate_row();
  on_warning_ = [this] { holder_.execute("COMMIT"); };  // the lock goes after the first attempt

  const RunCounts counts = load_correction(loader);

  const auto logged = warnings();
  ASSERT_EQ(logged.size(), 1u);
  EXPECT_THAT(logged[0], HasSubstr("MySQL error 1205"));
  EXPECT_THAT(logged[0], HasSubstr("recomputing the aggregates of set fr-regions"));
  EXPECT_THAT(logged[0], HasSubstr("attempt 2 of 4"));
  // Counted once: the second attempt did not inherit the first one's classification.
  EXPECT_EQ(counts.stored, 1u);
  EXPECT_EQ(counts.corrections, 1u);
  EXPECT_EQ(counts.unchanged, 0u);
  EXPECT_EQ(productions_, 2) << "the second attempt produced its batches again";
  EXPECT_EQ(aggregates(), (Rows{{"2026-11-22 06:00:00", "11", "Île-de-France", "17", "2"}}));
  EXPECT_EQ(sql_rows(db_, "SELECT status, `stored`, corrections FROM etl_runs ORDER BY id"),
            (Rows{{"succeeded", "1", "0"}, {"succeeded", "1", "1"}}));
}

TEST_F(TransactionRetryTest, ALockHeldForeverFailsTemporarilyChangingNothing) {
  auto loader = connect_loader(/*retries=*/2, /*lock_wait_seconds=*/1);
  const std::string before = data_tables_contents(db_);
  hold_aggregate_row();

  const Error error = error_of([&] { load_correction(loader); });

  // The correction's run is the last one; its id need not be 2 (Galera steps AUTO_INCREMENT by
  // the cluster size).
  const auto run_id = sql_value(db_, "SELECT MAX(id) FROM etl_runs").value_or("none");
  EXPECT_EQ(error.code(), ExitCode::temporary);
  EXPECT_THAT(error.what(),
              HasSubstr("loading run " + run_id + " of sensors for 2026-11-22 06:00:00"));
  EXPECT_THAT(error.what(), HasSubstr("recomputing the aggregates of set fr-regions"));
  EXPECT_THAT(error.what(), HasSubstr("gave up after 3 attempt(s)"));
  EXPECT_EQ(warnings().size(), 2u);
  holder_.execute("ROLLBACK");
  EXPECT_EQ(data_tables_contents(db_), before);
  EXPECT_EQ(sql_value(db_, "SELECT status FROM etl_runs WHERE id = " + run_id), "running");
  EXPECT_EQ(sql_value(db_, "SELECT COUNT(*) FROM etl_runs"), "2") << "the seed's run and this one";
}

TEST_F(TransactionRetryTest, NoRetriesConfiguredFailsOnTheFirstTimeout) {
  auto loader = connect_loader(/*retries=*/0, /*lock_wait_seconds=*/1);
  hold_aggregate_row();

  const Error error = error_of([&] { load_correction(loader); });

  EXPECT_EQ(error.code(), ExitCode::temporary);
  EXPECT_THAT(error.what(), HasSubstr("gave up after 1 attempt(s)"));
  EXPECT_TRUE(warnings().empty());
  holder_.execute("ROLLBACK");
}

// The session id of a connection, to find its transaction in information_schema.
std::string connection_id(Database& db) {
  return sql_value(db, "SELECT CONNECTION_ID()").value_or("");
}

// Waits until the session runs a statement on `table` (the processlist: MariaDB 10.11's
// information_schema.innodb_trx did not list the waiting transaction here).
bool wait_for_statement_on(Database& observer, const std::string& session,
                           const std::string& table) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    if (sql_value(observer, "SELECT COUNT(*) FROM information_schema.processlist WHERE id = " +
                                session + " AND info LIKE '%" + table + "%'") == "1") {
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

TEST_F(TransactionRetryTest, ADeadlockVictimIsReRunAndSucceeds) {
  // Locks taken in opposite orders: the loader holds the region set's row and waits for the
  // aggregate row; the holder holds the aggregate row and asks for the region set's. The server
  // rolls back the lighter transaction: the holder first writes a ballast of rows to be heavier.
  auto loader = connect_loader(/*retries=*/3, /*lock_wait_seconds=*/30);
  const std::string loader_session = connection_id(loader);
  db_.execute("CREATE TABLE ballast (n INT NOT NULL PRIMARY KEY) ENGINE=InnoDB");
  hold_aggregate_row();
  std::string rows;
  for (int n = 1; n <= 2000; ++n) rows += (n > 1 ? ",(" : "(") + std::to_string(n) + ")";
  holder_.execute("INSERT INTO ballast (n) VALUES " + rows);

  std::optional<RunCounts> counts;
  std::optional<Error> failure;
  std::thread load([&] {
    try {
      counts = load_correction(loader);
    } catch (const Error& error) {
      failure = error;
    }
  });
  // The loader holds the region set's row and is at the aggregates, which the holder has locked.
  const bool blocked = wait_for_statement_on(db_, loader_session, "region_hourly_temperature");
  std::optional<std::string> holder_failure;
  try {
    // Closes the cycle; the loader is chosen as the victim and rolled back, which frees the row.
    if (blocked)
      holder_.execute("SELECT name FROM region_sets WHERE name = 'fr-regions' FOR UPDATE");
    holder_.execute("COMMIT");
  } catch (const Error& error) {
    holder_failure = error.what();
  }
  load.join();

  ASSERT_TRUE(blocked) << "the loader never reached the aggregate row";
  ASSERT_FALSE(holder_failure) << "the holder, not the loader, was the victim: " << *holder_failure;
  ASSERT_FALSE(failure) << failure->what();
  ASSERT_TRUE(counts);
  const auto logged = warnings();
  ASSERT_EQ(logged.size(), 1u);
  EXPECT_THAT(logged[0], HasSubstr("MySQL error 1213"));
  EXPECT_EQ(counts->stored, 1u);
  EXPECT_EQ(counts->corrections, 1u);
  EXPECT_EQ(aggregates(), (Rows{{"2026-11-22 06:00:00", "11", "Île-de-France", "17", "2"}}));
}

}  // namespace
}  // namespace meteo::testing
