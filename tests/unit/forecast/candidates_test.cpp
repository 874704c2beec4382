// Persistence, diurnal persistence and the day's maximum on series whose answers are known.
#include "candidates.hpp"

#include <gtest/gtest.h>

#include "series_builder.hpp"

namespace meteo::forecast {
namespace {

using testing::history_of;
using testing::series_of;

TEST(Candidates, PersistenceIsTheOriginsHourOrTheNewestOfTheTwoBefore) {
  auto series = series_of(72, [](std::size_t hour) { return 0.5 * static_cast<double>(hour); });
  series.temperature[50] = kMissing;
  series.temperature[60] = series.temperature[59] = series.temperature[58] = kMissing;
  const History history = history_of(series);
  EXPECT_EQ(persistence(history, 40), 20.0);
  EXPECT_EQ(persistence(history, 50), 24.5);  // hour 49's
  EXPECT_TRUE(std::isnan(persistence(history, 60)));
  EXPECT_EQ(persistence(history, 61), 30.5);
}

TEST(Candidates, DiurnalPersistenceIsTheTargetHourOfTheLatestDaySeen) {
  const History history =
      history_of(series_of(96, [](std::size_t hour) { return static_cast<double>(hour); }));
  for (int h = 1; h <= 6; ++h) {
    EXPECT_EQ(diurnal_persistence(history, 50, h), 50.0 + h - 24);
  }
  EXPECT_EQ(diurnal_persistence(history, 50, 24), 50.0);
  EXPECT_EQ(diurnal_persistence(history, 50, 30), 50.0 + 30 - 48);
}

TEST(Candidates, DayMaximumNeedsTheWholeDaySeenAndMostOfItsHours) {
  // Day d's hours are d*24 .. d*24+23; the value peaks at 15 h at 10 + d.
  auto series = series_of(24 * 5, [](std::size_t hour) {
    const double day = static_cast<double>(hour / 24);
    return hour % 24 == 15 ? 10 + day : day;
  });
  for (std::size_t hour = 24 * 3; hour < 24 * 3 + 5; ++hour) {
    series.temperature[hour] = kMissing;  // day 3 keeps 19 of its hours: too few
  }
  const History history = history_of(series);
  EXPECT_EQ(day_maximum(history, 24, 200), 11.0);
  EXPECT_TRUE(std::isnan(day_maximum(history, 24, 46)));  // its hour 23 not yet seen
  EXPECT_TRUE(std::isnan(day_maximum(history, 72, 200)));
  EXPECT_EQ(tomorrow_start(history, 24 + 7), 48);
  // At 07 h of day 2 the last complete day is day 1; at 23 h of day 2 it is day 2 itself.
  EXPECT_EQ(persistence_day_maximum(history, 48 + 7), 11.0);
  EXPECT_EQ(persistence_day_maximum(history, 48 + 23), 12.0);
}

}  // namespace
}  // namespace meteo::forecast
