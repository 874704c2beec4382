// The region index in front of GEOS: most points are answered by one lookup; those in a border
// cell get GEOS's exact test, against only the regions whose boundary crosses that cell.
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <system_error>

#include "exact_regions.hpp"
#include "matchers.hpp"
#include "meteo/core/errors.hpp"
#include "meteo/core/file_modes.hpp"
#include "meteo/core/hashing.hpp"
#include "meteo/geo/regions.hpp"
#include "region_index.hpp"

namespace meteo::geo_detail {
namespace {

constexpr const char* kIndexFormat = "meteo-region-index/2";

// What decides the index: its format, its depth and every contour in source order.
std::string index_key(const std::vector<Region>& regions, int max_depth) {
  Sha256 digest;
  const auto add = [&](const std::string& text) {
    const std::uint64_t length = text.size();  // length-prefixed: no two sets hash alike
    digest.update(std::string_view(reinterpret_cast<const char*>(&length), sizeof length));
    digest.update(text);
  };
  add(kIndexFormat);
  add(std::to_string(max_depth));
  for (const Region& region : regions) add(region.geometry_geojson);
  return digest.hex();
}

std::optional<RegionIndex> read_cached(const std::filesystem::path& file, std::size_t regions) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::optional<RegionIndex> index = RegionIndex::load(in);
  if (index && !index->is_well_formed(regions)) return std::nullopt;
  return index;
}

// Best effort: a cache that cannot be written only costs the next run a rebuild. Written under a
// temporary name and renamed, so a concurrent reader sees a whole file or none.
// Private whatever the umask: a planted index would be trusted to match points.
void write_cached(const std::filesystem::path& file, const RegionIndex& index) {
  std::error_code ignored;
  try {
    create_directories_with_mode(file.parent_path(), kPrivateDirectoryMode);
  } catch (const std::filesystem::filesystem_error&) {
    return;
  }
  const std::filesystem::path temporary =
      file.parent_path() / (".tmp-" + std::to_string(::getpid()) + "-" + file.filename().string());
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) return;
    index.save(out);
    out.flush();
    if (!out) {
      out.close();
      std::filesystem::remove(temporary, ignored);
      return;
    }
  }
  std::filesystem::permissions(temporary, kPrivateFileMode, std::filesystem::perm_options::replace,
                               ignored);
  if (ignored) {
    std::filesystem::remove(temporary, ignored);
    return;
  }
  std::filesystem::rename(temporary, file, ignored);
  if (ignored) std::filesystem::remove(temporary, ignored);
}

// Not thread-safe (see ExactRegions): use one matcher per thread.
class IndexedMatcher final : public IndexedRegionMatcher {
 public:
  IndexedMatcher(const std::vector<Region>& regions, const RegionIndexOptions& options)
      : exact_(regions) {
    const auto started = std::chrono::steady_clock::now();
    stats_.key = index_key(regions, options.max_depth);
    const std::filesystem::path cache_file =
        options.cache_dir.empty() ? std::filesystem::path()
                                  : options.cache_dir / ("region-index-" + stats_.key + ".bin");
    std::optional<RegionIndex> cached;
    if (!cache_file.empty()) cached = read_cached(cache_file, regions.size());
    stats_.from_cache = cached.has_value();
    index_ = cached ? std::move(*cached) : RegionIndex::build(exact_, options.max_depth);
    if (!cache_file.empty() && !stats_.from_cache) write_cached(cache_file, index_);
    stats_.build_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    stats_.memory_bytes = index_.memory_bytes();
    stats_.nodes = index_.node_count();
    stats_.border_leaves = index_.border_leaf_count();
    stats_.depth = index_.depth();
  }

  std::optional<std::size_t> match(double lon, double lat) const override {
    const IndexAnswer answer = index_.lookup(lon, lat);
    switch (answer.kind) {
      case IndexAnswer::Kind::none:
        return std::nullopt;
      case IndexAnswer::Kind::region:
        return answer.region;
      case IndexAnswer::Kind::candidates:
        break;
    }
    const geos::Geometry point = geos::make_point(exact_.context(), lon, lat);
    for (std::uint32_t i = 0; i < answer.candidate_count; ++i) {
      const std::uint32_t candidate = answer.candidates[i];
      if ((candidate & RegionIndex::kCoversCell) != 0) return candidate & ~RegionIndex::kCoversCell;
      if (exact_.covers(candidate, *point)) return candidate;
    }
    return std::nullopt;
  }

  const RegionIndexStats& stats() const override { return stats_; }

 private:
  ExactRegions exact_;
  RegionIndex index_;
  RegionIndexStats stats_;
};

}  // namespace
}  // namespace meteo::geo_detail

namespace meteo {

std::unique_ptr<IndexedRegionMatcher> make_indexed_matcher(const std::vector<Region>& regions,
                                                           const RegionIndexOptions& options) {
  return std::make_unique<geo_detail::IndexedMatcher>(regions, options);
}

std::unique_ptr<RegionMatcher> make_geos_matcher(const std::vector<Region>& regions) {
  return geo_detail::make_polygon_matcher(regions);
}

}  // namespace meteo
