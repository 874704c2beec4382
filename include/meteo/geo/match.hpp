// Matching points to regions: every reading and every station against each of a source's region
// sets.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "meteo/model/records.hpp"

namespace meteo {
class RegionMatcher;
}

namespace meteo::geo {

struct MatchSummary {
  std::vector<MatchedReading> readings;
  std::vector<std::size_t> outside;        // per region set: readings in no region of it
  std::vector<std::size_t> disagreements;  // per region set: country label says otherwise
};

// Matches every reading against every region set (same order as `matchers`). A label counts as a
// disagreement when it is one of `home_labels` (case-insensitive) but the point is outside, or it
// is another non-empty label but the point is inside.
MatchSummary match_readings(std::vector<SensorReading> readings,
                            std::span<const RegionMatcher* const> matchers,
                            const std::vector<std::string>& home_labels);

// Matches every station against every region set (same order as `matchers`).
std::vector<MatchedStation> match_stations(std::vector<WeatherStation> stations,
                                           std::span<const RegionMatcher* const> matchers);

}  // namespace meteo::geo
