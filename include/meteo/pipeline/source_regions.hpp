// The region sets a source feeds, read from the database, each with its matcher.
#pragma once

#include <filesystem>
#include <memory>
#include <vector>

#include "meteo/config/config.hpp"
#include "meteo/geo/regions.hpp"
#include "meteo/store/database.hpp"

namespace spdlog {
class logger;
}

namespace meteo::pipeline {

struct SourceRegions {
  std::vector<RegionSet> sets;  // in the source's order: the first is its primary geography
  std::vector<std::unique_ptr<RegionMatcher>> matchers;

  std::vector<const RegionSet*> set_pointers() const;
  std::vector<const RegionMatcher*> matcher_pointers() const;
};

// Where region indexes are cached: a directory of the configured cache.
inline std::filesystem::path region_index_cache(const Config& config) {
  return config.cache.dir / "region-index";
}

// Throws Error(config) naming the set when one has not been loaded yet, or when the contents the
// config declares for it (its document's checksum) are not the version the database holds under
// its name. A web document is compared only when its URL is not the stored version's.
SourceRegions load_source_regions(Database& db, const Config& config, const SourceConfig& source,
                                  spdlog::logger& log);

}  // namespace meteo::pipeline
