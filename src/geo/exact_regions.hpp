// Private: the regions as GEOS reads them, repaired and prepared, and the exact covers test that
// both the GEOS baseline and the region index answer with.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "geos_handles.hpp"
#include "meteo/geo/regions.hpp"
#include "meteo/model/records.hpp"

namespace meteo::geo_detail {

struct Segment {
  double x0, y0, x1, y1;
};

// Not thread-safe: a GEOS context serves one thread, and prepared geometries build their indexes
// lazily during the first queries.
class ExactRegions {
 public:
  // Throws Error(data) naming the region whose contour GEOS cannot read, repair or prepare.
  explicit ExactRegions(const std::vector<Region>& regions);

  std::size_t size() const { return shapes_.size(); }
  const geos::Context& context() const { return context_; }
  const GEOSGeometry& contour(std::size_t ordinal) const { return *shapes_[ordinal].contour; }
  const BoundingBox& envelope(std::size_t ordinal) const { return shapes_[ordinal].envelope; }

  // GEOS's prepared covers: borders included, robust for every double.
  bool covers(std::size_t ordinal, double lon, double lat) const;
  bool covers(std::size_t ordinal, const GEOSGeometry& point) const;

  // Every edge of every ring (shells and holes) of the contour GEOS tests against.
  std::vector<Segment> boundary_segments(std::size_t ordinal) const;

 private:
  struct Shape {
    std::string description;
    geos::Geometry contour;
    geos::PreparedGeometry prepared;  // refers to contour, declared after it: destroyed first
    BoundingBox envelope;
  };

  Shape make_shape(std::size_t ordinal, const Region& region) const;

  // Declaration order is destruction order reversed: GEOS objects go before their context.
  geos::Context context_;
  std::vector<Shape> shapes_;  // in source order
};

}  // namespace meteo::geo_detail
