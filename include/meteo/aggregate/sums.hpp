// The exact sums a load adds to region_hourly_temperature: the measurements new to the store,
// per region and hour. Pure arithmetic: the store classifies the records and writes the rows.
#pragma once

#include <cstddef>
#include <map>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "meteo/aggregate/temperature_sum.hpp"
#include "meteo/core/time.hpp"
#include "meteo/model/change.hpp"
#include "meteo/model/records.hpp"

namespace meteo::aggregate {

// One row of region_hourly_temperature: its region and the sum of its measurements.
struct RegionTotal {
  std::string code;
  std::string name;
  TemperatureSum sum;
};

struct HourTotal {
  UtcSeconds hour;
  RegionTotal total;
};

// Per region set (in the run's order), per region ordinal: the sums of the fresh readings.
using RegionSums = std::vector<std::vector<TemperatureSum>>;

// Empty sums shaped like `sets`: one per region of each set.
RegionSums empty_region_sums(std::span<const RegionSet* const> sets);

// Adds each fresh reading's temperature to the sum of its region in every set that matched it;
// `changes` says, per reading, how it compares with what is stored. Unchanged and corrected
// readings add nothing: a correction makes the store recompute the hour instead.
void add_fresh_readings(RegionSums& sums, std::span<const MatchedReading> readings,
                        std::span<const Change> changes);

// The regions of `set` with at least one reading in `sums` (by ordinal), in ordinal order.
std::vector<RegionTotal> region_totals(const RegionSet& set,
                                       const std::vector<TemperatureSum>& sums);

// Per hour: the temperatures of the fresh observations (`changes` per observation), except in
// the `recomputed` hours, which the store sums again from what is stored. Observations without
// a temperature add nothing.
std::map<UtcSeconds, TemperatureSum> fresh_observation_hours(
    std::span<const WeatherObservation> observations, std::span<const Change> changes,
    const std::set<UtcSeconds>& recomputed);

// The rows of one region, an hour each, in hour order.
std::vector<HourTotal> hour_totals(const Region& region,
                                   const std::map<UtcSeconds, TemperatureSum>& sums);

}  // namespace meteo::aggregate
