#include "meteo/aggregate/sums.hpp"

#include <string>

#include "meteo/core/errors.hpp"

namespace meteo::aggregate {
namespace {

// A classification that does not cover the batch would add the wrong records: a bug, not data.
void check_one_change_per_record(std::size_t records, std::size_t changes, const char* what) {
  if (records != changes) {
    throw Error(ExitCode::software, std::string(what) + ": " + std::to_string(records) +
                                        " records but " + std::to_string(changes) + " changes");
  }
}

}  // namespace

RegionSums empty_region_sums(std::span<const RegionSet* const> sets) {
  RegionSums sums(sets.size());
  for (std::size_t set = 0; set < sets.size(); ++set) sums[set].resize(sets[set]->regions.size());
  return sums;
}

void add_fresh_readings(RegionSums& sums, std::span<const MatchedReading> readings,
                        std::span<const Change> changes) {
  check_one_change_per_record(readings.size(), changes.size(), "add_fresh_readings");
  for (std::size_t i = 0; i < readings.size(); ++i) {
    if (changes[i] != Change::fresh) continue;
    for (std::size_t set = 0; set < sums.size(); ++set) {
      if (const auto& index = readings[i].region_index.at(set)) {
        sums[set].at(*index).add(readings[i].reading.temperature);
      }
    }
  }
}

std::vector<RegionTotal> region_totals(const RegionSet& set,
                                       const std::vector<TemperatureSum>& sums) {
  std::vector<RegionTotal> totals;
  for (std::size_t i = 0; i < sums.size(); ++i) {
    if (sums[i].count() == 0) continue;
    const auto& region = set.regions.at(i);
    totals.push_back({region.code, region.name, sums[i]});
  }
  return totals;
}

std::map<UtcSeconds, TemperatureSum> fresh_observation_hours(
    std::span<const WeatherObservation> observations, std::span<const Change> changes,
    const std::set<UtcSeconds>& recomputed) {
  check_one_change_per_record(observations.size(), changes.size(), "fresh_observation_hours");
  std::map<UtcSeconds, TemperatureSum> sums;
  for (std::size_t i = 0; i < observations.size(); ++i) {
    const auto& observation = observations[i];
    const UtcSeconds hour = floor_to_hour(observation.observed_at);
    if (changes[i] != Change::fresh || !observation.temperature_c || recomputed.contains(hour)) {
      continue;
    }
    sums[hour].add(*observation.temperature_c);
  }
  return sums;
}

std::vector<HourTotal> hour_totals(const Region& region,
                                   const std::map<UtcSeconds, TemperatureSum>& sums) {
  std::vector<HourTotal> totals;
  for (const auto& [hour, sum] : sums) totals.push_back({hour, {region.code, region.name, sum}});
  return totals;
}

}  // namespace meteo::aggregate
