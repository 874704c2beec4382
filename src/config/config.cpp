#include "meteo/config.hpp"

#include <sys/stat.h>
#include <toml++/toml.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <initializer_list>
#include <set>
#include <sstream>
#include <system_error>

#include "meteo/errors.hpp"
#include "meteo/names.hpp"
#include "meteo/time.hpp"

namespace meteo {
namespace {

// Nothing but spaces, tabs or line breaks: no secret, however it was delivered.
bool blank(std::string_view value) {
  return std::all_of(value.begin(), value.end(),
                     [](unsigned char c) { return std::isspace(c) != 0; });
}

// Every message names the file and the key: "<file>: sources[1].url: must be http(s)".
class ConfigReader {
 public:
  ConfigReader(std::filesystem::path origin, const EnvironmentLookup& environment)
      : origin_(std::move(origin)), environment_(environment) {}

  [[noreturn]] void fail(const std::string& key, const std::string& problem) const {
    throw Error(ExitCode::config, origin_.string() + ": " + key + ": " + problem);
  }

  // Unknown keys are errors: a typo must not silently fall back to a default.
  void expect_only(const toml::table& table, const std::string& where,
                   std::initializer_list<std::string_view> known) const {
    for (const auto& [key, value] : table) {
      bool found = false;
      for (auto k : known) found = found || k == key.str();
      if (found) continue;
      if (key.str() == "password" || key.str() == "api_key") {
        fail(join(where, key.str()),
             "secrets never go in the config file: name an environment "
             "variable with " +
                 std::string(key.str()) +
                 "_env or a 0600 "
                 "file with " +
                 std::string(key.str()) + "_file");
      }
      fail(join(where, key.str()), "unknown key");
    }
  }

  // A relative path in the file is relative to the file's directory, never to the working
  // directory (cron's is anyone's guess); made absolute, so messages name the full path.
  std::filesystem::path resolve(const std::filesystem::path& path) const {
    if (path.empty() || path.is_absolute()) return path;
    std::error_code error;
    const std::filesystem::path file = std::filesystem::absolute(origin_, error);
    return (error ? origin_ : file).parent_path() / path;
  }

  void require_plain_name(const std::string& key, const std::string& name) const {
    if (!is_plain_name(name)) fail(key, std::string(kPlainNameRule) + " (got \"" + name + "\")");
  }

  static std::string join(const std::string& where, std::string_view key) {
    return where.empty() ? std::string(key) : where + "." + std::string(key);
  }

  void read_string(const toml::table& t, const std::string& where, std::string_view key,
                   std::string& out) const {
    if (const toml::node* node = t.get(key)) {
      auto value = node->value<std::string>();
      if (!node->is_string() || !value) fail(join(where, key), "must be a string");
      out = *value;
    }
  }

  void read_bool(const toml::table& t, const std::string& where, std::string_view key,
                 bool& out) const {
    if (const toml::node* node = t.get(key)) {
      if (!node->is_boolean()) fail(join(where, key), "must be true or false");
      out = node->as_boolean()->get();
    }
  }

  std::string required_string(const toml::table& t, const std::string& where,
                              std::string_view key) const {
    std::string out;
    read_string(t, where, key, out);
    if (out.empty()) fail(join(where, key), "is required");
    return out;
  }

  template <typename Int>
  void read_integer(const toml::table& t, const std::string& where, std::string_view key, Int& out,
                    long long min, long long max) const {
    if (const toml::node* node = t.get(key)) {
      if (!node->is_integer()) fail(join(where, key), "must be an integer");
      const long long value = node->as_integer()->get();
      if (value < min || value > max) {
        fail(join(where, key), "must be between " + std::to_string(min) + " and " +
                                   std::to_string(max) + " (got " + std::to_string(value) + ")");
      }
      out = static_cast<Int>(value);
    }
  }

  std::vector<std::string> read_string_array(const toml::table& t, const std::string& where,
                                             std::string_view key) const {
    std::vector<std::string> out;
    const toml::node* node = t.get(key);
    if (!node) return out;
    const toml::array* array = node->as_array();
    if (!array) fail(join(where, key), "must be an array of strings");
    for (const auto& element : *array) {
      auto value = element.value<std::string>();
      if (!element.is_string() || !value) fail(join(where, key), "must be an array of strings");
      out.push_back(*value);
    }
    return out;
  }

