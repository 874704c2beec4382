// The exact GEOS baseline: each region's envelope in an STRtree; a point goes to the first region
// in source order whose prepared contour covers it.
#include <algorithm>

#include "exact_regions.hpp"
#include "matchers.hpp"
#include "meteo/geo/regions.hpp"

namespace meteo::geo_detail {
namespace {

// Not thread-safe (see ExactRegions): use one matcher per thread.
class GeosMatcher final : public RegionMatcher {
 public:
  explicit GeosMatcher(const std::vector<Region>& regions)
      : exact_(regions), tree_(geos::make_str_tree(exact_.context())) {
    ordinals_.resize(exact_.size());
    for (std::size_t ordinal = 0; ordinal < exact_.size(); ++ordinal) {
      ordinals_[ordinal] = ordinal;
      // The tree keeps the pointers: ordinals_ is never resized again.
      GEOSSTRtree_insert_r(exact_.context().handle(), tree_.get(),
                           const_cast<GEOSGeometry*>(&exact_.contour(ordinal)),
                           &ordinals_[ordinal]);
    }
  }

  std::optional<std::size_t> match(double lon, double lat) const override {
    const geos::Geometry point = geos::make_point(exact_.context(), lon, lat);
    candidates_.clear();
    GEOSSTRtree_query_r(exact_.context().handle(), tree_.get(), point.get(), &collect_candidate,
                        &candidates_);
    // The tree reports candidates in no particular order; source order decides.
    std::sort(candidates_.begin(), candidates_.end());
    for (const std::size_t candidate : candidates_) {
      if (exact_.covers(candidate, *point)) return candidate;
    }
    return std::nullopt;
  }

 private:
  static void collect_candidate(void* item, void* candidates) {
    static_cast<std::vector<std::size_t>*>(candidates)
        ->push_back(*static_cast<const std::size_t*>(item));
  }

  ExactRegions exact_;
  std::vector<std::size_t> ordinals_;            // what the tree's items point to
  geos::StrTree tree_;                           // destroyed before exact_'s context
  mutable std::vector<std::size_t> candidates_;  // reused by match() to avoid an allocation
};

}  // namespace

std::unique_ptr<RegionMatcher> make_polygon_matcher(const std::vector<Region>& regions) {
  return std::make_unique<GeosMatcher>(regions);
}

}  // namespace meteo::geo_detail
