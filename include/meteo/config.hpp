// The TOML configuration: parsed once, validated, secrets resolved from the environment or a 0600 file.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "meteo/secret.hpp"

namespace meteo {

struct RetryPolicy {
  int attempts = 4;  // total tries, the first included
  std::chrono::milliseconds initial_backoff{1000};
  std::chrono::milliseconds max_backoff{30000};
};

struct HttpSettings {
  std::chrono::milliseconds connect_timeout{10000};
  std::chrono::milliseconds total_timeout{60000};
  std::size_t max_body_bytes = std::size_t{512} << 20;
  std::string ca_file;  // empty: the system's trust store
  RetryPolicy retry;
};

struct DatabaseConfig {
  std::string host = "127.0.0.1";
  int port = 3306;
  std::string socket;  // when set, used instead of host/port
  std::string user = "meteo";
  Secret password;
  std::string name = "meteo";
  std::chrono::seconds connect_timeout{10};
};

enum class MatchingMode { polygon, bbox };
enum class RegionFormat { geojson, opendatasoft };

struct RegionSetConfig {
  std::string name;
  std::string location;  // http(s) URL, file:// URL or plain path
  RegionFormat format = RegionFormat::geojson;
  std::string code_field = "code";
  std::string name_field = "nom";
  MatchingMode matching = MatchingMode::polygon;
};

struct SourceConfig {
  std::string name;
  std::string type;  // "sensor-api"
  std::string url;
  Secret api_key;  // sent as X-API-Key
  std::vector<std::string> region_sets;
  // Country labels that mean "France" when counting label/geometry disagreements.
  std::vector<std::string> home_country_labels{"France", "FR", "FRA"};
  HttpSettings http;
};

struct LoggingConfig {
  std::string level = "info";   // trace, debug, info, warn, error, critical, off
  std::string format = "text";  // text or json
};

struct Config {
  std::filesystem::path origin;  // the file it came from, for messages
  DatabaseConfig database;
  std::vector<RegionSetConfig> region_sets;
  std::vector<SourceConfig> sources;
  LoggingConfig logging;

  // Throw Error(config) naming the missing entry.
  const RegionSetConfig& region_set(std::string_view name) const;
  const SourceConfig& source(std::string_view name) const;
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
