// Ledger rows left 'running' by runs that died are closed by the next run of their source.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "meteo/store/ledger.hpp"
#include "store_fixtures.hpp"

namespace meteo::testing {
namespace {

using ::testing::StartsWith;

const UtcSeconds kHour = at("2026-11-22 06:00:00");

class AbandonedRuns : public StoreTest {};

TEST_F(AbandonedRuns, RunningRowsOfTheSourceAreMarkedFailedAndNoOthers) {
  const auto dead = begin_run(db_, "sensors", kHour);
  const auto also_dead = begin_run(db_, "sensors", kHour);
  const auto other_source = begin_run(db_, "toulouse", kHour);
  load(kHour, {matched("a", 10.0, 0)});  // a succeeded run of the source
  const auto failed = begin_run(db_, "sensors", kHour);
  fail_run(db_, failed, "fetch failed");

  EXPECT_EQ(close_abandoned_runs(db_, "sensors"), 2u);

  for (const auto id : {dead, also_dead}) {
    const auto where = " FROM etl_runs WHERE id = " + std::to_string(id);
    EXPECT_EQ(sql_value(db_, "SELECT status" + where), "failed");
    EXPECT_THAT(sql_value(db_, "SELECT message" + where).value_or(""), StartsWith("abandoned:"));
    EXPECT_EQ(sql_value(db_, "SELECT finished_at IS NOT NULL" + where), "1");
  }
  EXPECT_EQ(
      sql_value(db_, "SELECT status FROM etl_runs WHERE id = " + std::to_string(other_source)),
      "running");
  EXPECT_EQ(sql_value(db_, "SELECT message FROM etl_runs WHERE id = " + std::to_string(failed)),
            "fetch failed");
  EXPECT_EQ(sql_value(db_, "SELECT COUNT(*) FROM etl_runs WHERE status = 'succeeded'"), "1");
  EXPECT_EQ(close_abandoned_runs(db_, "sensors"), 0u) << "nothing left to close";
}

}  // namespace
}  // namespace meteo::testing
