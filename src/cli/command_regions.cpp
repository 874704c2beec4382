#include <spdlog/spdlog.h>

#include <algorithm>
#include <memory>

#include "commands.hpp"
#include "manual.hpp"
#include "meteo/core/errors.hpp"
#include "meteo/geo/regions.hpp"
#include "meteo/http/client.hpp"
#include "meteo/pipeline/source_regions.hpp"
#include "meteo/store/migrations.hpp"
#include "meteo/store/region_sets.hpp"

namespace meteo {
namespace {

// Building the matcher proves every contour is usable before anything is stored; the index it
// caches spares the first run the build.
std::unique_ptr<RegionMatcher> checked_matcher(const RegionSetConfig& config,
                                               const std::vector<Region>& regions,
                                               const std::filesystem::path& index_cache,
                                               spdlog::logger& log) {
  if (config.matching != MatchingMode::polygon) {
    return make_region_matcher(regions, config.matching);
  }
  RegionIndexOptions options;
  options.cache_dir = index_cache;
  auto matcher = make_indexed_matcher(regions, options);
  const RegionIndexStats& stats = matcher->stats();
  log.info("region set {}: index {} in {:.2f} s, {:.1f} MB, {} nodes, {} border cells, depth {}",
           config.name, stats.from_cache ? "read from the cache" : "built", stats.build_seconds,
           stats.memory_bytes / 1e6, stats.nodes, stats.border_leaves, stats.depth);
  return matcher;
}

void replace_set(const RegionSetConfig& config, const RegionSet& set, const RegionMatcher& matcher,
                 Database& db, spdlog::logger& log) {
  const RegionSetReplacement outcome = replace_region_set(
      db, config, set, [&](double lon, double lat) { return matcher.match(lon, lat); });
  if (!outcome.changed) {
    log.info("region set {}: version {} already loaded, nothing to do", config.name, set.checksum);
  } else if (!outcome.previous_checksum) {
    log.info("region set {}: stored {} regions (version {})", config.name, set.regions.size(),
             set.checksum);
  } else {
    log.info(
        "region set {}: version {} replaced version {} ({} regions): {} stored reading(s) and {}"
        " station(s) matched to another region, aggregates of {} hour(s) recomputed",
        config.name, set.checksum, *outcome.previous_checksum, set.regions.size(),
        outcome.readings_moved, outcome.stations_moved, outcome.hours_recomputed);
  }
}

// Downloads (or reads) one set's document, checks every contour and stores the set.
void load_one_set(const RegionSetConfig& config, const std::filesystem::path& index_cache,
                  bool replace, HttpClient& http, Database& db, spdlog::logger& log) {
  log.info("region set {}: reading {}", config.name, config.location);
  const std::string document = read_location(config.location, http);
  RegionSet set{config.name, fingerprint(document), {}};
  try {
    set.regions = parse_region_document(document, config);
  } catch (const Error& error) {
    throw Error(error.code(), config.location + ": " + error.what());
  }
  const auto matcher = checked_matcher(config, set.regions, index_cache, log);
  if (replace) return replace_set(config, set, *matcher, db, log);
  if (save_region_set(db, config, set)) {
    log.info("region set {}: stored {} regions (version {})", config.name, set.regions.size(),
             set.checksum);
  } else {
    log.info("region set {}: version {} already loaded, nothing to do", config.name, set.checksum);
  }
}

}  // namespace

CommandRegistration register_regions(CLI::App& parent) {
  CLI::App* app = parent.add_subcommand("regions", "manage region reference data");
  app->require_subcommand(1);
  CLI::App* load = app->add_subcommand("load", "download the configured region sets into the DB");
  auto only = std::make_shared<std::vector<std::string>>();
  auto replace = std::make_shared<bool>(false);
  load->add_option("--set", *only, "load only this set (repeatable); default: every set")
      ->type_name("NAME");
  load->add_flag("--replace", *replace,
                 "let a set's name take other contents than those stored under it, matching its"
                 " stored readings and stations again and recomputing its aggregates");
  set_examples(*app, {"meteo-etl regions load", "meteo-etl regions load --set fr-regions"});
  set_examples(*load, {"meteo-etl regions load --set fr-regions",
                       "meteo-etl regions load --set fr-regions --replace"});
  return {app, [only, replace](CommandContext& context) {
            for (const auto& name : *only) context.config.region_set(name);  // names typos
            Database db = Database::connect(context.config.database);
            require_current_schema(db, bundled_migrations());
            HttpClient http(HttpSettings{}, context.log);
            for (const auto& set : context.config.region_sets) {
              const bool wanted =
                  only->empty() || std::find(only->begin(), only->end(), set.name) != only->end();
              if (wanted) {
                load_one_set(set, pipeline::region_index_cache(context.config), *replace, http, db,
                             context.log);
              }
            }
            return 0;
          }};
}

}  // namespace meteo
