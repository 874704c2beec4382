// Private: the two RegionMatcher implementations behind make_region_matcher.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "meteo/geo/regions.hpp"
#include "meteo/model/records.hpp"

namespace meteo::geo_detail {

std::unique_ptr<RegionMatcher> make_polygon_matcher(const std::vector<Region>& regions);
std::unique_ptr<RegionMatcher> make_bbox_matcher(const std::vector<Region>& regions);

// `region 3 (code "28")`, the way matcher errors name the region at fault.
inline std::string describe_region(std::size_t ordinal, const Region& region) {
  return "region " + std::to_string(ordinal) + " (code \"" + region.code + "\")";
}

}  // namespace meteo::geo_detail