  // A secret comes from the environment variable named by <key>_env, or the file named by
  // <key>_file, which must not be readable by group or others. Never from the file itself.
  Secret read_secret(const toml::table& t, const std::string& where, std::string_view key) const {
    std::string variable, file;
    read_string(t, where, std::string(key) + "_env", variable);
    read_string(t, where, std::string(key) + "_file", file);
    if (!variable.empty() && !file.empty()) {
      fail(join(where, key),
           "set " + std::string(key) + "_env or " + std::string(key) + "_file, not both");
    }
    if (!variable.empty()) {
      auto value = environment_(variable);
      const std::string key_env = join(where, std::string(key) + "_env");
      if (!value) fail(key_env, "environment variable " + variable + " is not set");
      // Set but blank, as `export KEY=` in a crontab leaves it: refused like an empty file.
      if (blank(*value)) fail(key_env, "environment variable " + variable + " is empty");
      return Secret(*value);
    }
    if (!file.empty()) return read_secret_file(join(where, std::string(key) + "_file"), file);
    return Secret();
  }

  Secret read_secret_file(const std::string& key, const std::string& named) const {
    const std::string path = resolve(named).string();
    const auto cannot_read = [&](int error_number) {
      fail(key, "cannot read " + path + ": " + std::strerror(error_number));
    };
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0) cannot_read(errno);
    if ((info.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
      fail(key, path + " is readable by others: chmod 600 it");
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) cannot_read(errno);
    std::stringstream content;
    content << in.rdbuf();
    if (in.bad()) cannot_read(errno);
    std::string value = content.str();
    while (!value.empty() && (value.back() == '\n' || value.back() == '\r')) value.pop_back();
    // An empty file is a deployment mistake, not a secret: sending an empty key would only earn a
    // 401 an hour later, far from the cause.
    if (blank(value)) fail(key, path + " is empty");
    return Secret(std::move(value));
  }

  const toml::table* subtable(const toml::table& t, const std::string& where,
                              std::string_view key) const {
    const toml::node* node = t.get(key);
    if (!node) return nullptr;
    if (!node->is_table()) fail(join(where, key), "must be a table");
    return node->as_table();
  }

  template <typename Visit>
  void for_each_table_in_array(const toml::table& t, std::string_view key, Visit visit) const {
    const toml::node* node = t.get(key);
    if (!node) return;
    const toml::array* array = node->as_array();
    if (!array) fail(std::string(key), "must be an array of tables: [[" + std::string(key) + "]]");
    for (std::size_t i = 0; i < array->size(); ++i) {
      const std::string where = std::string(key) + "[" + std::to_string(i) + "]";
      const toml::table* table = array->get(i)->as_table();
      if (!table) fail(where, "must be a table");
      visit(*table, where);
    }
  }

