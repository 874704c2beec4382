// station_daily_weather (migration 0009) against the real database: each row checked against an
// independent recomputation, in this file, from the observations the test inserted, around the
// two clock changes of 2023 in Paris (a 23-hour and a 25-hour local day).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <thread>

#include "meteo/store/ledger.hpp"
#include "meteo/store/stations.hpp"
#include "station_fixtures.hpp"

namespace meteo::testing {
namespace {

using namespace std::chrono_literals;

// Paris in 2023, written out for the oracle: UTC+1, UTC+2 from 26 March 01:00 UTC to 29 October
// 01:00 UTC.
std::string paris_day_2023(UtcSeconds moment) {
  const bool summer = moment >= at("2023-03-26 01:00:00") && moment < at("2023-10-29 01:00:00");
  const auto local = moment + (summer ? 2h : 1h);
  return to_sql_datetime(UtcSeconds{std::chrono::floor<std::chrono::days>(local)}).substr(0, 10);
}

// An observation every `step` from `first` for `count` steps, every value present but some,
// varying so that means, extremes and sums are all told apart.
std::vector<WeatherObservation> series(const std::string& first, std::chrono::minutes step,
                                       int count) {
  std::vector<WeatherObservation> observations;
  for (int i = 0; i < count; ++i) {
    auto o = observation(kStationA, "2000-01-01 00:00:00", std::nullopt);
    o.observed_at = at(first) + step * i;
    o.temperature_c = std::fmod(i * 7.3, 23.0) - 4.0;
    if (i % 11 != 3) o.pressure_hpa = 1000.0 + std::fmod(i * 3.1, 30.0);
    o.rain_mm = (i % 5 == 0) ? 1.25 + (i % 3) * 0.5 : 0.0;
    if (i % 13 == 7) o.rain_mm.reset();
    o.wind_speed_kmh = std::fmod(i * 2.9, 40.0);
    o.gust_kmh = *o.wind_speed_kmh + 10.0 + (i % 4);
    observations.push_back(o);
  }
  return observations;
}

// What a day must hold: the oracle, from the inserted observations alone.
struct ExpectedDay {
  double t_sum = 0, t_min = 1e9, t_max = -1e9, p_sum = 0, w_sum = 0, gust = -1e9, rain = 0;
  int t_n = 0, p_n = 0, w_n = 0, rain_n = 0;
  std::set<UtcSeconds> hours;
};

std::map<std::string, ExpectedDay> expected_days(const std::vector<WeatherObservation>& all) {
  std::map<std::string, ExpectedDay> days;
  for (const auto& o : all) {
    auto& day = days[paris_day_2023(o.observed_at)];
    day.hours.insert(std::chrono::floor<std::chrono::hours>(o.observed_at));
    if (o.temperature_c) {
      day.t_sum += *o.temperature_c, ++day.t_n;
      day.t_min = std::min(day.t_min, *o.temperature_c);
      day.t_max = std::max(day.t_max, *o.temperature_c);
    }
    if (o.pressure_hpa) day.p_sum += *o.pressure_hpa, ++day.p_n;
    if (o.wind_speed_kmh) day.w_sum += *o.wind_speed_kmh, ++day.w_n;
    if (o.gust_kmh) day.gust = std::max(day.gust, *o.gust_kmh);
    if (o.rain_mm) day.rain += *o.rain_mm, ++day.rain_n;
  }
  return days;
}

void expect_near(const std::optional<std::string>& stored, double expected,
                 const std::string& what) {
  ASSERT_TRUE(stored.has_value()) << what;
  EXPECT_NEAR(std::stod(*stored), expected, 1e-9 * std::max(1.0, std::abs(expected))) << what;
}

class StationDaily : public StationStoreTest {
 protected:
  // (day, start_utc, end_utc, time_zone, mean, min, max, pressure, wind, gust, rain, hours,
  // heavy_rain_mm, heavy_rain) of station A.
  Rows daily() {
    return sql_rows(db_,
                    "SELECT day, start_utc, end_utc, time_zone, temperature_mean, temperature_min,"
                    " temperature_max, pressure_mean, wind_mean, gust_max, rain_sum,"
                    " hours_observed, heavy_rain_mm, heavy_rain FROM station_daily_weather"
                    " WHERE source = 'toulouse' AND dataset_id = '" +
                        kStationA + "' ORDER BY day");
  }

