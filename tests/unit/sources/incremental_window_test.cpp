// The window an incremental run reads for one partition from its watermark: a station network's
// policy (from its settings) and a policy with no start (a layer that keeps a few days).
#include <gtest/gtest.h>

#include "meteo/sources/stations/network_source.hpp"

namespace meteo::sources {
namespace {

using std::chrono::hours;

constexpr UtcSeconds kStart{std::chrono::sys_days{std::chrono::November / 1 / 2026}};

// A station network's policy, as its source builds it from its settings.
WindowPolicy network() {
  StationNetworkConfig config;
  config.start = kStart;
  config.lookback = hours(2);
  config.max_catch_up = hours(24);
  return window_policy(config);
}

// A layer that keeps a few days: no configured start.
WindowPolicy layer() {
  return {std::nullopt, hours(48), hours(72)};
}

TEST(IncrementalWindow, AFirstRunStartsAtTheConfiguredStartAndCatchesUpAtMostItsLimit) {
  const TimeWindow window = incremental_window(network(), std::nullopt, kStart + hours(100));
  EXPECT_EQ(window.from, kStart);
  EXPECT_EQ(window.to, kStart + hours(24));
}

TEST(IncrementalWindow, ALaterRunRereadsTheLookbackBeforeItsWatermark) {
  const TimeWindow window = incremental_window(network(), kStart + hours(10), kStart + hours(11));
  EXPECT_EQ(window.from, kStart + hours(8));
  EXPECT_EQ(window.to, kStart + hours(11));
}

TEST(IncrementalWindow, NeverReachesBeforeTheStartNorEndsBeforeItBegins) {
  const TimeWindow early = incremental_window(network(), kStart + hours(1), kStart + hours(3));
  EXPECT_EQ(early.from, kStart);
  // A clock behind the watermark gives an empty window, never a reversed one.
  const TimeWindow behind = incremental_window(network(), kStart + hours(10), kStart + hours(5));
  EXPECT_EQ(behind.from, kStart + hours(8));
  EXPECT_EQ(behind.to, behind.from);
}

TEST(IncrementalWindow, WithoutAStartAFirstRunReadsTheLastMaxCatchUpHours) {
  const UtcSeconds now = kStart + hours(1000);
  const TimeWindow window = incremental_window(layer(), std::nullopt, now);
  EXPECT_EQ(window.from, now - hours(72));
  EXPECT_EQ(window.to, now);
}

TEST(IncrementalWindow, WithoutAStartTheLookbackIsNotClamped) {
  const TimeWindow window = incremental_window(layer(), kStart + hours(10), kStart + hours(11));
  EXPECT_EQ(window.from, kStart - hours(38));
  EXPECT_EQ(window.to, kStart + hours(11));
}

}  // namespace
}  // namespace meteo::sources
