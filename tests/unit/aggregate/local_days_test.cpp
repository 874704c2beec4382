// Local days of a time zone: their UTC bounds, 23 and 25 hours on the days the clocks change, and
// the heavy-rain flag of the daily station aggregates.
#include "meteo/aggregate/local_days.hpp"

#include <gtest/gtest.h>

#include "meteo/core/errors.hpp"

namespace meteo::aggregate {
namespace {

using namespace std::chrono_literals;
using std::chrono::year_month_day;

UtcSeconds utc(const char* text) {
  return parse_sql_datetime(text);
}

year_month_day ymd(int y, unsigned m, unsigned d) {
  return year_month_day{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
}

TEST(LocalDays, AWinterDayInParisStartsAt23UtcTheDayBefore) {
  const LocalCalendar paris("Europe/Paris");
  const LocalDay day = paris.bounds(ymd(2023, 1, 15));
  EXPECT_EQ(day.start, utc("2023-01-14 23:00:00"));
  EXPECT_EQ(day.end, utc("2023-01-15 23:00:00"));
}

TEST(LocalDays, TheSpringChangeMakesA23HourDay) {
  const LocalCalendar paris("Europe/Paris");
  const LocalDay day = paris.bounds(ymd(2023, 3, 26));
  EXPECT_EQ(day.start, utc("2023-03-25 23:00:00"));
  EXPECT_EQ(day.end, utc("2023-03-26 22:00:00"));
  EXPECT_EQ(day.end - day.start, 23h);
}

TEST(LocalDays, TheAutumnChangeMakesA25HourDay) {
  const LocalCalendar paris("Europe/Paris");
  const LocalDay day = paris.bounds(ymd(2023, 10, 29));
  EXPECT_EQ(day.start, utc("2023-10-28 22:00:00"));
  EXPECT_EQ(day.end, utc("2023-10-29 23:00:00"));
  EXPECT_EQ(day.end - day.start, 25h);
}

TEST(LocalDays, MomentsFallInTheirLocalDay) {
  const LocalCalendar paris("Europe/Paris");
  EXPECT_EQ(paris.day_of(utc("2023-07-01 21:59:59")), ymd(2023, 7, 1));
  EXPECT_EQ(paris.day_of(utc("2023-07-01 22:00:00")), ymd(2023, 7, 2));
  // Both 02:30 of 29 October (00:30 and 01:30 UTC) belong to that day.
  EXPECT_EQ(paris.day_of(utc("2023-10-29 00:30:00")), ymd(2023, 10, 29));
  EXPECT_EQ(paris.day_of(utc("2023-10-29 01:30:00")), ymd(2023, 10, 29));
  EXPECT_EQ(paris.day_of(utc("2023-10-29 22:59:59")), ymd(2023, 10, 29));
  EXPECT_EQ(paris.day_of(utc("2023-10-29 23:00:00")), ymd(2023, 10, 30));
}

TEST(LocalDays, UtcDaysAreUtcMidnights) {
  const LocalCalendar utc_zone("UTC");
  const LocalDay day = utc_zone.bounds(ymd(2023, 3, 26));
  EXPECT_EQ(day.start, utc("2023-03-26 00:00:00"));
  EXPECT_EQ(day.end, utc("2023-03-27 00:00:00"));
}

TEST(LocalDays, ASkippedMidnightStartsTheDayAtTheChange) {
  // Santiago de Chile moved its clocks from 00:00 to 01:00 on 2023-09-03 (04:00 UTC).
  const LocalCalendar santiago("America/Santiago");
  const LocalDay day = santiago.bounds(ymd(2023, 9, 3));
  EXPECT_EQ(day.start, utc("2023-09-03 04:00:00"));
  EXPECT_EQ(day.end, utc("2023-09-04 03:00:00"));
}

TEST(LocalDays, DaysOfMomentsAreDistinctAndOrdered) {
  const LocalCalendar paris("Europe/Paris");
  const auto days = paris.days_of(
      {utc("2023-03-26 21:00:00"), utc("2023-03-25 23:00:00"), utc("2023-03-26 22:00:00")});
  ASSERT_EQ(days.size(), 2u);
  EXPECT_EQ(days[0], paris.bounds(ymd(2023, 3, 26)));
  EXPECT_EQ(days[1], paris.bounds(ymd(2023, 3, 27)));
}

TEST(LocalDays, AnUnknownZoneIsAConfigError) {
  try {
    LocalCalendar("Europe/Atlantis");
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ExitCode::config);
    EXPECT_NE(std::string(error.what()).find("Europe/Atlantis"), std::string::npos);
  }
}

TEST(LocalDates, ParseAndPrintRoundTrip) {
  EXPECT_EQ(parse_local_date("2023-10-29"), ymd(2023, 10, 29));
  EXPECT_EQ(to_date_text(ymd(2023, 3, 5)), "2023-03-05");
  for (const char* bad : {"2023-10-32", "2023-1-05", "2023-10-29T00", "yesterday", ""}) {
    EXPECT_THROW(parse_local_date(bad), Error) << bad;
  }
}

TEST(HeavyRain, TheThresholdIsIncluded) {
  EXPECT_EQ(is_heavy_rain(10.0, 10.0), true);
  EXPECT_EQ(is_heavy_rain(9.99, 10.0), false);
  EXPECT_EQ(is_heavy_rain(0.0, 10.0), false);
  EXPECT_EQ(is_heavy_rain(std::nullopt, 10.0), std::nullopt);
}

WeatherObservation observation(const char* at, std::optional<double> temperature,
                               std::optional<double> rain) {
  WeatherObservation o;
  o.observed_at = utc(at);
  o.temperature_c = temperature;
  o.rain_mm = rain;
  o.pressure_hpa = 1000.5;
  return o;
}

TEST(DailyWeather, EachDayTakesItsOwnObservationsAndADayWithoutAnyHasNoFigures) {
  const LocalCalendar paris("Europe/Paris");
  const std::vector<LocalDay> days{paris.bounds(ymd(2023, 12, 1)), paris.bounds(ymd(2023, 12, 2)),
                                   paris.bounds(ymd(2023, 12, 3))};
  // 23:00 UTC on 1 December is already the 2nd in Paris; nothing falls on the 3rd.
  const std::vector<WeatherObservation> observations{
      observation("2023-11-30 22:59:59", 40, 40),  // the 30th: before the first day
      observation("2023-12-01 00:00:00", 2, 0.5),
      observation("2023-12-01 00:30:00", 4, std::nullopt),
      observation("2023-12-01 12:00:00", -3, 1.5),
      observation("2023-12-01 23:00:00", 7, std::nullopt),
      observation("2023-12-02 22:00:00", std::nullopt, std::nullopt)};
  const auto weather = daily_weather(days, observations);
  ASSERT_EQ(weather.size(), 2u);
  EXPECT_EQ(weather[0].day, days[0]);
  EXPECT_DOUBLE_EQ(*weather[0].temperature_mean, 1.0);
  EXPECT_EQ(weather[0].temperature_min, -3);
  EXPECT_EQ(weather[0].temperature_max, 4);
  EXPECT_EQ(weather[0].rain_sum, 2.0);
  EXPECT_EQ(weather[0].hours_observed, 2u) << "00:00 and 00:30 share their hour";
  EXPECT_EQ(weather[0].gust_max, std::nullopt) << "no gust that day";
  EXPECT_DOUBLE_EQ(*weather[0].pressure_mean, 1000.5);
  EXPECT_EQ(weather[1].day, days[1]);
  EXPECT_EQ(weather[1].temperature_mean, 7);
  EXPECT_EQ(weather[1].rain_sum, std::nullopt) << "no rain value is no rain total, not zero";
  EXPECT_EQ(weather[1].hours_observed, 2u);
}

TEST(DailyWeather, MeansAddInTheObservationsOrderAsTheServersAvgDoes) {
  const LocalCalendar utc_days("UTC");
  const std::vector<LocalDay> days{utc_days.bounds(ymd(2023, 12, 1))};
  const std::vector<WeatherObservation> observations{observation("2023-12-01 00:00:00", 0.1, 0.1),
                                                     observation("2023-12-01 03:00:00", 0.2, 0.2),
                                                     observation("2023-12-01 06:00:00", 0.3, 0.3)};
  const auto weather = daily_weather(days, observations);
  ASSERT_EQ(weather.size(), 1u);
  EXPECT_EQ(*weather[0].rain_sum, (0.1 + 0.2) + 0.3) << "not 0.1 + (0.2 + 0.3)";
  EXPECT_EQ(*weather[0].temperature_mean, ((0.1 + 0.2) + 0.3) / 3);
}

}  // namespace
}  // namespace meteo::aggregate
