// libFuzzer target: a region document (GeoJSON FeatureCollection or Opendatasoft export) read,
// then its contours handed to GEOS (repair, prepared geometries, STRtree) and simplified.
// Refusals are meteo::Error; anything else is a bug.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string_view>
#include <vector>

#include "meteo/core/errors.hpp"
#include "meteo/geo/regions.hpp"

namespace {

void use_regions(const std::vector<meteo::Region>& regions) {
  const auto bbox = meteo::make_region_matcher(regions, meteo::MatchingMode::bbox);
  for (std::size_t ordinal = 0; ordinal < regions.size(); ++ordinal) {
    const meteo::BoundingBox box = meteo::bounding_box_of(regions[ordinal]);
    // The corner lies in this region's own rectangle, so an earlier or this rectangle wins.
    const auto first = bbox->match(box.min_lon, box.min_lat);
    if (!first || *first > ordinal) std::abort();
  }
  const auto polygon = meteo::make_region_matcher(regions, meteo::MatchingMode::polygon);
  for (const meteo::Region& region : regions) {
    const meteo::BoundingBox box = meteo::bounding_box_of(region);
    polygon->match((box.min_lon + box.max_lon) / 2, (box.min_lat + box.max_lat) / 2);
  }
  meteo::simplified_feature_collection(regions, 0.01);
}

void read_as(std::string_view document, meteo::RegionFormat format) {
  meteo::RegionSetConfig spec{.name = "fuzz", .format = format};
  try {
    use_regions(meteo::parse_region_document(document, spec));
  } catch (const meteo::Error&) {
    // Expected: a document or a contour refused with a message.
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view document(reinterpret_cast<const char*>(data), size);
  read_as(document, meteo::RegionFormat::geojson);
  read_as(document, meteo::RegionFormat::opendatasoft);
  return 0;
}