 private:
  std::filesystem::path origin_;
  const EnvironmentLookup& environment_;
};

// A CA file with a mode that does not verify would look safe and not be: refused, like its absence
// with a mode that does.
void read_database_tls(const ConfigReader& reader, const toml::table& t, DatabaseConfig& db) {
  std::string mode = "off";
  reader.read_string(t, "database", "tls", mode);
  reader.read_string(t, "database", "tls_ca", db.tls_ca);
  if (!db.tls_ca.empty()) db.tls_ca = reader.resolve(db.tls_ca).string();
  if (mode == "off") {
    db.tls = DatabaseTls::off;
  } else if (mode == "required") {
    db.tls = DatabaseTls::required;
  } else if (mode == "verify-ca") {
    db.tls = DatabaseTls::verify_ca;
  } else if (mode == "verify-identity") {
    db.tls = DatabaseTls::verify_identity;
  } else {
    reader.fail("database.tls",
                "must be off, required, verify-ca or verify-identity (got \"" + mode + "\")");
  }
  const bool verifies = db.tls == DatabaseTls::verify_ca || db.tls == DatabaseTls::verify_identity;
  if (verifies && db.tls_ca.empty()) {
    reader.fail("database.tls_ca", "is required with tls = \"" + mode + "\"");
  }
  if (!verifies && !db.tls_ca.empty()) {
    reader.fail("database.tls_ca", "is only used with tls = \"verify-ca\" or \"verify-identity\"");
  }
  if (verifies && ::access(db.tls_ca.c_str(), R_OK) != 0) {
    reader.fail("database.tls_ca", "cannot read " + db.tls_ca);
  }
}

DatabaseConfig read_database(const ConfigReader& reader, const toml::table* t) {
  DatabaseConfig db;
  if (!t) return db;
  const std::string where = "database";
  reader.expect_only(
      *t, where,
      {"host", "port", "socket", "user", "password_env", "password_file", "name",
       "connect_timeout_seconds", "tls", "tls_ca", "transaction_retries",
       "transaction_retry_backoff_ms", "lock_wait_timeout_seconds", "load_data_local"});
  reader.read_string(*t, where, "host", db.host);
  reader.read_integer(*t, where, "port", db.port, 1, 65535);
  reader.read_string(*t, where, "socket", db.socket);
  reader.read_string(*t, where, "user", db.user);
  reader.read_string(*t, where, "name", db.name);
  long long timeout = db.connect_timeout.count();
  reader.read_integer(*t, where, "connect_timeout_seconds", timeout, 1, 600);
  db.connect_timeout = std::chrono::seconds(timeout);
  reader.read_integer(*t, where, "transaction_retries", db.transaction_retries, 0, 20);
  long long backoff = db.transaction_retry_backoff.count();
  reader.read_integer(*t, where, "transaction_retry_backoff_ms", backoff, 0, 60000);
  db.transaction_retry_backoff = std::chrono::milliseconds(backoff);
  if (t->contains("lock_wait_timeout_seconds")) {
    int lock_wait = 0;
    reader.read_integer(*t, where, "lock_wait_timeout_seconds", lock_wait, 1, 3600);
    db.lock_wait_timeout_seconds = lock_wait;
  }
  reader.read_bool(*t, where, "load_data_local", db.load_data_local);
  db.password = reader.read_secret(*t, where, "password");
  if (db.name.empty()) reader.fail("database.name", "must not be empty");
  read_database_tls(reader, *t, db);
  return db;
}

LoggingConfig read_logging(const ConfigReader& reader, const toml::table* t) {
  LoggingConfig logging;
  if (!t) return logging;
  reader.expect_only(*t, "logging", {"level", "format"});
  reader.read_string(*t, "logging", "level", logging.level);
  reader.read_string(*t, "logging", "format", logging.format);
  const auto level = canonical_log_level(logging.level);
  if (!level) {
    reader.fail("logging.level", "must be one of " + log_level_choices());
  }
  logging.level = *level;
  if (logging.format != "text" && logging.format != "json") {
    reader.fail("logging.format", "must be text or json");
  }
  return logging;
}

ArchiveConfig read_archive(const ConfigReader& reader, const toml::table* t) {
  ArchiveConfig archive;
  if (t) {
    const std::string where = "archive";
    reader.expect_only(*t, where, {"root", "retention_days", "compression_level"});
    std::string root = archive.root.string();
    reader.read_string(*t, where, "root", root);
    if (root.empty()) reader.fail("archive.root", "must not be empty");
    archive.root = root;
    reader.read_integer(*t, where, "retention_days", archive.retention_days, 0, 365 * 100);
    reader.read_integer(*t, where, "compression_level", archive.compression_level, 1, 9);
  }
  archive.root = reader.resolve(archive.root);
  return archive;
}

CacheConfig read_cache(const ConfigReader& reader, const toml::table* t) {
  CacheConfig cache;
  if (t) {
    reader.expect_only(*t, "cache", {"dir"});
    std::string dir = cache.dir.string();
    reader.read_string(*t, "cache", "dir", dir);
    if (dir.empty()) reader.fail("cache.dir", "must not be empty");
    cache.dir = dir;
  }
  cache.dir = reader.resolve(cache.dir);
  return cache;
}

VerifyConfig read_verify(const ConfigReader& reader, const toml::table* t) {
  VerifyConfig verify;
  if (!t) return verify;
  reader.expect_only(*t, "verify", {"after_run"});
  reader.read_bool(*t, "verify", "after_run", verify.after_run);
  return verify;
}

DashboardConfig read_dashboard(const ConfigReader& reader, const toml::table& t) {
  const std::string where = "dashboard";
  reader.expect_only(t, where,
                     {"out", "refresh_after_run", "language", "stale_after_minutes",
                      "simplify_tolerance_degrees"});
  DashboardConfig dashboard;
  reader.read_string(t, where, "out", dashboard.out);
  reader.read_bool(t, where, "refresh_after_run", dashboard.refresh_after_run);
  reader.read_string(t, where, "language", dashboard.language);
  if (dashboard.language != "fr" && dashboard.language != "en") {
    reader.fail(where + ".language", "must be fr or en");
  }
  reader.read_integer(t, where, "stale_after_minutes", dashboard.stale_after_minutes, 1,
                      60 * 24 * 366);
  if (const toml::node* node = t.get("simplify_tolerance_degrees")) {
    // An integer is accepted too: TOML writes 0 and 1 without a decimal point.
    const auto value = node->value<double>();
    if (!value || !(node->is_floating_point() || node->is_integer())) {
      reader.fail(where + ".simplify_tolerance_degrees", "must be a number");
    }
    if (*value < 0 || *value > 1) {
      reader.fail(where + ".simplify_tolerance_degrees", "must be between 0 and 1");
    }
    dashboard.simplify_tolerance = *value;
  }
  if (dashboard.refresh_after_run && dashboard.out.empty()) {
    reader.fail(where + ".out", "is required when refresh_after_run is true");
  }
  return dashboard;
}

// [monitoring]: staleness for `status` (and a per-source override) and the Prometheus textfile.
MonitoringConfig read_monitoring(const ConfigReader& reader, const toml::table* t,
                                 const Config& config) {
  MonitoringConfig monitoring;
  if (config.dashboard) monitoring.stale_after_minutes = config.dashboard->stale_after_minutes;
  if (!t) return monitoring;
  const std::string where = "monitoring";
  reader.expect_only(*t, where,
                     {"stale_after_minutes", "stale_after_minutes_by_source", "metrics_file"});
  constexpr long long kMaxMinutes = 60 * 24 * 366;
  reader.read_integer(*t, where, "stale_after_minutes", monitoring.stale_after_minutes, 1,
                      kMaxMinutes);
  if (const toml::table* by_source = reader.subtable(*t, where, "stale_after_minutes_by_source")) {
    const std::string table = where + ".stale_after_minutes_by_source";
    for (const auto& [name, value] : *by_source) {
      const std::string source(name.str());
      const bool configured = std::any_of(config.sources.begin(), config.sources.end(),
                                          [&](const SourceConfig& s) { return s.name == source; });
      if (!configured) reader.fail(table + "." + source, "no [[sources]] entry has this name");
      int minutes = 0;
      reader.read_integer(*by_source, table, source, minutes, 1, kMaxMinutes);
      monitoring.stale_after_minutes_by_source.emplace_back(source, minutes);
    }
  }
  std::string metrics_file;
  reader.read_string(*t, where, "metrics_file", metrics_file);
  // node_exporter's textfile collector reads *.prom only: another name would be silently ignored.
  if (!metrics_file.empty() && std::filesystem::path(metrics_file).extension() != ".prom") {
    reader.fail(where + ".metrics_file", "must end in .prom (node_exporter reads only *.prom)");
  }
  monitoring.metrics_file = metrics_file;
  // Relative to the config file, as cron's working directory is anyone's guess.
  if (!metrics_file.empty()) {
    monitoring.metrics_file = reader.resolve(monitoring.metrics_file);
  }
  return monitoring;
}

RegionSetConfig read_region_set(const ConfigReader& reader, const toml::table& t,
                                const std::string& where) {
  reader.expect_only(t, where,
                     {"name", "location", "format", "code_field", "name_field", "matching"});
  RegionSetConfig set;
  set.name = reader.required_string(t, where, "name");
  // The name becomes the dashboard's file names and a key of the database.
  reader.require_plain_name(where + ".name", set.name);
  set.location = reader.required_string(t, where, "location");
  if (set.location.find("://") == std::string::npos) set.location = reader.resolve(set.location);
  std::string format = "geojson", matching = "polygon";
  reader.read_string(t, where, "format", format);
  reader.read_string(t, where, "matching", matching);
  reader.read_string(t, where, "code_field", set.code_field);
  reader.read_string(t, where, "name_field", set.name_field);
  if (format == "geojson") {
    set.format = RegionFormat::geojson;
  } else if (format == "opendatasoft") {
    set.format = RegionFormat::opendatasoft;
  } else {
    reader.fail(where + ".format", "must be geojson or opendatasoft (got \"" + format + "\")");
  }
  if (matching == "polygon") {
    set.matching = MatchingMode::polygon;
  } else if (matching == "bbox") {
    set.matching = MatchingMode::bbox;
  } else {
    reader.fail(where + ".matching", "must be polygon or bbox (got \"" + matching + "\")");
  }
  return set;
}

HttpSettings read_http(const ConfigReader& reader, const toml::table* t, const std::string& where) {
  HttpSettings http;
  if (!t) return http;
  reader.expect_only(*t, where,
                     {"connect_timeout_ms", "timeout_ms", "max_body_mb", "ca_file",
                      "retry_attempts", "retry_initial_backoff_ms", "retry_max_backoff_ms",
                      "low_speed_bytes_per_second", "low_speed_seconds"});
  long long connect = http.connect_timeout.count(), total = http.total_timeout.count();
  long long initial = http.retry.initial_backoff.count(), max = http.retry.max_backoff.count();
  long long body_mb = static_cast<long long>(http.max_body_bytes >> 20);
  reader.read_integer(*t, where, "connect_timeout_ms", connect, 1, 600'000);
  reader.read_integer(*t, where, "timeout_ms", total, 1, 3'600'000);
  reader.read_integer(*t, where, "max_body_mb", body_mb, 1, 1 << 20);
  reader.read_integer(*t, where, "retry_attempts", http.retry.attempts, 1, 20);
  reader.read_integer(*t, where, "retry_initial_backoff_ms", initial, 0, 600'000);
  reader.read_integer(*t, where, "retry_max_backoff_ms", max, 0, 3'600'000);
  reader.read_string(*t, where, "ca_file", http.ca_file);
  if (!http.ca_file.empty()) http.ca_file = reader.resolve(http.ca_file).string();
  long long low_speed_seconds = http.low_speed_window.count();
  reader.read_integer(*t, where, "low_speed_bytes_per_second", http.low_speed_bytes_per_second, 0,
                      1L << 30);
  reader.read_integer(*t, where, "low_speed_seconds", low_speed_seconds, 0, 3600);
  http.low_speed_window = std::chrono::seconds(low_speed_seconds);
  http.connect_timeout = std::chrono::milliseconds(connect);
  http.total_timeout = std::chrono::milliseconds(total);
  http.retry.initial_backoff = std::chrono::milliseconds(initial);
  http.retry.max_backoff = std::chrono::milliseconds(max);
  http.max_body_bytes = static_cast<std::size_t>(body_mb) << 20;
  return http;
}

ObservationFields read_observation_fields(const ConfigReader& reader, const toml::table* t,
                                          const std::string& where) {
  ObservationFields fields;
  if (!t) return fields;
  reader.expect_only(*t, where,
                     {"time", "temperature", "humidity", "pressure", "pressure_unit", "rain",
                      "rain_intensity_max", "wind_speed", "gust", "wind_direction"});
  reader.read_string(*t, where, "time", fields.time);
  reader.read_string(*t, where, "temperature", fields.temperature);
  reader.read_string(*t, where, "humidity", fields.humidity);
  reader.read_string(*t, where, "pressure", fields.pressure);
  reader.read_string(*t, where, "pressure_unit", fields.pressure_unit);
  reader.read_string(*t, where, "rain", fields.rain);
  reader.read_string(*t, where, "rain_intensity_max", fields.rain_intensity_max);
  reader.read_string(*t, where, "wind_speed", fields.wind_speed);
  reader.read_string(*t, where, "gust", fields.gust);
  reader.read_string(*t, where, "wind_direction", fields.wind_direction);
  if (fields.pressure_unit != "Pa" && fields.pressure_unit != "hPa") {
    reader.fail(where + ".pressure_unit", "must be Pa or hPa");
  }
  if (fields.time.empty()) reader.fail(where + ".time", "must not be empty");
  return fields;
}

StationListFields read_station_fields(const ConfigReader& reader, const toml::table* t,
                                      const std::string& where) {
  StationListFields fields;
  if (!t) return fields;
  reader.expect_only(*t, where,
                     {"dataset", "number", "latitude", "longitude", "altitude", "type", "commune"});
  reader.read_string(*t, where, "dataset", fields.dataset);
  reader.read_string(*t, where, "number", fields.number);
  reader.read_string(*t, where, "latitude", fields.latitude);
  reader.read_string(*t, where, "longitude", fields.longitude);
  reader.read_string(*t, where, "altitude", fields.altitude);
  reader.read_string(*t, where, "type", fields.type);
  reader.read_string(*t, where, "commune", fields.commune);
  return fields;
}

bool is_http_url(const std::string& url) {
  return url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0;
}

StationNetworkConfig read_station_network(const ConfigReader& reader, const toml::table& t,
                                          const std::string& where) {
  StationNetworkConfig network;
  network.base_url = reader.required_string(t, where, "base_url");
  if (!is_http_url(network.base_url)) reader.fail(where + ".base_url", "must be an http(s) URL");
  while (!network.base_url.empty() && network.base_url.back() == '/') network.base_url.pop_back();
  reader.read_string(t, where, "stations_dataset", network.stations_dataset);
  network.datasets = reader.read_string_array(t, where, "datasets");
  // Dataset ids go into the portal's URL paths and the database's keys.
  for (const auto& id : network.datasets) {
    if (!is_plain_name(id, kMaxDatasetIdLength)) {
      reader.fail(where + ".datasets", std::string(kPlainDatasetIdRule) + " (got \"" + id + "\")");
    }
  }
  if (!is_plain_name(network.stations_dataset, kMaxDatasetIdLength)) {
    reader.fail(where + ".stations_dataset",
                std::string(kPlainDatasetIdRule) + " (got \"" + network.stations_dataset + "\")");
  }
  reader.read_string(t, where, "dataset_pattern", network.dataset_pattern);
  if (network.datasets.empty() == network.dataset_pattern.empty()) {
    reader.fail(where,
                "name the station datasets with either datasets = [...] or "
                "dataset_pattern = \"...\" (exactly one)");
  }
  const std::string start = reader.required_string(t, where, "start");
  try {
    network.start = parse_hour(start);
  } catch (const Error& error) {
    reader.fail(where + ".start", error.what());
  }
  long long lookback = network.lookback.count(), catch_up = network.max_catch_up.count();
  long long export_window = network.export_window.count();
  reader.read_integer(t, where, "lookback_hours", lookback, 0, 24 * 31);
  reader.read_integer(t, where, "max_catch_up_hours", catch_up, 1, 24 * 366);
  reader.read_integer(t, where, "export_window_hours", export_window, 1, 24 * 366);
  network.lookback = std::chrono::hours(lookback);
  network.max_catch_up = std::chrono::hours(catch_up);
  network.export_window = std::chrono::hours(export_window);
  network.fields =
      read_observation_fields(reader, reader.subtable(t, where, "fields"), where + ".fields");
  network.station_fields = read_station_fields(reader, reader.subtable(t, where, "station_fields"),
                                               where + ".station_fields");
  return network;
}

SourceConfig read_source(const ConfigReader& reader, const toml::table& t,
                         const std::string& where) {
  SourceConfig source;
  source.name = reader.required_string(t, where, "name");
  // The name becomes a directory of the raw archive and a label of the metrics.
  reader.require_plain_name(where + ".name", source.name);
  source.type = reader.required_string(t, where, "type");
  if (source.type == "sensor-api") {
    reader.expect_only(t, where,
                       {"name", "type", "url", "api_key_env", "api_key_file", "region_sets",
                        "home_country_labels", "http"});
    source.url = reader.required_string(t, where, "url");
    if (!is_http_url(source.url)) reader.fail(where + ".url", "must be an http:// or https:// URL");
  } else if (source.type == "opendatasoft-stations") {
    reader.expect_only(
        t, where,
        {"name", "type", "base_url", "stations_dataset", "datasets", "dataset_pattern", "start",
         "lookback_hours", "max_catch_up_hours", "export_window_hours", "fields", "station_fields",
         "api_key_env", "api_key_file", "region_sets", "http"});
    source.stations = read_station_network(reader, t, where);
  } else {
    reader.fail(where + ".type", "unknown source type \"" + source.type +
                                     "\" (known: sensor-api, opendatasoft-stations)");
  }
  source.api_key = reader.read_secret(t, where, "api_key");
  source.region_sets = reader.read_string_array(t, where, "region_sets");
  if (source.region_sets.empty()) reader.fail(where + ".region_sets", "name at least one set");
  if (t.contains("home_country_labels")) {
    source.home_country_labels = reader.read_string_array(t, where, "home_country_labels");
  }
  source.http = read_http(reader, reader.subtable(t, where, "http"), where + ".http");
  return source;
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

int MonitoringConfig::stale_after_minutes_for(std::string_view source) const {
  for (const auto& [name, minutes] : stale_after_minutes_by_source) {
    if (name == source) return minutes;
  }
  return stale_after_minutes;
}

namespace {

// The word each level prints first, then the other accepted spellings and what they mean.
constexpr std::string_view kLogLevels[] = {"trace", "debug",    "info", "warning",
                                           "error", "critical", "off"};
constexpr std::pair<std::string_view, std::string_view> kLogLevelSpellings[] = {{"warn", "warning"},
                                                                                {"err", "error"}};

}  // namespace

std::optional<std::string> canonical_log_level(std::string_view name) {
  for (const auto level : kLogLevels) {
    if (name == level) return std::string(level);
  }
  for (const auto& [spelling, level] : kLogLevelSpellings) {
    if (name == spelling) return std::string(level);
  }
  return std::nullopt;
}

std::string log_level_choices() {
  std::string text;
  const std::size_t count = std::size(kLogLevels);
  for (std::size_t i = 0; i < count; ++i) {
    text += i == 0 ? "" : (i + 1 == count ? " or " : ", ");
    text += kLogLevels[i];
    std::string others;
    for (const auto& [spelling, level] : kLogLevelSpellings) {
      if (level != kLogLevels[i]) continue;
      others += (others.empty() ? "" : ", ") + std::string(spelling);
    }
    if (!others.empty()) text += " (or " + others + ")";
  }
  return text;
}

std::vector<std::string> log_level_spellings() {
  std::vector<std::string> names(std::begin(kLogLevels), std::end(kLogLevels));
  for (const auto& [spelling, level] : kLogLevelSpellings) names.emplace_back(spelling);
  return names;
}

EnvironmentLookup process_environment() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    return value ? std::optional<std::string>(value) : std::nullopt;
  };
}

Config parse_config(std::string_view toml_text, const std::filesystem::path& origin,
                    const EnvironmentLookup& environment) {
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
  reader.expect_only(root, "",
                     {"database", "archive", "cache", "verify", "logging", "region_sets", "sources",
                      "dashboard", "monitoring"});
  Config config;
  config.origin = origin;
  config.database = read_database(reader, reader.subtable(root, "", "database"));
  config.archive = read_archive(reader, reader.subtable(root, "", "archive"));
  config.cache = read_cache(reader, reader.subtable(root, "", "cache"));
  config.verify = read_verify(reader, reader.subtable(root, "", "verify"));
  config.logging = read_logging(reader, reader.subtable(root, "", "logging"));
  if (const toml::table* dashboard = reader.subtable(root, "", "dashboard")) {
    config.dashboard = read_dashboard(reader, *dashboard);
  }
  reader.for_each_table_in_array(root, "region_sets", [&](const toml::table& t, const auto& where) {
    config.region_sets.push_back(read_region_set(reader, t, where));
  });
  reader.for_each_table_in_array(root, "sources", [&](const toml::table& t, const auto& where) {
    config.sources.push_back(read_source(reader, t, where));
  });
  check_references(reader, config);
  config.monitoring = read_monitoring(reader, reader.subtable(root, "", "monitoring"), config);
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
