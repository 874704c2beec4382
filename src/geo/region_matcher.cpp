#include "matchers.hpp"
#include "meteo/errors.hpp"
#include "meteo/geo.hpp"

namespace meteo {

std::unique_ptr<RegionMatcher> make_region_matcher(const std::vector<Region>& regions,
                                                   MatchingMode mode) {
  switch (mode) {
    case MatchingMode::polygon:
      return geo_detail::make_polygon_matcher(regions);
    case MatchingMode::bbox:
      return geo_detail::make_bbox_matcher(regions);
  }
  throw Error(ExitCode::software,
              "unknown matching mode " + std::to_string(static_cast<int>(mode)));
}

}  // namespace meteo
