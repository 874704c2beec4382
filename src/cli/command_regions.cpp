#include <spdlog/spdlog.h>

#include <algorithm>
#include <memory>

#include "commands.hpp"
#include "manual.hpp"
#include "meteo/errors.hpp"
#include "meteo/geo.hpp"
#include "meteo/http.hpp"
#include "meteo/store.hpp"
#include "source_regions.hpp"

namespace meteo {
namespace {

// Downloads (or reads) one set's document, checks every contour and stores the set.
void load_one_set(const RegionSetConfig& config, const std::filesystem::path& index_cache,
                  HttpClient& http, Database& db, spdlog::logger& log) {
  log.info("region set {}: reading {}", config.name, config.location);
  const std::string document = read_location(config.location, http);
  RegionSet set{config.name, fingerprint(document), {}};
  try {
    set.regions = parse_region_document(document, config);
  } catch (const Error& error) {
    throw Error(error.code(), config.location + ": " + error.what());
  }
  // Building the matcher proves every contour is usable before anything is stored; the index it
  // caches spares the first run the build.
  if (config.matching == MatchingMode::polygon) {
    RegionIndexOptions options;
    options.cache_dir = index_cache;
    const RegionIndexStats stats = make_indexed_matcher(set.regions, options)->stats();
    log.info("region set {}: index {} in {:.2f} s, {:.1f} MB, {} nodes, {} border cells, depth {}",
             config.name, stats.from_cache ? "read from the cache" : "built", stats.build_seconds,
             stats.memory_bytes / 1e6, stats.nodes, stats.border_leaves, stats.depth);
  } else {
    make_region_matcher(set.regions, config.matching);
  }
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
  load->add_option("--set", *only, "load only this set (repeatable); default: every set")
      ->type_name("NAME");
  set_examples(*app, {"meteo-etl regions load", "meteo-etl regions load --set fr-regions"});
  set_examples(*load, {"meteo-etl regions load --set fr-regions"});
  return {app, [only](CommandContext& context) {
            for (const auto& name : *only) context.config.region_set(name);  // names typos
            Database db = Database::connect(context.config.database);
            require_current_schema(db, bundled_migrations());
            HttpClient http(HttpSettings{}, context.log);
            for (const auto& set : context.config.region_sets) {
              const bool wanted =
                  only->empty() || std::find(only->begin(), only->end(), set.name) != only->end();
              if (wanted) {
                load_one_set(set, region_index_cache(context.config), http, db, context.log);
              }
            }
            return 0;
          }};
}

}  // namespace meteo
