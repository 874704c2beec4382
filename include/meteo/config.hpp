// The TOML configuration: parsed once, validated, secrets resolved from the environment or a 0600
// file.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
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
  std::size_t max_body_bytes = std::size_t{512} << 20;  // decoded bytes, enforced as they arrive
  // A transfer averaging under low_speed_bytes_per_second for low_speed_window is abandoned (and
  // retried) without waiting for total_timeout; a zero in either disables the guard.
  long low_speed_bytes_per_second = 100;
  std::chrono::seconds low_speed_window{30};
  std::string ca_file;  // empty: the system's trust store
  RetryPolicy retry;
};

// TLS to the database, named after MySQL's --ssl-mode. required encrypts without checking who
// answers; verify-ca also checks the certificate chain against tls_ca; verify-identity also checks
// that the certificate names the host connected to.
enum class DatabaseTls { off, required, verify_ca, verify_identity };

struct DatabaseConfig {
  std::string host = "127.0.0.1";
  int port = 3306;
  std::string socket;  // when set, used instead of host/port
  std::string user = "meteo";
  Secret password;
  std::string name = "meteo";
  std::chrono::seconds connect_timeout{10};
  DatabaseTls tls = DatabaseTls::off;
  std::string tls_ca;  // PEM CA certificate(s); required by verify-ca and verify-identity
  // A load transaction that hits a deadlock or a lock wait timeout is rolled back and re-run this
  // many times (after transaction_retry_backoff, doubled each time) before the run fails with 75.
  int transaction_retries = 3;
  std::chrono::milliseconds transaction_retry_backoff{250};
  std::optional<int> lock_wait_timeout_seconds;  // the session's innodb_lock_wait_timeout
  // Fresh readings go to the server by LOAD DATA LOCAL INFILE, several times faster than INSERT.
  // Off by default: a client that allows it lets the server ask for any file the tool can read,
  // so it is disabled on the connection unless this is set.
  bool load_data_local = false;
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

// Where an Opendatasoft station dataset keeps each measurement: Toulouse's names by default, so
// another city's portal is a [sources.fields] table away.
struct ObservationFields {
  std::string time = "heure_de_paris";  // ISO 8601 with offset
  std::string temperature = "temperature_en_degre_c";
  std::string humidity = "humidite";
  std::string pressure = "pression";
  std::string pressure_unit = "Pa";  // Pa or hPa; stored in hPa
  std::string rain = "pluie";        // mm over the record's interval
  std::string rain_intensity_max = "pluie_intensite_max";
  std::string wind_speed = "force_moyenne_du_vecteur_vent";        // km/h
  std::string gust = "force_rafale_max";                           // km/h
  std::string wind_direction = "direction_du_vecteur_vent_moyen";  // degrees
};

// Field names of the stations dataset (one record per station).
struct StationListFields {
  std::string dataset = "id_nom";  // the station's measurement dataset id (any case)
  std::string number = "id_numero";
  std::string latitude = "latitude";
  std::string longitude = "longitude";
  std::string altitude = "altitude";
  std::string type = "type_stati";
  std::string commune = "ville";
};

// An Opendatasoft portal publishing one dataset per weather station.
struct StationNetworkConfig {
  std::string base_url;  // https://data.toulouse-metropole.fr
  std::string stations_dataset = "stations-meteo-en-place";
  std::vector<std::string> datasets;          // explicit list, or:
  std::string dataset_pattern;                // discover: catalogue ids containing this text
  std::chrono::sys_seconds start{};           // where the first run begins
  std::chrono::hours lookback{2};             // re-read so late and corrected records land
  std::chrono::hours max_catch_up{24 * 7};    // per dataset and run: the rest follows next run
  std::chrono::hours export_window{24 * 31};  // backfill window of one exports/json request
  ObservationFields fields;
  StationListFields station_fields;
};

struct SourceConfig {
  std::string name;
  std::string type;  // "sensor-api" or "opendatasoft-stations"
  std::string url;   // sensor-api only
  Secret api_key;    // sent as X-API-Key
  std::vector<std::string> region_sets;
  // Country labels that mean "France" when counting label/geometry disagreements.
  std::vector<std::string> home_country_labels{"France", "FR", "FRA"};
  HttpSettings http;
  std::optional<StationNetworkConfig> stations;  // opendatasoft-stations only
};

struct LoggingConfig {
  std::string level = "info";   // as canonical_log_level returns it
  std::string format = "text";  // text or json
};

// The log levels, each the word a log line prints: trace, debug, info, warning, error, critical
// and off. "warn" and "err" are accepted spellings of warning and error. nullopt for any other.
std::optional<std::string> canonical_log_level(std::string_view name);

// Every spelling canonical_log_level accepts, for the command line's check.
std::vector<std::string> log_level_spellings();

// "trace, debug, info, warning (or warn), error (or err), critical or off": every level with its
// other spellings, for messages and help, so neither lags behind the parser.
std::string log_level_choices();

// The static dashboard written by `meteo-etl dashboard` (and by `run` when refresh_after_run).
struct DashboardConfig {
  std::string out;  // the site's directory
  bool refresh_after_run = false;
  std::string language = "fr";        // fr or en: the page's language
  int stale_after_minutes = 90;       // a source without success for this long is shown stale
  double simplify_tolerance = 0.002;  // degrees, for the shapes sent to the browser
};

// What `status` and the Prometheus textfile tell monitoring.
struct MonitoringConfig {
  // A source without a success for longer is stale (`status` exits 1). Unset in [monitoring]: the
  // [dashboard] value when there is one, so the page and `status` agree.
  int stale_after_minutes = 90;
  std::vector<std::pair<std::string, int>> stale_after_minutes_by_source;  // overrides
  std::filesystem::path metrics_file;  // *.prom written by `run`; empty: none

  int stale_after_minutes_for(std::string_view source) const;
};

// The raw archive (include/meteo/archive.hpp). A relative root is taken from the config file's
// directory, so a configuration and its archive move together.
struct ArchiveConfig {
  std::filesystem::path root = "archive";
  int retention_days = 0;     // 0 keeps everything
  int compression_level = 1;  // gzip 1-9: 1 keeps up with the network at a ratio near 6's
};

// Derived files that are safe to delete: today the region index, one file per region set
// version and index format (see make_indexed_matcher).
struct CacheConfig {
  std::filesystem::path dir = "cache";  // relative paths are relative to the config file
};

struct VerifyConfig {
  bool after_run = false;  // `run` checks the hours it touched (meteo-etl verify) before exiting
};

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
