// watch's scheduling on an injected time: when each source is next due, how a failing one backs
// off, what a reload keeps, and how a stop or reload request wakes the loop.
#include <gtest/gtest.h>

#include <thread>

#include "meteo/pipeline/watch.hpp"

namespace meteo::pipeline {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::seconds;

const WatchClock::time_point kStart{hours(1000)};

TEST(WatchBackoff, FirstWaitIsTheCadenceOrThirtySecondsWhicheverIsSmaller) {
  EXPECT_EQ(first_backoff(seconds(5)), seconds(5));
  EXPECT_EQ(first_backoff(seconds(300)), seconds(30));
  EXPECT_EQ(first_backoff(seconds(3600)), seconds(30));
}

TEST(WatchBackoff, DoublesPerConsecutiveFailureUpToTheMaximum) {
  const milliseconds max = seconds(900);
  // unit 1: no jitter taken off.
  EXPECT_EQ(backoff_delay(seconds(300), 1, max, 1.0), seconds(30));
  EXPECT_EQ(backoff_delay(seconds(300), 2, max, 1.0), seconds(60));
  EXPECT_EQ(backoff_delay(seconds(300), 3, max, 1.0), seconds(120));
  EXPECT_EQ(backoff_delay(seconds(300), 6, max, 1.0), seconds(900));
  EXPECT_EQ(backoff_delay(seconds(300), 1000, max, 1.0), seconds(900)) << "no overflow";
  EXPECT_EQ(backoff_delay(seconds(3600), 1, seconds(10), 1.0), seconds(10))
      << "the maximum caps the first wait too";
}

TEST(WatchBackoff, JitterTakesOffAtMostHalfAndNeverReachesZero) {
  EXPECT_EQ(backoff_delay(seconds(10), 1, seconds(900), 0.0), seconds(5));
  EXPECT_EQ(backoff_delay(seconds(10), 1, seconds(900), 0.5), milliseconds(7500));
  EXPECT_EQ(backoff_delay(milliseconds(1), 1, seconds(900), 0.0), milliseconds(1))
      << "a 1 ms cadence still waits: no busy loop";
}

TEST(WatchSchedule, ASuccessIsDueOneCadenceLaterAndForgetsItsFailures) {
  SourceSchedule source{"sensors", seconds(60), kStart, 3};
  record_outcome(source, true, kStart + seconds(2), seconds(900), 0.3);
  EXPECT_EQ(source.failures, 0);
  EXPECT_EQ(source.next_due, kStart + seconds(62));
}

TEST(WatchSchedule, FailuresBackOffFurtherEachTime) {
  SourceSchedule source{"stations", seconds(300), kStart, 0};
  record_outcome(source, false, kStart, seconds(900), 1.0);
  EXPECT_EQ(source.failures, 1);
  EXPECT_EQ(source.next_due, kStart + seconds(30));
  record_outcome(source, false, kStart + seconds(30), seconds(900), 1.0);
  EXPECT_EQ(source.next_due, kStart + seconds(30 + 60));
  record_outcome(source, true, kStart + seconds(100), seconds(900), 1.0);
  EXPECT_EQ(source.next_due, kStart + seconds(400)) << "recovered: back to the cadence";
}

TEST(WatchSchedule, DueSourcesAndTheNextWake) {
  const std::vector<SourceSchedule> schedule{{"a", seconds(60), kStart + seconds(10), 0},
                                             {"b", seconds(5), kStart, 0},
                                             {"c", seconds(5), kStart + seconds(3), 0}};
  EXPECT_EQ(due_sources(schedule, kStart), (std::vector<std::string>{"b"}));
  EXPECT_EQ(due_sources(schedule, kStart + seconds(3)), (std::vector<std::string>{"b", "c"}));
  EXPECT_EQ(next_wake(schedule, kStart), kStart);
  EXPECT_EQ(next_wake({schedule[0], schedule[2]}, kStart), kStart + seconds(3));
  EXPECT_EQ(next_wake({}, kStart), kStart);
}

TEST(WatchSchedule, AReloadKeepsBackoffsAddsNewSourcesDueNowAndAppliesShorterCadences) {
  const std::vector<SourceSchedule> previous{{"failing", seconds(60), kStart + seconds(40), 2},
                                             {"slow", seconds(3600), kStart + seconds(3000), 0},
                                             {"gone", seconds(60), kStart, 0}};
  const auto schedule = reschedule(
      previous, {{"failing", seconds(60)}, {"slow", seconds(10)}, {"new", seconds(5)}}, kStart);
  ASSERT_EQ(schedule.size(), 3u);
  EXPECT_EQ(schedule[0].name, "failing");
  EXPECT_EQ(schedule[0].failures, 2);
  EXPECT_EQ(schedule[0].next_due, kStart + seconds(40));
  EXPECT_EQ(schedule[1].cadence, seconds(10));
  EXPECT_EQ(schedule[1].next_due, kStart + seconds(10)) << "not after the old hour";
  EXPECT_EQ(schedule[2].name, "new");
  EXPECT_EQ(schedule[2].next_due, kStart);
}

TEST(WatchControl, AStopFromAnotherThreadWakesTheWait) {
  WatchControl control;
  const auto started = WatchClock::now();
  std::thread stopper([&] {
    std::this_thread::sleep_for(milliseconds(50));
    control.request_stop();
  });
  EXPECT_TRUE(control.wait_until(WatchClock::now() + seconds(30)));
  stopper.join();
  EXPECT_LT(WatchClock::now() - started, seconds(10));
  EXPECT_TRUE(control.stop_requested());
  EXPECT_FALSE(control.take_reload());
}

TEST(WatchControl, AReloadWakesTheWaitAndIsTakenOnce) {
  WatchControl control;
  control.request_reload();
  EXPECT_TRUE(control.wait_until(WatchClock::now() + seconds(30)));
  EXPECT_TRUE(control.take_reload());
  EXPECT_FALSE(control.take_reload());
  EXPECT_FALSE(control.stop_requested());
  EXPECT_FALSE(control.wait_until(WatchClock::now() + milliseconds(20))) << "timed out: no request";
}

}  // namespace
}  // namespace meteo::pipeline
