// backoff_delay: exponential growth, the cap, and full-jitter bounds.
#include <gtest/gtest.h>

#include <chrono>
#include <limits>
#include <random>

#include "meteo/http/client.hpp"

namespace meteo {
namespace {

using std::chrono::milliseconds;

RetryPolicy policy(long long initial_ms, long long max_ms) {
  RetryPolicy p;
  p.initial_backoff = milliseconds(initial_ms);
  p.max_backoff = milliseconds(max_ms);
  return p;
}

// The largest value a unit random in [0, 1) can take.
constexpr double kAlmostOne = 1.0 - std::numeric_limits<double>::epsilon() / 2;

TEST(Backoff, DoublesWithEachRetryUpToTheCap) {
  const RetryPolicy p = policy(1000, 30000);
  EXPECT_EQ(backoff_delay(p, 1, 1.0), milliseconds(1000));
  EXPECT_EQ(backoff_delay(p, 2, 1.0), milliseconds(2000));
  EXPECT_EQ(backoff_delay(p, 3, 1.0), milliseconds(4000));
  EXPECT_EQ(backoff_delay(p, 4, 1.0), milliseconds(8000));
  EXPECT_EQ(backoff_delay(p, 5, 1.0), milliseconds(16000));
  EXPECT_EQ(backoff_delay(p, 6, 1.0), milliseconds(30000));  // 32000 capped
  EXPECT_EQ(backoff_delay(p, 7, 1.0), milliseconds(30000));
}

TEST(Backoff, JitterScalesTheWindow) {
  const RetryPolicy p = policy(1000, 30000);
  EXPECT_EQ(backoff_delay(p, 1, 0.0), milliseconds(0));
  EXPECT_EQ(backoff_delay(p, 1, 0.5), milliseconds(500));
  EXPECT_EQ(backoff_delay(p, 3, 0.25), milliseconds(1000));
  EXPECT_EQ(backoff_delay(p, 10, 0.5), milliseconds(15000));       // half of the cap
  EXPECT_EQ(backoff_delay(p, 2, kAlmostOne), milliseconds(1999));  // floor, never above
}

TEST(Backoff, EveryDrawStaysWithinTheWindow) {
  const RetryPolicy p = policy(250, 5000);
  std::mt19937_64 engine(42);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  for (int retry = 1; retry <= 12; ++retry) {
    const long long window = std::min<long long>(5000, 250LL << (retry - 1));
    for (int draw = 0; draw < 1000; ++draw) {
      const auto delay = backoff_delay(p, retry, unit(engine));
      EXPECT_GE(delay.count(), 0);
      EXPECT_LE(delay.count(), window) << "retry " << retry;
    }
  }
}

TEST(Backoff, DrawsSpreadOverTheWholeWindow) {
  const RetryPolicy p = policy(1000, 60000);
  std::mt19937_64 engine(7);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  long long smallest = 1'000'000;
  long long largest = -1;
  for (int draw = 0; draw < 2000; ++draw) {
    const long long delay = backoff_delay(p, 4, unit(engine)).count();  // window 8000
    smallest = std::min(smallest, delay);
    largest = std::max(largest, delay);
  }
  EXPECT_LT(smallest, 400);
  EXPECT_GT(largest, 7600);
}

TEST(Backoff, HugeRetryNumbersDoNotOverflow) {
  const RetryPolicy p = policy(1000, 30000);
  EXPECT_EQ(backoff_delay(p, 64, 1.0), milliseconds(30000));
  EXPECT_EQ(backoff_delay(p, 10'000, 1.0), milliseconds(30000));
  EXPECT_EQ(backoff_delay(p, std::numeric_limits<int>::max(), 0.5), milliseconds(15000));
}

TEST(Backoff, OutOfRangeInputsAreClamped) {
  const RetryPolicy p = policy(1000, 30000);
  EXPECT_EQ(backoff_delay(p, 0, 1.0), milliseconds(1000));  // treated as the first retry
  EXPECT_EQ(backoff_delay(p, -3, 1.0), milliseconds(1000));
  EXPECT_EQ(backoff_delay(p, 1, -0.5), milliseconds(0));
  EXPECT_EQ(backoff_delay(p, 1, 7.0), milliseconds(1000));
  EXPECT_EQ(backoff_delay(p, 1, std::numeric_limits<double>::quiet_NaN()), milliseconds(0));
}

TEST(Backoff, ACapBelowTheInitialDelayWins) {
  EXPECT_EQ(backoff_delay(policy(5000, 2000), 1, 1.0), milliseconds(2000));
  EXPECT_EQ(backoff_delay(policy(0, 2000), 5, 1.0), milliseconds(0));
}

}  // namespace
}  // namespace meteo
