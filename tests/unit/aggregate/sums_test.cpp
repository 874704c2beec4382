#include "meteo/aggregate/sums.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "meteo/core/errors.hpp"

namespace meteo::aggregate {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

// 2026-12-04 10:00 UTC.
const UtcSeconds kTen = UtcSeconds(std::chrono::seconds(1796378400));

RegionSet region_set(std::string name, std::vector<std::string> codes) {
  RegionSet set{std::move(name), "checksum", {}};
  for (auto& code : codes) set.regions.push_back({code, "Region " + code, "{}"});
  return set;
}

MatchedReading matched(double temperature, std::vector<std::optional<std::size_t>> regions) {
  MatchedReading reading;
  reading.reading.id = "r" + std::to_string(temperature);
  reading.reading.temperature = temperature;
  reading.region_index = std::move(regions);
  return reading;
}

WeatherObservation observation(UtcSeconds at, std::optional<double> temperature) {
  WeatherObservation observed;
  observed.dataset_id = "station";
  observed.observed_at = at;
  observed.temperature_c = temperature;
  return observed;
}

TemperatureSum sum_of(std::initializer_list<double> temperatures) {
  TemperatureSum sum;
  for (const double t : temperatures) sum.add(t);
  return sum;
}

class FreshReadings : public ::testing::Test {
 protected:
  RegionSet departments = region_set("departments", {"31", "32", "33"});
  RegionSet countries = region_set("countries", {"FR", "ES"});
  std::vector<const RegionSet*> sets{&departments, &countries};
  RegionSums sums = empty_region_sums(sets);
};

TEST_F(FreshReadings, EmptySumsHaveOneSumPerRegionOfEachSet) {
  ASSERT_EQ(sums.size(), 2u);
  EXPECT_EQ(sums[0].size(), 3u);
  EXPECT_EQ(sums[1].size(), 2u);
  for (const auto& set : sums) {
    for (const auto& sum : set) EXPECT_EQ(sum.count(), 0u);
  }
}

TEST_F(FreshReadings, OnlyFreshReadingsAddToEverySetThatMatchedThem) {
  const std::vector<MatchedReading> readings{
      matched(1.5, {1, 0}),              // fresh
      matched(30.0, {1, 0}),             // corrected: the store recomputes its hour instead
      matched(2.25, {1, std::nullopt}),  // fresh, outside every country
      matched(40.0, {0, 1}),             // unchanged
      matched(-7.35, {std::nullopt, 1})  // fresh, outside every department
  };
  const std::vector<Change> changes{Change::fresh, Change::corrected, Change::fresh,
                                    Change::unchanged, Change::fresh};
  add_fresh_readings(sums, readings, changes);

  EXPECT_EQ(sums[0][0].count(), 0u);
  EXPECT_EQ(sums[0][1].count(), 2u);
  EXPECT_EQ(sums[0][1].units_text(), "4533471823554859405148160");  // (1.5 + 2.25) * 2^80
  EXPECT_EQ(sums[0][1].mean(), 1.875);
  EXPECT_EQ(sums[0][2].count(), 0u);
  EXPECT_EQ(sums[1][0].count(), 1u);
  EXPECT_EQ(sums[1][0].mean(), 1.5);
  EXPECT_EQ(sums[1][1].count(), 1u);
  EXPECT_EQ(sums[1][1].units_text(), "-8885604774167524004593664");  // floor(-7.35 * 2^80)
}

TEST_F(FreshReadings, BatchesAddUpToTheSumOfTheWholeRun) {
  const std::vector<MatchedReading> first{matched(0.1, {0, 0}), matched(-0.3, {0, 0})};
  const std::vector<MatchedReading> second{matched(21.7, {0, 0})};
  add_fresh_readings(sums, first, std::vector<Change>(2, Change::fresh));
  add_fresh_readings(sums, second, std::vector<Change>(1, Change::fresh));

  EXPECT_EQ(sums[0][0], sum_of({0.1, -0.3, 21.7}));
  EXPECT_EQ(sums[0][0].count(), 3u);
  EXPECT_EQ(sums[0][0].units_text(), "25991905121714526417321984");
  EXPECT_EQ(sums[1][0], sums[0][0]);
}

TEST_F(FreshReadings, AChangeMissingForAReadingIsASoftwareError) {
  const std::vector<MatchedReading> readings{matched(1.0, {0, 0}), matched(2.0, {0, 0})};
  const std::vector<Change> changes{Change::fresh};
  try {
    add_fresh_readings(sums, readings, changes);
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ExitCode::software);
  }
  EXPECT_EQ(sums[0][0].count(), 0u);
}

