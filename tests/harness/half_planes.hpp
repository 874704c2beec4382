// A region matcher of two half-planes, for tests of matching logic that need no GEOS.
#pragma once

#include <cstddef>
#include <optional>

#include "meteo/geo/regions.hpp"

namespace meteo::testing {

// Region 0 is lon < 0, region 1 is lon >= 0, only for lat in [40, 50].
class HalfPlanes : public RegionMatcher {
 public:
  std::optional<std::size_t> match(double lon, double lat) const override {
    if (lat < 40 || lat > 50) return std::nullopt;
    return lon < 0 ? 0 : 1;
  }
};

}  // namespace meteo::testing
