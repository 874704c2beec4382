// The window an incremental station run reads for one dataset, from its watermark.
#include <gtest/gtest.h>

#include "meteo/sources/stations/network_source.hpp"

namespace meteo::sources {
namespace {

using std::chrono::hours;

constexpr UtcSeconds kStart{std::chrono::sys_days{std::chrono::November / 1 / 2026}};

StationNetworkConfig network() {
  StationNetworkConfig config;
  config.start = kStart;
  config.lookback = hours(2);
  config.max_catch_up = hours(24);
  return config;
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

}  // namespace
}  // namespace meteo::sources
