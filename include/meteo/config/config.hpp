// The TOML configuration: parsed once, validated, secrets resolved from the environment or a 0600
// file. Each module owns its settings (include/meteo/<module>/settings.hpp); this header gathers
// them into Config, which only the composition roots (pipeline, cli) should need.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "meteo/aggregate/settings.hpp"
#include "meteo/alerts/settings.hpp"
#include "meteo/analysis/settings.hpp"
#include "meteo/archive/settings.hpp"
#include "meteo/core/logging_settings.hpp"
#include "meteo/dashboard/settings.hpp"
#include "meteo/forecast/settings.hpp"
#include "meteo/geo/settings.hpp"
#include "meteo/http/settings.hpp"
#include "meteo/pipeline/settings.hpp"
#include "meteo/serve/settings.hpp"
#include "meteo/sources/settings.hpp"
#include "meteo/sources/stations/settings.hpp"
#include "meteo/store/settings.hpp"

namespace meteo {

struct Config {
  std::filesystem::path origin;  // the file it came from, for messages
  DatabaseConfig database;
  ArchiveConfig archive;
  CacheConfig cache;
  VerifyConfig verify;
  std::vector<RegionSetConfig> region_sets;
  std::vector<SourceConfig> sources;
  LoggingConfig logging;
  std::optional<DashboardConfig> dashboard;  // present when the file has a [dashboard] table
  MonitoringConfig monitoring;
  analysis::AnalysisSettings analysis;  // [analysis]: the learner, normalisation, interval
  AnalysisJobConfig analysis_job;       // [analysis]'s windows and [[interventions]]
  alerts::AlertSettings alerts;         // [alerts]: the rules, the notification command
  forecast::ForecastSettings forecast;  // [forecast]: horizons, history, the backtest
  ServeConfig serve;                    // [serve]: `meteo-etl serve`
  WatchConfig watch;                    // [watch]: the backoff of `meteo-etl watch`
  // [sources.daily] of each opendatasoft-stations source, by source name: its local days.
  std::map<std::string, aggregate::DailySettings, std::less<>> station_daily;

  // Throw Error(config) naming the missing entry.
  const RegionSetConfig& region_set(std::string_view name) const;
  const SourceConfig& source(std::string_view name) const;
  // The source's [sources.daily], or the defaults when it has none.
  aggregate::DailySettings daily_settings(std::string_view source) const;
};

// Reads one environment variable; injected so tests never touch the process environment.
using EnvironmentLookup = std::function<std::optional<std::string>(const std::string&)>;
EnvironmentLookup process_environment();

// Parses and validates; throws Error(config) with "<origin>: <key>: <problem>".
Config parse_config(std::string_view toml_text, const std::filesystem::path& origin,
                    const EnvironmentLookup& environment);

// Reads the file, then parse_config. Warns through `warn` when a file holding a secret is readable
// by others.
Config load_config(const std::filesystem::path& path, const EnvironmentLookup& environment,
                   const std::function<void(const std::string&)>& warn = {});

}  // namespace meteo
