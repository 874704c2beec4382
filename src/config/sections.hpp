// One reader per section of the configuration file, each in its read_<section>.cpp. parse_config
// (config.cpp) calls them in a fixed order, which decides the mistake a file with several is told
// about, then checks the references between sections.
#pragma once

#include <toml++/toml.h>

#include <initializer_list>
#include <string>
#include <string_view>

#include "meteo/config/config.hpp"
#include "reader.hpp"

namespace meteo::config_detail {

// A missing table (nullptr) gives the section's defaults.
DatabaseConfig read_database(const ConfigReader& reader, const toml::table* t);
LoggingConfig read_logging(const ConfigReader& reader, const toml::table* t);
ArchiveConfig read_archive(const ConfigReader& reader, const toml::table* t);
CacheConfig read_cache(const ConfigReader& reader, const toml::table* t);
VerifyConfig read_verify(const ConfigReader& reader, const toml::table* t);
WatchConfig read_watch(const ConfigReader& reader, const toml::table* t);
DashboardConfig read_dashboard(const ConfigReader& reader, const toml::table& t);
ServeConfig read_serve(const ConfigReader& reader, const toml::table* t);
// Reads after the sources: a per-source override must name a configured source.
MonitoringConfig read_monitoring(const ConfigReader& reader, const toml::table* t,
                                 const Config& config);
// [analysis] and [[interventions]] (the root table): the learner's settings and the job's.
void read_analysis(const ConfigReader& reader, const toml::table& root, Config& config);
// [alerts] and [forecast] (the root table): the hourly run's peaks, alerts and forecasts.
void read_alerts_and_forecast(const ConfigReader& reader, const toml::table& root, Config& config);
// [sources.daily] of the source just read (config.sources.back()): only a station network has one.
void read_station_daily(const ConfigReader& reader, const toml::table& t, const std::string& where,
                        Config& config);
RegionSetConfig read_region_set(const ConfigReader& reader, const toml::table& t,
                                const std::string& where);
HttpSettings read_http(const ConfigReader& reader, const toml::table* t, const std::string& where);
SourceConfig read_source(const ConfigReader& reader, const toml::table& t,
                         const std::string& where);

// What one source type reads beyond the keys every source has: its own keys, checked with
// expect_source_keys first. Each is a row of the table in read_sources.cpp.
using SourceTypeReader = void (*)(const ConfigReader& reader, const toml::table& t,
                                  const std::string& where, SourceConfig& source);
void read_sensor_feed(const ConfigReader& reader, const toml::table& t, const std::string& where,
                      SourceConfig& source);
void read_station_network(const ConfigReader& reader, const toml::table& t,
                          const std::string& where, SourceConfig& source);
void read_air_quality(const ConfigReader& reader, const toml::table& t, const std::string& where,
                      SourceConfig& source);

// Unknown keys of a source are errors; the keys every source has are known already.
void expect_source_keys(const ConfigReader& reader, const toml::table& t, const std::string& where,
                        std::initializer_list<std::string_view> type_keys);

}  // namespace meteo::config_detail
