// The bulk loader's outcomes, on a table of its own: every row in, rows already there, a value the
// server would alter, and the text format's escapes.
#include "bulk_load.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "store_fixtures.hpp"
#include "test_database.hpp"

namespace meteo::testing {
namespace {

using ::testing::HasSubstr;

class BulkLoad : public ::testing::Test {
 protected:
  BulkLoad() {
    DatabaseConfig config = scratch_.config();
    config.load_data_local = true;
    db_ = Database::connect(config);
    db_.execute(
        "CREATE TABLE bulk (id VARBINARY(255) NOT NULL PRIMARY KEY, value DOUBLE NOT NULL,"
        " label VARCHAR(8) NULL) DEFAULT CHARSET=utf8mb4");
  }

  store::BulkLoadOutcome load(const store::TsvRows& rows) {
    return store::load_data_local(db_.connection(), "bulk", "id, value, label", rows);
  }

  ScratchDatabase scratch_;
  Database db_ = scratch_.connect();
};

TEST_F(BulkLoad, EveryRowGoesInWithItsBytes) {
  store::TsvRows rows;
  rows.text("a\tb").real(0.1 + 0.2).optional_text(std::nullopt).end_row();
  rows.text(std::string("c\nd\\\0", 5)).real(-1e-300).optional_text("\\N").end_row();
  rows.text("NULL").real(1.0 / 3.0).optional_text("").end_row();
  EXPECT_EQ(load(rows), store::BulkLoadOutcome::loaded);
  EXPECT_EQ(
      sql_rows(db_,
               "SELECT HEX(id), value = 3.0000000000000004e-1, label FROM bulk WHERE id = 'a\tb'"),
      (Rows{{"610962", "1", std::nullopt}}));
  EXPECT_EQ(sql_rows(db_, "SELECT HEX(id), label FROM bulk WHERE value < 0"),
            (Rows{{"630A645C00", "\\N"}}));
  EXPECT_EQ(sql_rows(db_, "SELECT id, label, value = 1 / 3e0 FROM bulk WHERE id = 'NULL'"),
            (Rows{{"NULL", "", "1"}}));
}

// The server lists only the first max_error_count warnings: the rows skipped are counted from
// the rows written, not from the list.
TEST_F(BulkLoad, RowsSkippedBeyondTheListedWarningsAreCounted) {
  store::TsvRows stored;
  store::TsvRows rows;
  for (int i = 0; i < 300; ++i) {
    if (i % 3 != 0) stored.text("r" + std::to_string(i)).real(i).optional_text("old").end_row();
    rows.text("r" + std::to_string(i)).real(-i).optional_text("new").end_row();
  }
  ASSERT_EQ(load(stored), store::BulkLoadOutcome::loaded);
  std::size_t skipped = 0;
  EXPECT_EQ(store::load_data_local(db_.connection(), "bulk", "id, value, label", rows, &skipped),
            store::BulkLoadOutcome::duplicates);
  EXPECT_EQ(skipped, 200u);
  EXPECT_EQ(sql_rows(db_,
                     "SELECT label, COUNT(*), SUM(value > 0) FROM bulk GROUP BY label"
                     " ORDER BY label"),
            (Rows{{"new", "100", "0"}, {"old", "200", "200"}}));
}

TEST_F(BulkLoad, RowsAlreadyStoredAreReportedAndTheOthersLoaded) {
  db_.execute("INSERT INTO bulk VALUES ('old', 1, 'kept')");
  store::TsvRows rows;
  rows.text("old").real(2).optional_text("new").end_row();
  rows.text("fresh").real(3).optional_text(std::nullopt).end_row();
  EXPECT_EQ(load(rows), store::BulkLoadOutcome::duplicates);
  EXPECT_EQ(sql_rows(db_, "SELECT id, value, label FROM bulk ORDER BY id"),
            (Rows{{"fresh", "3", std::nullopt}, {"old", "1", "kept"}}));
}

TEST_F(BulkLoad, AValueTheServerWouldAlterFailsTheLoad) {
  store::TsvRows rows;
  rows.text("long").real(1).optional_text("longer than eight").end_row();
  const Error error = error_of([&] { load(rows); });
  EXPECT_EQ(error.code(), ExitCode::software);
  EXPECT_THAT(error.what(),
              HasSubstr("LOAD DATA of 1 rows into bulk: the server warned 1265 (Data truncated"));
}

TEST_F(BulkLoad, NoRowsIsNoStatement) {
  EXPECT_EQ(load(store::TsvRows{}), store::BulkLoadOutcome::loaded);
  EXPECT_EQ(sql_rows(db_, "SHOW SESSION STATUS LIKE 'Com_load'").at(0).at(1), "0");
}

}  // namespace
}  // namespace meteo::testing
