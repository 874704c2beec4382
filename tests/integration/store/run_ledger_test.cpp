// The ledger's failure record: whatever the failure's message holds, the run ends 'failed'.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "meteo/store/ledger.hpp"
#include "store_fixtures.hpp"

namespace meteo::testing {
namespace {

using ::testing::HasSubstr;

const UtcSeconds kHour = at("2026-11-22 06:00:00");

class RunLedger : public StoreTest {};

TEST_F(RunLedger, AFailureQuotingInvalidUtf8IsRecordedWithTheBytesShownVisibly) {
  const auto run_id = begin_run(db_, "sensors", kHour);
  // nlohmann's message about a UTF-16 body quotes its byte order mark as read.
  fail_run(db_, run_id, "payload is not valid JSON at byte 0: last read: '\xFF\xFE'");

  const auto where = " FROM etl_runs WHERE id = " + std::to_string(run_id);
  EXPECT_EQ(sql_value(db_, "SELECT status" + where), "failed");
  EXPECT_THAT(sql_value(db_, "SELECT message" + where).value_or(""),
              HasSubstr("last read: '\\xFF\\xFE'"));
}

}  // namespace
}  // namespace meteo::testing
