// Region contours: reading them from open-data documents and matching points to them.
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "meteo/geo/settings.hpp"
#include "meteo/model/records.hpp"

namespace meteo {

struct BoundingBox {
  double min_lon = 0, min_lat = 0, max_lon = 0, max_lat = 0;
  bool contains(double lon, double lat) const {  // edges inclusive
    return lon >= min_lon && lon <= max_lon && lat >= min_lat && lat <= max_lat;
  }
};

// Reads a GeoJSON FeatureCollection, or Opendatasoft records (v1 `records[].fields`, v2.1
// `results[]`, or an exports/json array) whose `geo_shape` is a geometry or a Feature, into
// regions in source order. Codes and names come from spec.code_field / spec.name_field (a
// one-element array is accepted, as Opendatasoft's georef exports use). Throws Error(data) naming
// the feature's position and code when a geometry is missing, not a (Multi)Polygon, or unreadable.
std::vector<Region> parse_region_document(std::string_view document, const RegionSetConfig& spec);

// The min/max of every coordinate of the region's contour.
BoundingBox bounding_box_of(const Region& region);

// Answers which region covers a point: the first in source order, borders included.
class RegionMatcher {
 public:
  virtual ~RegionMatcher() = default;
  virtual std::optional<std::size_t> match(double lon, double lat) const = 0;
};

// polygon: the region index below (answers identical to make_geos_matcher's).
// bbox: the classic rule, first rectangle in source order containing the point, edges inclusive.
// Not thread-safe: use one matcher per thread.
std::unique_ptr<RegionMatcher> make_region_matcher(
    const std::vector<Region>& regions, MatchingMode mode,
    const std::filesystem::path& index_cache_dir = {});

// The exact baseline: GEOS prepared geometries behind an STRtree, covers test per candidate.
std::unique_ptr<RegionMatcher> make_geos_matcher(const std::vector<Region>& regions);

struct RegionIndexOptions {
  int max_depth = 14;  // quadtree levels below the root square: 16 is no faster, 4x the memory
  std::filesystem::path cache_dir;  // empty: build every time, never store
};

struct RegionIndexStats {
  double build_seconds = 0;  // classifying cells, or reading the cache file
  bool from_cache = false;
  std::size_t memory_bytes = 0;  // the index's own arrays (GEOS geometries not included)
  std::size_t nodes = 0;
  std::size_t border_leaves = 0;  // leaves whose points need the exact test
  int depth = 0;                  // deepest leaf
  std::string key;                // sha256 of the region set and index format: the cache key
};

// A quadtree over the regions' envelope whose leaves are either answered outright (no region, or
// one region covering the whole closed cell while every earlier region misses it) or list the
// few regions whose boundary touches the cell; only those fall back to GEOS's exact test.
class IndexedRegionMatcher : public RegionMatcher {
 public:
  virtual const RegionIndexStats& stats() const = 0;
};

std::unique_ptr<IndexedRegionMatcher> make_indexed_matcher(const std::vector<Region>& regions,
                                                           const RegionIndexOptions& options = {});

// The regions as a GeoJSON FeatureCollection for a browser: each contour simplified with GEOS's
// topology-preserving simplifier (so no ring collapses or crosses itself), properties
// {"code", "name"}, in source order. Throws Error(data) naming a region GEOS cannot read.
std::string simplified_feature_collection(const std::vector<Region>& regions,
                                          double tolerance_degrees);

// The GEOS library this binary runs with, as GEOSversion() reports it (for --version).
std::string geos_version();

}  // namespace meteo
