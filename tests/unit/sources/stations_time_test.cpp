// parse_timestamp_with_offset across daylight-saving changes, and split_window.
#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>

#include "meteo/core/errors.hpp"
#include "meteo/sources/stations/portal.hpp"

namespace meteo {
namespace {

using namespace std::chrono_literals;

UtcSeconds utc(int year, unsigned month, unsigned day, int hour, int minute, int second = 0) {
  return std::chrono::sys_days{std::chrono::year{year} / month / day} + std::chrono::hours{hour} +
         std::chrono::minutes{minute} + std::chrono::seconds{second};
}

std::string iso(const std::optional<UtcSeconds>& moment) {
  return moment ? to_iso8601(*moment) : "nullopt";
}

TEST(StationsTimestamp, ConvertsOffsetsToUtc) {
  EXPECT_EQ(iso(parse_timestamp_with_offset("2021-03-28T03:15:00+02:00")), "2021-03-28T01:15:00Z");
  EXPECT_EQ(iso(parse_timestamp_with_offset("2021-03-28T03:15:00+0200")), "2021-03-28T01:15:00Z");
  EXPECT_EQ(iso(parse_timestamp_with_offset("2021-03-28T03:15:00+02")), "2021-03-28T01:15:00Z");
  EXPECT_EQ(iso(parse_timestamp_with_offset("2021-01-14T09:15:00+01:00")), "2021-01-14T08:15:00Z");
  EXPECT_EQ(iso(parse_timestamp_with_offset("2021-01-14T08:15:00Z")), "2021-01-14T08:15:00Z");
  EXPECT_EQ(iso(parse_timestamp_with_offset("2021-01-14T08:15:00-03:30")), "2021-01-14T11:45:00Z");
}

TEST(StationsTimestamp, AcceptsFractionalSecondsAndNoSeconds) {
  EXPECT_EQ(iso(parse_timestamp_with_offset("2021-01-14T09:15:07.250+01:00")),
            "2021-01-14T08:15:07Z");
  EXPECT_EQ(iso(parse_timestamp_with_offset("2021-01-14T08:15:07.999999Z")),
            "2021-01-14T08:15:07Z");
  EXPECT_EQ(iso(parse_timestamp_with_offset("2021-01-14T09:15+01:00")), "2021-01-14T08:15:00Z");
  EXPECT_EQ(iso(parse_timestamp_with_offset("2021-01-14 09:15:00+01:00")), "2021-01-14T08:15:00Z");
}

TEST(StationsTimestamp, CrossesMidnightAndYearWithTheOffset) {
  EXPECT_EQ(iso(parse_timestamp_with_offset("2021-01-01T00:30:00+01:00")), "2020-12-31T23:30:00Z");
  EXPECT_EQ(iso(parse_timestamp_with_offset("2024-02-29T23:00:00-02:00")), "2024-03-01T01:00:00Z");
}

TEST(StationsTimestamp, AutumnChangeKeepsTheRepeatedHourDistinct) {
  // 02:30 happens twice on 2021-10-31 in Paris: first in summer time, then in winter time.
  const auto summer = parse_timestamp_with_offset("2021-10-31T02:30:00+02:00");
  const auto winter = parse_timestamp_with_offset("2021-10-31T02:30:00+01:00");
  ASSERT_TRUE(summer && winter);
  EXPECT_EQ(*summer, utc(2021, 10, 31, 0, 30));
  EXPECT_EQ(*winter, utc(2021, 10, 31, 1, 30));
  EXPECT_NE(*summer, *winter);
}

TEST(StationsTimestamp, SpringChangeSkipsNoUtcMinute) {
  EXPECT_EQ(parse_timestamp_with_offset("2021-03-28T01:59:00+01:00"), utc(2021, 3, 28, 0, 59));
  EXPECT_EQ(parse_timestamp_with_offset("2021-03-28T03:00:00+02:00"), utc(2021, 3, 28, 1, 0));
}

TEST(StationsTimestamp, RequiresAnOffset) {
  EXPECT_EQ(parse_timestamp_with_offset("2021-03-28T03:15:00"), std::nullopt);
  EXPECT_EQ(parse_timestamp_with_offset("2021-03-28T03:15"), std::nullopt);
  EXPECT_EQ(parse_timestamp_with_offset("2021-03-28"), std::nullopt);
}

TEST(StationsTimestamp, RejectsInvalidDatesAndMalformedText) {
  for (const char* text :
       {"2021-02-29T10:00:00Z", "2021-04-31T10:00:00Z", "2021-13-01T10:00:00Z",
        "2021-00-10T10:00:00Z", "2021-01-01T24:00:00Z", "2021-01-01T10:60:00Z",
        "2021-01-01T10:00:60Z", "2021-01-01T10:00:00+24:00", "2021-01-01T10:00:00+01:60",
        "2021-01-01T10:00:00+1", "2021-01-01T10:00:00Zjunk", "2021-01-01T10:00:00+01:00 ",
        "2021-01-01T10:00:00.+01:00", "21-01-01T10:00:00Z", "2021-1-01T10:00:00Z",
        "2021-01-01T+1:00:00Z", "", "yesterday"}) {
    EXPECT_EQ(parse_timestamp_with_offset(text), std::nullopt) << text;
  }
}

TEST(StationsSplitWindow, CutsConsecutiveWindowsWithAShorterLastOne) {
  const TimeWindow whole{utc(2026, 11, 1, 0, 0), utc(2026, 11, 3, 6, 0)};
  const auto windows = split_window(whole, 24h);
  ASSERT_EQ(windows.size(), 3u);
  EXPECT_EQ(windows[0].from, whole.from);
  EXPECT_EQ(windows[0].to, utc(2026, 11, 2, 0, 0));
  EXPECT_EQ(windows[1].from, windows[0].to);
  EXPECT_EQ(windows[1].to, utc(2026, 11, 3, 0, 0));
  EXPECT_EQ(windows[2].from, windows[1].to);
  EXPECT_EQ(windows[2].to, whole.to);
}

TEST(StationsSplitWindow, ExactMultipleHasNoEmptyTail) {
  const auto windows = split_window({utc(2026, 11, 1, 0, 0), utc(2026, 11, 1, 6, 0)}, 2h);
  ASSERT_EQ(windows.size(), 3u);
  EXPECT_EQ(windows.back().to, utc(2026, 11, 1, 6, 0));
  EXPECT_EQ(windows.back().to - windows.back().from, 2h);
}

TEST(StationsSplitWindow, ShortWindowIsKeptWhole) {
  const TimeWindow whole{utc(2026, 11, 1, 0, 0), utc(2026, 11, 1, 0, 15)};
  const auto windows = split_window(whole, 744h);
  ASSERT_EQ(windows.size(), 1u);
  EXPECT_EQ(windows[0].from, whole.from);
  EXPECT_EQ(windows[0].to, whole.to);
}

TEST(StationsSplitWindow, EmptyOrReversedWindowGivesNothing) {
  const UtcSeconds t = utc(2026, 11, 1, 0, 0);
  EXPECT_TRUE(split_window({t, t}, 24h).empty());
  EXPECT_TRUE(split_window({t + 1h, t}, 24h).empty());
}

TEST(StationsSplitWindow, NonPositiveLengthIsABug) {
  const UtcSeconds t = utc(2026, 11, 1, 0, 0);
  EXPECT_THROW(split_window({t, t + 1h}, 0h), Error);
}

}  // namespace
}  // namespace meteo
