#include "source_regions.hpp"

namespace meteo {

std::vector<const RegionSet*> SourceRegions::set_pointers() const {
  std::vector<const RegionSet*> pointers;
  for (const auto& set : sets) pointers.push_back(&set);
  return pointers;
}

std::vector<const RegionMatcher*> SourceRegions::matcher_pointers() const {
  std::vector<const RegionMatcher*> pointers;
  for (const auto& matcher : matchers) pointers.push_back(matcher.get());
  return pointers;
}

SourceRegions load_source_regions(Database& db, const Config& config, const SourceConfig& source) {
  SourceRegions loaded;
  for (const auto& name : source.region_sets) {
    loaded.sets.push_back(load_region_set(db, name));
    loaded.matchers.push_back(make_region_matcher(
        loaded.sets.back().regions, config.region_set(name).matching, region_index_cache(config)));
  }
  return loaded;
}

}  // namespace meteo