TEST_F(FreshReadings, RegionTotalsNameTheRegionsWithReadingsInOrdinalOrder) {
  sums[0][2] = sum_of({12.5, 13.25});
  sums[0][0] = sum_of({-1.0});
  const auto totals = region_totals(departments, sums[0]);

  ASSERT_EQ(totals.size(), 2u);
  EXPECT_EQ(totals[0].code, "31");
  EXPECT_EQ(totals[0].name, "Region 31");
  EXPECT_EQ(totals[0].sum.mean(), -1.0);
  EXPECT_EQ(totals[1].code, "33");
  EXPECT_EQ(totals[1].name, "Region 33");
  EXPECT_EQ(totals[1].sum.count(), 2u);
  EXPECT_EQ(totals[1].sum.units_text(), "31129839855076701248684032");  // 25.75 * 2^80
  EXPECT_TRUE(region_totals(countries, sums[1]).empty());
}

TEST(FreshObservationHours, SumsFreshTemperaturesPerHourOutsideTheRecomputedHours) {
  const std::vector<WeatherObservation> observations{
      observation(kTen + minutes(5), 12.5),
      observation(kTen + minutes(20), 99.0),  // unchanged
      observation(kTen + minutes(50), 13.25),
      observation(kTen + hours(1) + minutes(10), 14.0),  // fresh, in a recomputed hour
      observation(kTen + hours(1) + minutes(20), 15.0),  // the correction that recomputes it
      observation(kTen + hours(2), std::nullopt),        // fresh, no temperature
      observation(kTen + hours(3) + minutes(30), -0.5)};
  const std::vector<Change> changes{Change::fresh, Change::unchanged, Change::fresh,
                                    Change::fresh, Change::corrected, Change::fresh,
                                    Change::fresh};
  const auto sums = fresh_observation_hours(observations, changes, {kTen + hours(1)});

  ASSERT_EQ(sums.size(), 2u);
  EXPECT_EQ(sums.at(kTen).count(), 2u);
  EXPECT_EQ(sums.at(kTen).units_text(), "31129839855076701248684032");  // 25.75 * 2^80
  EXPECT_EQ(sums.at(kTen).mean(), 12.875);
  EXPECT_EQ(sums.at(kTen + hours(3)), sum_of({-0.5}));
}

TEST(FreshObservationHours, NothingFreshSumsNothing) {
  const std::vector<WeatherObservation> observations{observation(kTen, 1.0)};
  EXPECT_TRUE(fresh_observation_hours(observations, std::vector{Change::unchanged}, {}).empty());
  EXPECT_TRUE(fresh_observation_hours(observations, std::vector{Change::fresh}, {kTen}).empty());
}

TEST(FreshObservationHours, AChangeMissingForAnObservationIsASoftwareError) {
  const std::vector<WeatherObservation> observations{observation(kTen, 1.0)};
  EXPECT_THROW(fresh_observation_hours(observations, std::vector<Change>{}, {}), Error);
}

TEST(HourTotals, OneRowOfTheRegionPerHourInHourOrder) {
  const Region region{"31", "Haute-Garonne", "{}"};
  const std::map<UtcSeconds, TemperatureSum> sums{{kTen + hours(2), sum_of({3.0})},
                                                  {kTen, sum_of({1.0, 2.0})}};
  const auto totals = hour_totals(region, sums);

  ASSERT_EQ(totals.size(), 2u);
  EXPECT_EQ(totals[0].hour, kTen);
  EXPECT_EQ(totals[0].total.code, "31");
  EXPECT_EQ(totals[0].total.name, "Haute-Garonne");
  EXPECT_EQ(totals[0].total.sum.mean(), 1.5);
  EXPECT_EQ(totals[0].total.sum.count(), 2u);
  EXPECT_EQ(totals[1].hour, kTen + hours(2));
  EXPECT_EQ(totals[1].total.sum.mean(), 3.0);
  EXPECT_TRUE(hour_totals(region, {}).empty());
}

}  // namespace
}  // namespace meteo::aggregate
