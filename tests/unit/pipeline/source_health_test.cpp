// The verdicts `status` exits with: 2 (never succeeded) beats 1 (stale) beats 0.
#include "meteo/pipeline/source_health.hpp"

#include <gtest/gtest.h>

#include "meteo/store/dashboard_reads.hpp"
#include "meteo/store/reports.hpp"

namespace meteo::pipeline {
namespace {

using namespace std::chrono_literals;

const UtcSeconds kNow = std::chrono::sys_days(std::chrono::year(2026) / 11 / 22) + 10h;

SourceState succeeded_at(UtcSeconds finished_at) {
  SourceState state;
  state.last_success = FinishedRun{.id = 7, .hour = finished_at, .finished_at = finished_at};
  return state;
}

SourceHealthReport judge(SourceState state, std::chrono::minutes stale_after = 90min) {
  static const SourceConfig source{.name = "sensors"};
  return judge_source(source, std::move(state), kNow, stale_after);
}

TEST(SourceHealth, NoSuccessAtAllIsNeverRunEvenAfterFailures) {
  SourceState failed;
  failed.last_failure = FinishedRun{.id = 3, .finished_at = kNow - 1min, .message = "HTTP 503"};
  const auto report = judge(failed);
  EXPECT_EQ(report.verdict, HealthVerdict::never_run);
  EXPECT_FALSE(report.staleness);
  EXPECT_EQ(verdict_name(report.verdict), "never_run");
}

TEST(SourceHealth, StaleOnlyPastTheConfiguredAge) {
  EXPECT_EQ(judge(succeeded_at(kNow - 90min)).verdict, HealthVerdict::healthy) << "at the limit";
  EXPECT_EQ(judge(succeeded_at(kNow - 90min - 1s)).verdict, HealthVerdict::stale);
  EXPECT_EQ(judge(succeeded_at(kNow - 3h), 240min).verdict, HealthVerdict::healthy);
  EXPECT_EQ(judge(succeeded_at(kNow - 3h)).staleness, std::chrono::seconds(3h));
}

TEST(SourceHealth, ASuccessFromTheFutureIsFreshNotNegative) {
  const auto report = judge(succeeded_at(kNow + 30s));
  EXPECT_EQ(report.verdict, HealthVerdict::healthy);
  EXPECT_EQ(report.staleness, 0s);
}

TEST(SourceHealth, TheWorstVerdictDecidesNeverRunBeatingStale) {
  const auto healthy = judge(succeeded_at(kNow - 1min));
  const auto stale = judge(succeeded_at(kNow - 1 * 24h));
  const auto never = judge(SourceState{});
  EXPECT_EQ(worst_verdict({}), HealthVerdict::healthy);
  EXPECT_EQ(worst_verdict({healthy, healthy}), HealthVerdict::healthy);
  EXPECT_EQ(worst_verdict({healthy, stale}), HealthVerdict::stale);
  EXPECT_EQ(worst_verdict({stale, never, healthy}), HealthVerdict::never_run);
  EXPECT_EQ(static_cast<int>(HealthVerdict::never_run), 2);
  EXPECT_EQ(static_cast<int>(HealthVerdict::stale), 1);
}

}  // namespace
}  // namespace meteo::pipeline
