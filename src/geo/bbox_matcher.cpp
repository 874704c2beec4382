// The classic rule: each region is its bounding rectangle; the first rectangle in source order that
// contains the point wins. Kept for comparison with the exact polygon matching.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "matchers.hpp"
#include "meteo/core/errors.hpp"
#include "meteo/geo/regions.hpp"

namespace meteo {
namespace {

using nlohmann::json;

bool is_position(const json& value) {
  return value.is_array() && value.size() >= 2 && value[0].is_number() && value[1].is_number();
}

// Walks nested coordinate arrays of any depth (Polygon or MultiPolygon) down to positions.
void extend_with_positions(const json& coordinates, BoundingBox& box, bool& seen_any) {
  if (is_position(coordinates)) {
    const double lon = coordinates[0].get<double>();
    const double lat = coordinates[1].get<double>();
    if (!seen_any) {
      box = BoundingBox{lon, lat, lon, lat};
      seen_any = true;
      return;
    }
    box.min_lon = std::min(box.min_lon, lon);
    box.max_lon = std::max(box.max_lon, lon);
    box.min_lat = std::min(box.min_lat, lat);
    box.max_lat = std::max(box.max_lat, lat);
    return;
  }
  if (!coordinates.is_array()) return;
  for (const json& element : coordinates) extend_with_positions(element, box, seen_any);
}

class BboxMatcher final : public RegionMatcher {
 public:
  explicit BboxMatcher(const std::vector<Region>& regions) {
    boxes_.reserve(regions.size());
    for (const Region& region : regions) boxes_.push_back(bounding_box_of(region));
  }

  std::optional<std::size_t> match(double lon, double lat) const override {
    for (std::size_t ordinal = 0; ordinal < boxes_.size(); ++ordinal) {
      if (boxes_[ordinal].contains(lon, lat)) return ordinal;
    }
    return std::nullopt;
  }

 private:
  std::vector<BoundingBox> boxes_;  // in source order: the index is the region's ordinal
};

}  // namespace

BoundingBox bounding_box_of(const Region& region) {
  const std::string what = "region \"" + region.code + "\"";
  const json geometry = json::parse(region.geometry_geojson, nullptr, /*allow_exceptions=*/false);
  if (geometry.is_discarded() || !geometry.is_object()) {
    throw Error(ExitCode::data, what + ": geometry is not a JSON object");
  }
  const auto coordinates = geometry.find("coordinates");
  BoundingBox box;
  bool seen_any = false;
  if (coordinates != geometry.end()) extend_with_positions(*coordinates, box, seen_any);
  if (!seen_any) throw Error(ExitCode::data, what + ": geometry has no coordinates");
  return box;
}

namespace geo_detail {

std::unique_ptr<RegionMatcher> make_bbox_matcher(const std::vector<Region>& regions) {
  return std::make_unique<BboxMatcher>(regions);
}

}  // namespace geo_detail
}  // namespace meteo
