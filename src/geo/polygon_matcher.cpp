// Exact matching: each region's contour is read by GEOS, repaired when invalid, prepared, and its
// envelope indexed in an STRtree; a point goes to the first region in source order covering it.
#include <algorithm>

#include "geos_handles.hpp"
#include "matchers.hpp"
#include "meteo/errors.hpp"
#include "meteo/geo.hpp"

namespace meteo::geo_detail {
namespace {

bool is_polygonal(const geos::Context& context, const GEOSGeometry& geometry) {
  const int type = GEOSGeomTypeId_r(context.handle(), &geometry);
  return type == GEOS_POLYGON || type == GEOS_MULTIPOLYGON;
}

// GEOSMakeValid_r may return a collection mixing areas with the lines and points a collapsed ring
// degenerates into. Only the areas belong to the region: kept, a leftover line would still "cover"
// the points along it.
geos::Geometry polygonal_part(const geos::Context& context, geos::Geometry repaired,
                              const std::string& what) {
  if (is_polygonal(context, *repaired)) return repaired;
  geos::Geometry areas;
  const int parts = GEOSGetNumGeometries_r(context.handle(), repaired.get());
  for (int index = 0; index < parts; ++index) {
    const GEOSGeometry* part = GEOSGetGeometryN_r(context.handle(), repaired.get(), index);
    if (part == nullptr || !is_polygonal(context, *part)) continue;
    areas = areas ? geos::own(context, GEOSUnion_r(context.handle(), areas.get(), part))
                  : geos::own(context, GEOSGeom_clone_r(context.handle(), part));
    if (!areas)
      throw Error(ExitCode::data, what + ": cannot repair the contour: " + context.last_error());
  }
  if (!areas) throw Error(ExitCode::data, what + ": the repaired contour has no area left");
  return areas;
}

geos::Geometry valid_contour(const geos::Context& context, const Region& region,
                             const std::string& what) {
  geos::Geometry contour = geos::read_geojson(context, region.geometry_geojson);
  if (!contour) {
    throw Error(ExitCode::data, what + ": GEOS cannot read the geometry: " + context.last_error());
  }
  if (!is_polygonal(context, *contour)) {
    throw Error(ExitCode::data, what + ": geometry is not a Polygon or MultiPolygon");
  }
  const char validity = GEOSisValid_r(context.handle(), contour.get());
  if (validity == 2) {
    throw Error(ExitCode::data, what + ": GEOS cannot check the contour: " + context.last_error());
  }
  if (validity == 1) return contour;
  geos::Geometry repaired = geos::own(context, GEOSMakeValid_r(context.handle(), contour.get()));
  if (!repaired) {
    throw Error(ExitCode::data, what + ": cannot repair the contour: " + context.last_error());
  }
  return polygonal_part(context, std::move(repaired), what);
}

// Not thread-safe: a GEOS context serves one thread, and prepared geometries (and the STRtree)
// build their indexes lazily during the first queries, from a const match(). Use one matcher per
// thread.
class PolygonMatcher final : public RegionMatcher {
 public:
  explicit PolygonMatcher(const std::vector<Region>& regions)
      : tree_(geos::make_str_tree(context_)) {
    shapes_.reserve(regions.size());
    for (std::size_t ordinal = 0; ordinal < regions.size(); ++ordinal) {
      shapes_.push_back(make_shape(ordinal, regions[ordinal]));
    }
    // Only once shapes_ is complete: the tree keeps pointers into it.
    for (Shape& shape : shapes_) {
      GEOSSTRtree_insert_r(context_.handle(), tree_.get(), shape.contour.get(), &shape);
    }
  }

  std::optional<std::size_t> match(double lon, double lat) const override {
    const geos::Geometry point = geos::make_point(context_, lon, lat);
    candidates_.clear();
    GEOSSTRtree_query_r(context_.handle(), tree_.get(), point.get(), &collect_candidate,
                        &candidates_);
    // The tree reports candidates in no particular order; source order decides.
    std::sort(candidates_.begin(), candidates_.end(),
              [](const Shape* a, const Shape* b) { return a->ordinal < b->ordinal; });
    for (const Shape* candidate : candidates_) {
      if (covers(*candidate, *point)) return candidate->ordinal;
    }
    return std::nullopt;
  }

 private:
  struct Shape {
    std::size_t ordinal = 0;
    std::string description;
    geos::Geometry contour;
    geos::PreparedGeometry prepared;  // refers to contour, declared after it: destroyed first
  };

  Shape make_shape(std::size_t ordinal, const Region& region) const {
    Shape shape;
    shape.ordinal = ordinal;
    shape.description = describe_region(ordinal, region);
    shape.contour = valid_contour(context_, region, shape.description);
    shape.prepared = geos::prepare(context_, *shape.contour);
    if (!shape.prepared) {
      throw Error(ExitCode::data, shape.description + ": GEOS cannot prepare the contour: " +
                                      context_.last_error());
    }
    return shape;
  }

  bool covers(const Shape& shape, const GEOSGeometry& point) const {
    const char covered = GEOSPreparedCovers_r(context_.handle(), shape.prepared.get(), &point);
    if (covered == 2) {
      throw Error(ExitCode::software,
                  shape.description + ": GEOS failed the covers test: " + context_.last_error());
    }
    return covered == 1;
  }

  static void collect_candidate(void* item, void* candidates) {
    static_cast<std::vector<const Shape*>*>(candidates)->push_back(static_cast<const Shape*>(item));
  }

  // Declaration order is destruction order reversed: GEOS objects go before their context.
  geos::Context context_;
  std::vector<Shape> shapes_;  // in source order; never resized once the tree points into it
  geos::StrTree tree_;
  mutable std::vector<const Shape*> candidates_;  // reused by match() to avoid an allocation
};

}  // namespace

std::unique_ptr<RegionMatcher> make_polygon_matcher(const std::vector<Region>& regions) {
  return std::make_unique<PolygonMatcher>(regions);
}

}  // namespace meteo::geo_detail
