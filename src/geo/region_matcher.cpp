#include "matchers.hpp"
#include "meteo/core/errors.hpp"
#include "meteo/geo/regions.hpp"

namespace meteo {

std::unique_ptr<RegionMatcher> make_region_matcher(const std::vector<Region>& regions,
                                                   MatchingMode mode,
                                                   const std::filesystem::path& index_cache_dir) {
  switch (mode) {
    case MatchingMode::polygon: {
      RegionIndexOptions options;
      options.cache_dir = index_cache_dir;
      return make_indexed_matcher(regions, options);
    }
    case MatchingMode::bbox:
      return geo_detail::make_bbox_matcher(regions);
  }
  throw Error(ExitCode::software,
              "unknown matching mode " + std::to_string(static_cast<int>(mode)));
}

}  // namespace meteo