  RunCounts load(std::vector<WeatherObservation> observations,
                 aggregate::DailySettings settings = {}) {
    const std::int64_t run_id = begin_run(db_, kStationSource, run_hour_);
    auto batch = station_batch(run_id, kStationA, std::move(observations));
    batch.daily = std::move(settings);
    return load_station_batch(db_, batch);
  }

  // Every stored day equals the oracle's, and the oracle has no day the table lacks.
  void expect_days_match(const std::vector<WeatherObservation>& all, double heavy_rain_mm) {
    const auto expected = expected_days(all);
    const Rows rows = daily();
    ASSERT_EQ(rows.size(), expected.size());
    for (const auto& row : rows) {
      const std::string day = *row[0];
      const auto found = expected.find(day);
      ASSERT_NE(found, expected.end()) << day;
      const ExpectedDay& e = found->second;
      EXPECT_EQ(row[3], "Europe/Paris");
      expect_near(row[4], e.t_sum / e.t_n, day + " mean");
      expect_near(row[5], e.t_min, day + " min");
      expect_near(row[6], e.t_max, day + " max");
      expect_near(row[7], e.p_sum / e.p_n, day + " pressure");
      expect_near(row[8], e.w_sum / e.w_n, day + " wind");
      expect_near(row[9], e.gust, day + " gust");
      expect_near(row[10], e.rain, day + " rain");
      EXPECT_EQ(row[11], std::to_string(e.hours.size())) << day;
      expect_near(row[12], heavy_rain_mm, day + " threshold");
      EXPECT_EQ(row[13], e.rain >= heavy_rain_mm ? "1" : "0") << day;
    }
  }
};

TEST_F(StationDaily, TheSpringChangeGivesA23HourDay) {
  sync_default_stations();
  // Every 30 minutes from 24 March 22:00 UTC (23:00 in Paris) to 27 March 23:30 UTC.
  const auto observations = series("2023-03-24 22:00:00", 30min, 4 * 48 + 4);
  load(observations);
  expect_days_match(observations, 10.0);
  EXPECT_EQ(sql_rows(db_,
                     "SELECT day, start_utc, end_utc, hours_observed FROM station_daily_weather"
                     " WHERE day BETWEEN '2023-03-25' AND '2023-03-27' ORDER BY day"),
            (Rows{{"2023-03-25", "2023-03-24 23:00:00", "2023-03-25 23:00:00", "24"},
                  {"2023-03-26", "2023-03-25 23:00:00", "2023-03-26 22:00:00", "23"},
                  {"2023-03-27", "2023-03-26 22:00:00", "2023-03-27 22:00:00", "24"}}));
}

TEST_F(StationDaily, TheAutumnChangeGivesA25HourDayAndSynopCadenceCountsItsHours) {
  sync_default_stations();
  // Every 30 minutes over 28-30 October, then a SYNOP-like record every 3 hours after.
  auto observations = series("2023-10-27 21:00:00", 30min, 3 * 48 + 6);
  const auto synop = series("2023-10-31 00:00:00", 180min, 16);
  observations.insert(observations.end(), synop.begin(), synop.end());
  load(observations);
  expect_days_match(observations, 10.0);
  EXPECT_EQ(sql_rows(db_,
                     "SELECT day, start_utc, end_utc, hours_observed FROM station_daily_weather"
                     " WHERE day BETWEEN '2023-10-29' AND '2023-10-31' ORDER BY day"),
            (Rows{{"2023-10-29", "2023-10-28 22:00:00", "2023-10-29 23:00:00", "25"},
                  {"2023-10-30", "2023-10-29 23:00:00", "2023-10-30 23:00:00", "24"},
                  // 30 October 23:00 UTC, then eight 3-hourly records (00:00 to 21:00 UTC).
                  {"2023-10-31", "2023-10-30 23:00:00", "2023-10-31 23:00:00", "9"}}));
}

TEST_F(StationDaily, ReloadingChangesNothingAndACorrectionRebuildsItsDayOnly) {
  sync_default_stations();
  auto observations = series("2023-03-24 22:00:00", 30min, 4 * 48 + 4);
  load(observations);
  const auto before = station_snapshot();
  std::this_thread::sleep_for(20ms);
  load(observations);
  EXPECT_EQ(station_snapshot(), before) << "an unchanged re-run rewrites nothing";

  // 26 March 12:00 UTC: 14 mm more makes the 23-hour day a heavy-rain day.
  const auto noon = at("2023-03-26 12:00:00");
  auto corrected = std::find_if(observations.begin(), observations.end(),
                                [&](const auto& o) { return o.observed_at == noon; });
  ASSERT_NE(corrected, observations.end());
  corrected->rain_mm = 14.0;
  const auto untouched = sql_rows(db_,
                                  "SELECT * FROM station_daily_weather WHERE day <> '2023-03-26'"
                                  " ORDER BY day");
  load({*corrected});
  expect_days_match(observations, 10.0);
  EXPECT_EQ(sql_value(db_, "SELECT heavy_rain FROM station_daily_weather WHERE day = '2023-03-26'"),
            "1");
  EXPECT_EQ(
      sql_rows(db_, "SELECT * FROM station_daily_weather WHERE day <> '2023-03-26' ORDER BY day"),
      untouched);
}

TEST_F(StationDaily, OtherSettingsRebuildEveryDayAndMissingDaysAreBuilt) {
  sync_default_stations();
  const auto observations = series("2023-03-24 22:00:00", 30min, 4 * 48 + 4);
  load(observations);
  // In UTC with a 2 mm threshold: days are UTC days, the Paris rows are gone.
  load({observations.front()}, {"UTC", 2.0});
  EXPECT_EQ(sql_value(db_, "SELECT COUNT(*) FROM station_daily_weather WHERE time_zone <> 'UTC'"),
            "0");
  EXPECT_EQ(sql_rows(db_,
                     "SELECT day, start_utc, hours_observed, heavy_rain_mm FROM"
                     " station_daily_weather ORDER BY day"),
            (Rows{{"2023-03-24", "2023-03-24 00:00:00", "2", "2"},
                  {"2023-03-25", "2023-03-25 00:00:00", "24", "2"},
                  {"2023-03-26", "2023-03-26 00:00:00", "24", "2"},
                  {"2023-03-27", "2023-03-27 00:00:00", "24", "2"},
                  {"2023-03-28", "2023-03-28 00:00:00", "24", "2"}}));
  // Observations without days (stored before migration 0009): the next load builds them all.
  db_.execute("DELETE FROM station_daily_weather");
  load({observations.front()});
  expect_days_match(observations, 10.0);
}

// The dashboard's read (data/daily-<source>.json): the days within the span that ends with the
// source's newest day, as stored, in day order; an unknown source has none.
TEST_F(StationDaily, TheRecentDaysAreTheSpanEndingWithTheNewestDay) {
  sync_default_stations();
  load(series("2023-03-24 22:00:00", 30min, 4 * 48 + 4));  // 24 to 29 March in Paris
  const Rows stored = daily();
  ASSERT_EQ(stored.size(), 6u);
  const auto all = query_recent_station_days(db_, "toulouse", 400);
  ASSERT_EQ(all.size(), stored.size());
  for (std::size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(all[i].dataset_id, kStationA);
    EXPECT_EQ(all[i].day, *stored[i][0]);
    expect_near(stored[i][4], *all[i].temperature_mean, all[i].day + " mean");
    expect_near(stored[i][5], *all[i].temperature_min, all[i].day + " min");
    expect_near(stored[i][7], *all[i].pressure_mean, all[i].day + " pressure");
    expect_near(stored[i][10], *all[i].rain_sum, all[i].day + " rain");
    EXPECT_EQ(std::to_string(all[i].hours_observed), *stored[i][11]) << all[i].day;
    EXPECT_EQ(all[i].heavy_rain, *stored[i][13] == "1") << all[i].day;
  }
  const auto last_two = query_recent_station_days(db_, "toulouse", 2);
  ASSERT_EQ(last_two.size(), 2u);
  EXPECT_EQ(last_two.front().day, "2023-03-28");
  EXPECT_EQ(last_two.back().day, "2023-03-29");
  EXPECT_TRUE(query_recent_station_days(db_, "nowhere", 400).empty());
}

}  // namespace
}  // namespace meteo::testing
