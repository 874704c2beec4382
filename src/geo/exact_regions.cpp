// Each region's contour is read by GEOS, repaired when invalid and prepared once.
#include "exact_regions.hpp"

#include "matchers.hpp"
#include "meteo/core/errors.hpp"

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

BoundingBox envelope_of(const geos::Context& context, const GEOSGeometry& geometry,
                        const std::string& what) {
  BoundingBox box;
  if (GEOSGeom_getXMin_r(context.handle(), &geometry, &box.min_lon) == 0 ||
      GEOSGeom_getYMin_r(context.handle(), &geometry, &box.min_lat) == 0 ||
      GEOSGeom_getXMax_r(context.handle(), &geometry, &box.max_lon) == 0 ||
      GEOSGeom_getYMax_r(context.handle(), &geometry, &box.max_lat) == 0) {
    throw Error(ExitCode::data,
                what + ": GEOS cannot measure the contour: " + context.last_error());
  }
  return box;
}

void append_ring_segments(const geos::Context& context, const GEOSGeometry& ring,
                          std::vector<Segment>& segments) {
  const GEOSCoordSequence* coordinates = GEOSGeom_getCoordSeq_r(context.handle(), &ring);
  unsigned int count = 0;
  if (coordinates == nullptr || GEOSCoordSeq_getSize_r(context.handle(), coordinates, &count) == 0)
    throw Error(ExitCode::software, "GEOS cannot list a ring's positions: " + context.last_error());
  double previous_x = 0, previous_y = 0;
  for (unsigned int index = 0; index < count; ++index) {
    double x = 0, y = 0;
    GEOSCoordSeq_getXY_r(context.handle(), coordinates, index, &x, &y);
    if (index > 0) segments.push_back({previous_x, previous_y, x, y});
    previous_x = x;
    previous_y = y;
  }
}

void append_polygon_segments(const geos::Context& context, const GEOSGeometry& polygon,
                             std::vector<Segment>& segments) {
  append_ring_segments(context, *GEOSGetExteriorRing_r(context.handle(), &polygon), segments);
  const int holes = GEOSGetNumInteriorRings_r(context.handle(), &polygon);
  for (int hole = 0; hole < holes; ++hole) {
    append_ring_segments(context, *GEOSGetInteriorRingN_r(context.handle(), &polygon, hole),
                         segments);
  }
}

}  // namespace

ExactRegions::ExactRegions(const std::vector<Region>& regions) {
  shapes_.reserve(regions.size());
  for (std::size_t ordinal = 0; ordinal < regions.size(); ++ordinal) {
    shapes_.push_back(make_shape(ordinal, regions[ordinal]));
  }
}

ExactRegions::Shape ExactRegions::make_shape(std::size_t ordinal, const Region& region) const {
  Shape shape;
  shape.description = describe_region(ordinal, region);
  shape.contour = valid_contour(context_, region, shape.description);
  shape.envelope = envelope_of(context_, *shape.contour, shape.description);
  shape.prepared = geos::prepare(context_, *shape.contour);
  if (!shape.prepared) {
    throw Error(ExitCode::data,
                shape.description + ": GEOS cannot prepare the contour: " + context_.last_error());
  }
  return shape;
}

bool ExactRegions::covers(std::size_t ordinal, double lon, double lat) const {
  const geos::Geometry point = geos::make_point(context_, lon, lat);
  return covers(ordinal, *point);
}

bool ExactRegions::covers(std::size_t ordinal, const GEOSGeometry& point) const {
  const Shape& shape = shapes_[ordinal];
  const char covered = GEOSPreparedCovers_r(context_.handle(), shape.prepared.get(), &point);
  if (covered == 2) {
    throw Error(ExitCode::software,
                shape.description + ": GEOS failed the covers test: " + context_.last_error());
  }
  return covered == 1;
}

std::vector<Segment> ExactRegions::boundary_segments(std::size_t ordinal) const {
  const GEOSGeometry& contour = *shapes_[ordinal].contour;
  std::vector<Segment> segments;
  if (GEOSGeomTypeId_r(context_.handle(), &contour) == GEOS_POLYGON) {
    append_polygon_segments(context_, contour, segments);
    return segments;
  }
  const int parts = GEOSGetNumGeometries_r(context_.handle(), &contour);
  for (int index = 0; index < parts; ++index) {
    append_polygon_segments(context_, *GEOSGetGeometryN_r(context_.handle(), &contour, index),
                            segments);
  }
  return segments;
}

}  // namespace meteo::geo_detail
