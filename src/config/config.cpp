// parse_config reads the sections in order (each in its read_<section>.cpp) and checks the names
// that one section gives and another refers to.
#include "meteo/config/config.hpp"

#include <sys/stat.h>
#include <toml++/toml.h>

#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

#include "meteo/core/errors.hpp"
#include "reader.hpp"
#include "sections.hpp"

namespace meteo {
namespace {

using config_detail::ConfigReader;

// An air-quality source pairs its stations with those of a station network of the same file.
void check_weather_source(const ConfigReader& reader, const Config& config,
                          const SourceConfig& source, const std::string& where) {
  if (!source.air_quality || source.air_quality->weather_source.empty()) return;
  const std::string& named = source.air_quality->weather_source;
  for (const auto& other : config.sources) {
    if (other.name == named) {
      if (other.stations) return;
      reader.fail(where + ".weather_source", "source \"" + named + "\" is of type " + other.type +
                                                 ", not opendatasoft-stations");
    }
  }
  reader.fail(where + ".weather_source", "no [[sources]] entry is named \"" + named + "\"");
}

void check_references(const ConfigReader& reader, const Config& config) {
  std::set<std::string> set_names, source_names;
  for (std::size_t i = 0; i < config.region_sets.size(); ++i) {
    if (!set_names.insert(config.region_sets[i].name).second) {
      reader.fail("region_sets[" + std::to_string(i) + "].name",
                  "duplicate name \"" + config.region_sets[i].name + "\"");
    }
  }
  for (std::size_t i = 0; i < config.sources.size(); ++i) {
    const auto& source = config.sources[i];
    const std::string where = "sources[" + std::to_string(i) + "]";
    if (!source_names.insert(source.name).second) {
      reader.fail(where + ".name", "duplicate name \"" + source.name + "\"");
    }
    for (const auto& set : source.region_sets) {
      if (!set_names.count(set)) {
        reader.fail(where + ".region_sets", "no [[region_sets]] entry is named \"" + set + "\"");
      }
    }
    check_weather_source(reader, config, source, where);
  }
}

}  // namespace

const RegionSetConfig& Config::region_set(std::string_view name) const {
  for (const auto& set : region_sets) {
    if (set.name == name) return set;
  }
  throw Error(ExitCode::config, origin.string() + ": no [[region_sets]] entry is named \"" +
                                    std::string(name) + "\"");
}

const SourceConfig& Config::source(std::string_view name) const {
  for (const auto& source : sources) {
    if (source.name == name) return source;
  }
  throw Error(ExitCode::config,
              origin.string() + ": no [[sources]] entry is named \"" + std::string(name) + "\"");
}

aggregate::DailySettings Config::daily_settings(std::string_view source) const {
  const auto found = station_daily.find(source);
  return found == station_daily.end() ? aggregate::DailySettings{} : found->second;
}

EnvironmentLookup process_environment() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    return value ? std::optional<std::string>(value) : std::nullopt;
  };
}

Config parse_config(std::string_view toml_text, const std::filesystem::path& origin,
                    const EnvironmentLookup& environment) {
  using namespace config_detail;
  toml::table root;
  try {
    root = toml::parse(toml_text, origin.string());
  } catch (const toml::parse_error& error) {
    const auto& where = error.source().begin;
    throw Error(ExitCode::config, origin.string() + ":" + std::to_string(where.line) + ":" +
                                      std::to_string(where.column) + ": " +
                                      std::string(error.description()));
  }
  const ConfigReader reader(origin, environment);
  reader.expect_only(
      root, "",
      {"database", "archive", "cache", "verify", "logging", "region_sets", "sources", "dashboard",
       "monitoring", "analysis", "interventions", "alerts", "forecast", "serve", "watch"});
  Config config;
  config.origin = origin;
  config.database = read_database(reader, reader.subtable(root, "", "database"));
  config.archive = read_archive(reader, reader.subtable(root, "", "archive"));
  config.cache = read_cache(reader, reader.subtable(root, "", "cache"));
  config.verify = read_verify(reader, reader.subtable(root, "", "verify"));
  config.watch = read_watch(reader, reader.subtable(root, "", "watch"));
  config.logging = read_logging(reader, reader.subtable(root, "", "logging"));
  if (const toml::table* dashboard = reader.subtable(root, "", "dashboard")) {
    config.dashboard = read_dashboard(reader, *dashboard);
  }
  config.serve = read_serve(reader, reader.subtable(root, "", "serve"));
  reader.for_each_table_in_array(root, "region_sets", [&](const toml::table& t, const auto& where) {
    config.region_sets.push_back(read_region_set(reader, t, where));
  });
  reader.for_each_table_in_array(root, "sources", [&](const toml::table& t, const auto& where) {
    config.sources.push_back(read_source(reader, t, where));
    read_station_daily(reader, t, where, config);
  });
  check_references(reader, config);
  config.monitoring = read_monitoring(reader, reader.subtable(root, "", "monitoring"), config);
  read_analysis(reader, root, config);
  read_alerts_and_forecast(reader, root, config);
  return config;
}

Config load_config(const std::filesystem::path& path, const EnvironmentLookup& environment,
                   const std::function<void(const std::string&)>& warn) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw Error(ExitCode::config, path.string() + ": cannot read the configuration file");
  }
  std::stringstream content;
  content << in.rdbuf();
  Config config = parse_config(content.str(), path, environment);
  // Secrets never live in the file, but whoever can edit it can point the tool elsewhere.
  struct stat info {};
  if (warn && ::stat(path.c_str(), &info) == 0 && (info.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
    warn(path.string() + " is writable by group or others: chmod go-w it");
  }
  return config;
}

}  // namespace meteo
