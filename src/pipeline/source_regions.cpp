#include "meteo/pipeline/source_regions.hpp"

#include <algorithm>
#include <cctype>
#include <string_view>

#include "meteo/core/errors.hpp"
#include "meteo/core/hashing.hpp"
#include "meteo/http/client.hpp"
#include "meteo/store/region_sets.hpp"

namespace meteo::pipeline {
namespace {

bool is_web_url(std::string_view location) {
  const auto scheme_is = [&](std::string_view scheme) {
    return location.size() > scheme.size() &&
           std::equal(scheme.begin(), scheme.end(), location.begin(), [](char a, char b) {
             return a == std::tolower(static_cast<unsigned char>(b));
           });
  };
  return scheme_is("http://") || scheme_is("https://");
}

// The version of the contents this config declares under the set's name. A web document is read
// again only when it is not the one the stored version came from: a run downloads no contours
// for its own set, and a changed document at the same URL is taken by `regions load --replace`.
std::optional<std::string> declared_version(const RegionSetConfig& declared,
                                            const RegionSetRecord& stored, spdlog::logger& log) {
  if (is_web_url(declared.location) && declared.location == stored.location) return std::nullopt;
  HttpClient http(HttpSettings{}, log);
  return fingerprint(read_location(declared.location, http));
}

// A run matches only against the contours its config declares: another config (or an edited
// document) with other contents under the same name must not be matched against silently.
void require_declared_version(Database& db, const RegionSetConfig& declared, const RegionSet& set,
                              spdlog::logger& log) {
  const auto stored = find_region_set(db, set.name);
  if (!stored) return;  // load_region_set found it: it was removed meanwhile, the load will say
  const auto version = declared_version(declared, *stored, log);
  if (!version || *version == set.checksum) return;
  throw Error(ExitCode::config,
              "region set " + set.name + ": this config's " + declared.location + " is version " +
                  *version + " but the database holds version " + set.checksum +
                  " under this name, loaded from " + stored->location + " at " + stored->loaded_at +
                  " UTC; refusing to match against other contours than the config's. Make"
                  " this version the set's with `meteo-etl regions load --set " +
                  set.name +
                  " --replace` (its stored readings are matched again), or give this config's"
                  " set another name");
}

}  // namespace

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

SourceRegions load_source_regions(Database& db, const Config& config, const SourceConfig& source,
                                  spdlog::logger& log) {
  SourceRegions loaded;
  for (const auto& name : source.region_sets) {
    const RegionSetConfig& declared = config.region_set(name);
    loaded.sets.push_back(load_region_set(db, name));
    require_declared_version(db, declared, loaded.sets.back(), log);
    loaded.matchers.push_back(make_region_matcher(loaded.sets.back().regions, declared.matching,
                                                  region_index_cache(config)));
  }
  return loaded;
}

}  // namespace meteo::pipeline
