#include "meteo/config/config.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>

#include "meteo/core/errors.hpp"
#include "meteo/core/time.hpp"
#include "paths.hpp"

namespace meteo {
namespace {

EnvironmentLookup fake_environment(std::map<std::string, std::string> values) {
  return [values = std::move(values)](const std::string& name) -> std::optional<std::string> {
    auto it = values.find(name);
    return it == values.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
}

const char* kMinimal = R"(
[[region_sets]]
name = "fr-regions"
location = "/srv/regions.geojson"

[[sources]]
name = "sensors"
type = "sensor-api"
url = "https://sensors.example/temperatures"
region_sets = ["fr-regions"]
)";

// Expects parse_config to fail with a configuration error whose message contains `needle`.
void expect_config_error(const std::string& toml, const std::string& needle,
                         const EnvironmentLookup& env = fake_environment({})) {
  try {
    parse_config(toml, "test.toml", env);
    ADD_FAILURE() << "accepted a configuration that should fail with: " << needle;
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ExitCode::config);
    EXPECT_NE(std::string(error.what()).find(needle), std::string::npos) << error.what();
    EXPECT_EQ(std::string(error.what()).rfind("test.toml", 0), 0u) << "names the file";
  }
}

TEST(Config, DefaultsWhenOnlyTheRequiredKeysAreGiven) {
  const Config config = parse_config(kMinimal, "test.toml", fake_environment({}));
  EXPECT_EQ(config.database.host, "127.0.0.1");
  EXPECT_EQ(config.database.port, 3306);
  EXPECT_EQ(config.database.name, "meteo");
  EXPECT_TRUE(config.database.password.empty());
  EXPECT_FALSE(config.database.load_data_local);
  EXPECT_EQ(config.database.lease_ttl, std::chrono::seconds(30));
  ASSERT_EQ(config.region_sets.size(), 1u);
  EXPECT_EQ(config.region_sets[0].format, RegionFormat::geojson);
  EXPECT_EQ(config.region_sets[0].matching, MatchingMode::polygon);
  EXPECT_EQ(config.region_sets[0].code_field, "code");
  EXPECT_EQ(config.region_sets[0].name_field, "nom");
  const SourceConfig& source = config.source("sensors");
  EXPECT_EQ(source.http.retry.attempts, 4);
  EXPECT_EQ(source.http.retry.initial_backoff, std::chrono::milliseconds(1000));
  EXPECT_EQ(source.http.low_speed_bytes_per_second, 100);
  EXPECT_EQ(source.http.low_speed_window, std::chrono::seconds(30));
  EXPECT_EQ(config.logging.level, "info");
}

TEST(Config, ASourcesDisplayNameDefaultsToItsName) {
  EXPECT_EQ(
      parse_config(kMinimal, "test.toml", fake_environment({})).source("sensors").display_name,
      "sensors");
  const Config named = parse_config(std::string(kMinimal) + "display_name = \"Capteurs Météo\"\n",
                                    "test.toml", fake_environment({}));
  EXPECT_EQ(named.source("sensors").display_name, "Capteurs Météo");
  expect_config_error(std::string(kMinimal) + "display_name = \" \"\n",
                      "sources[0].display_name: use 1 to 120 characters on one line");
  expect_config_error(std::string(kMinimal) + "display_name = \"a\\nb\"\n",
                      "sources[0].display_name");
  expect_config_error(std::string(kMinimal) + "display_name = 3\n", "sources[0].display_name");
}

TEST(Config, TheCacheDirectoryIsTakenFromTheConfigFilesDirectory) {
  const auto env = fake_environment({});
  const std::string minimal = kMinimal;
  EXPECT_EQ(parse_config(minimal, "/etc/meteo/etl.toml", env).cache.dir,
            std::filesystem::path("/etc/meteo/cache"));
  EXPECT_EQ(parse_config(minimal + "\n[cache]\ndir = \"/var/lib/meteo-etl/cache\"\n",
                         "/etc/meteo/etl.toml", env)
                .cache.dir,
            std::filesystem::path("/var/lib/meteo-etl/cache"));
  EXPECT_EQ(parse_config(minimal + "\n[cache]\ndir = \"idx\"\n", "/srv/etl.toml", env).cache.dir,
            std::filesystem::path("/srv/idx"));
  expect_config_error(minimal + "\n[cache]\ndir = \"\"\n", "cache.dir");
  expect_config_error(minimal + "\n[cache]\nfolder = \"x\"\n", "folder");
}

TEST(Config, EveryDocumentedKeyIsRead) {
  const std::string toml = R"(
[database]
socket = "/run/mysqld/mysqld.sock"
port = 3307
user = "etl"
password_env = "DB_PASS"
name = "weather"
connect_timeout_seconds = 5
load_data_local = true
lease_seconds = 10

[logging]
level = "debug"
format = "json"

[[region_sets]]
name = "regions"
location = "https://data.example/regions.json"
format = "opendatasoft"
code_field = "reg_code"
name_field = "reg_name"
matching = "bbox"

[[sources]]
name = "sensors"
type = "sensor-api"
url = "http://127.0.0.1:8080/x"
api_key_env = "KEY"
region_sets = ["regions"]
home_country_labels = ["France"]
[sources.http]
connect_timeout_ms = 100
timeout_ms = 2000
retry_attempts = 2
retry_initial_backoff_ms = 10
retry_max_backoff_ms = 50
max_body_mb = 3
low_speed_bytes_per_second = 500
low_speed_seconds = 7
)";
  const Config config =
      parse_config(toml, "test.toml", fake_environment({{"DB_PASS", "s3cret"}, {"KEY", "k"}}));
  EXPECT_EQ(config.database.socket, "/run/mysqld/mysqld.sock");
  EXPECT_EQ(config.database.port, 3307);
  EXPECT_EQ(config.database.password.reveal(), "s3cret");
  EXPECT_EQ(config.database.connect_timeout, std::chrono::seconds(5));
  EXPECT_TRUE(config.database.load_data_local);
  EXPECT_EQ(config.database.lease_ttl, std::chrono::seconds(10));
  EXPECT_EQ(config.logging.format, "json");
  EXPECT_EQ(config.region_sets[0].format, RegionFormat::opendatasoft);
  EXPECT_EQ(config.region_sets[0].matching, MatchingMode::bbox);
  EXPECT_EQ(config.region_sets[0].code_field, "reg_code");
  const auto& source = config.sources[0];
  EXPECT_EQ(source.api_key.reveal(), "k");
  EXPECT_EQ(source.home_country_labels, std::vector<std::string>{"France"});
  EXPECT_EQ(source.http.connect_timeout, std::chrono::milliseconds(100));
  EXPECT_EQ(source.http.total_timeout, std::chrono::milliseconds(2000));
  EXPECT_EQ(source.http.retry.attempts, 2);
  EXPECT_EQ(source.http.retry.max_backoff, std::chrono::milliseconds(50));
  EXPECT_EQ(source.http.max_body_bytes, std::size_t{3} << 20);
  EXPECT_EQ(source.http.low_speed_bytes_per_second, 500);
  EXPECT_EQ(source.http.low_speed_window, std::chrono::seconds(7));
}

TEST(Config, SecretsAreRefusedInTheFileItself) {
  expect_config_error("[database]\npassword = \"hunter2\"\n", "secrets never go in the config");
  expect_config_error(std::string(kMinimal) + "api_key = \"abc\"\n", "secrets never go");
}

TEST(Config, NamedSecretVariableMustBeSet) {
  expect_config_error("[database]\npassword_env = \"NOPE\"\n",
                      "database.password_env: environment variable NOPE is not set");
}

// Issue 15: a variable set but empty (`export SENSOR_API_KEY=` in a crontab) was accepted, and
// an empty X-API-Key header sent.
TEST(Config, ABlankSecretVariableIsRefused) {
  for (const std::string blank : {"", "  ", "\n", " \t\r\n"}) {
    expect_config_error(std::string(kMinimal) + "api_key_env = \"KEY\"\n",
                        "sources[0].api_key_env: environment variable KEY is empty",
                        fake_environment({{"KEY", blank}}));
    expect_config_error("[database]\npassword_env = \"DB_PASS\"\n",
                        "database.password_env: environment variable DB_PASS is empty",
                        fake_environment({{"DB_PASS", blank}}));
  }
  const Config config = parse_config(std::string(kMinimal) + "api_key_env = \"KEY\"\n", "test.toml",
                                     fake_environment({{"KEY", " k "}}));
  EXPECT_EQ(config.sources[0].api_key.reveal(), " k ") << "a real value is kept as given";
}

TEST(Config, SecretFileMustBePrivate) {
  const auto path =
      std::filesystem::temp_directory_path() / ("meteo-secret-" + std::to_string(::getpid()));
  std::ofstream(path) << "from-file\n";
  const std::string toml = "[database]\npassword_file = \"" + path.string() + "\"\n";
  ::chmod(path.c_str(), 0644);
  expect_config_error(toml, "is readable by others");
  ::chmod(path.c_str(), 0600);
  const Config config = parse_config(toml, "test.toml", fake_environment({}));
  EXPECT_EQ(config.database.password.reveal(), "from-file") << "trailing newline stripped";
  std::filesystem::remove(path);
}

// Issue 15, defect 5: under cron a secret beside the config was looked for in the working
// directory, and the message named neither the full path nor the OS error.
class ConfigBesideItsFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ =
        std::filesystem::temp_directory_path() / ("meteo-config-dir-" + std::to_string(::getpid()));
    std::filesystem::create_directories(directory_ / "secrets");
  }
  void TearDown() override { std::filesystem::remove_all(directory_); }

  void write_secret(const std::string& name, const std::string& value) {
    const auto path = directory_ / "secrets" / name;
    std::ofstream(path) << value;
    ::chmod(path.c_str(), 0600);
  }
  std::string origin() const { return (directory_ / "meteo-etl.toml").string(); }

  std::filesystem::path directory_;
};

TEST_F(ConfigBesideItsFiles, RelativePathsAreResolvedFromTheConfigFilesDirectory) {
  write_secret("dbpw", "db-secret\n");
  write_secret("key", "api-secret");
  const std::string toml = std::string(R"(
[database]
password_file = "secrets/dbpw"

[archive]
root = "raw"

[monitoring]
metrics_file = "metrics/meteo-etl.prom"

[[region_sets]]
name = "fr-regions"
location = "regions.geojson"

[[sources]]
name = "sensors"
type = "sensor-api"
url = "https://sensors.example/temperatures"
api_key_file = "secrets/key"
region_sets = ["fr-regions"]
[sources.http]
ca_file = "ca.pem"
)");
  const Config config = parse_config(toml, origin(), fake_environment({}));
  EXPECT_EQ(config.database.password.reveal(), "db-secret");
  EXPECT_EQ(config.source("sensors").api_key.reveal(), "api-secret");
  EXPECT_EQ(config.archive.root, directory_ / "raw");
  EXPECT_EQ(config.monitoring.metrics_file, directory_ / "metrics/meteo-etl.prom");
  EXPECT_EQ(config.region_sets[0].location, (directory_ / "regions.geojson").string());
  EXPECT_EQ(config.source("sensors").http.ca_file, (directory_ / "ca.pem").string());
}

TEST_F(ConfigBesideItsFiles, AnUnreadableSecretNamesItsFullPathAndTheOsError) {
  try {
    parse_config("[database]\npassword_file = \"secrets/missing\"\n", origin(),
                 fake_environment({}));
    ADD_FAILURE() << "a missing secret file was accepted";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ExitCode::config);
    const std::string expected = "database.password_file: cannot read " +
                                 (directory_ / "secrets/missing").string() +
                                 ": No such file or directory";
    EXPECT_NE(std::string(error.what()).find(expected), std::string::npos) << error.what();
  }
}

TEST_F(ConfigBesideItsFiles, AnEmptySecretFileIsRefused) {
  for (const std::string blank : {"", "\n", "  \t\n"}) {
    write_secret("empty", blank);
    try {
      parse_config("[database]\npassword_file = \"secrets/empty\"\n", origin(),
                   fake_environment({}));
      ADD_FAILURE() << "an empty secret file was accepted: \"" << blank << "\"";
    } catch (const Error& error) {
      EXPECT_EQ(error.code(), ExitCode::config);
      EXPECT_NE(std::string(error.what()).find("secrets/empty is empty"), std::string::npos)
          << error.what();
    }
  }
}

// Issue 15, defect 3: a region-set name became a dashboard file name unchecked ("../../x").
TEST(Config, EveryNameThatBecomesAPathFollowsOneRule) {
  const std::string set_named_traversal = R"(
[[region_sets]]
name = "../../x"
location = "/srv/regions.geojson"
)";
  expect_config_error(set_named_traversal, "region_sets[0].name: use 1 to 64 letters");
  expect_config_error(std::string(kMinimal) + "\n[[sources]]\nname = \".hidden\"\n",
                      "sources[1].name: use 1 to 64 letters");
  const std::string network =
      "[[region_sets]]\nname = \"c\"\nlocation = \"x\"\n[[sources]]\nname = \"t\"\n"
      "type = \"opendatasoft-stations\"\nregion_sets = [\"c\"]\nbase_url = \"https://p\"\n"
      "start = \"2026-11-01T00\"\n";
  expect_config_error(network + "datasets = [\"ok\", \"../records\"]\n",
                      "sources[0].datasets: use 1 to 255 letters");
  expect_config_error(network + "datasets = [\"ok\"]\nstations_dataset = \"a/b\"\n",
                      "sources[0].stations_dataset: use 1 to 255 letters");
}

TEST(Config, MistakesAreNamedByKey) {
  expect_config_error("[databse]\n", "databse: unknown key");
  expect_config_error("[database]\nport = \"3306\"\n", "database.port: must be an integer");
  expect_config_error("[database]\nport = 70000\n", "database.port: must be between 1 and 65535");
  expect_config_error("[database]\nload_data_local = 1\n",
                      "database.load_data_local: must be true or false");
  expect_config_error("[database]\nlease_seconds = 1\n",
                      "database.lease_seconds: must be between 3 and 3600");
  // Every accepted spelling is named, err included.
  expect_config_error("[logging]\nlevel = \"loud\"\n",
                      "logging.level: must be one of trace, debug, info, warning (or warn), "
                      "error (or err), critical or off");
  expect_config_error(
      "[[sources]]\nname = \"s\"\ntype = \"sensor-api\"\nurl = \"http://x\"\n"
      "region_sets = [\"missing\"]\n",
      "sources[0].region_sets: no [[region_sets]] entry is named \"missing\"");
  expect_config_error("[[sources]]\nname = \"s\"\ntype = \"ftp\"\nurl = \"http://x\"\n",
                      "sources[0].type: unknown source type");
  expect_config_error("[[sources]]\nname = \"s\"\ntype = \"sensor-api\"\nurl = \"ftp://x\"\n",
                      "sources[0].url: must be an http");
  expect_config_error(std::string(kMinimal) +
                          "[[region_sets]]\nname = \"fr-regions\"\n"
                          "location = \"x\"\n",
                      "region_sets[1].name: duplicate name");
  expect_config_error("[[region_sets]]\nname = \"r\"\nlocation = \"x\"\nmatching = \"circle\"\n",
                      "region_sets[0].matching: must be polygon or bbox");
  expect_config_error("[database\n", "test.toml:1:");
}

TEST(Config, StationNetworkSourceWithToulouseDefaults) {
  const std::string toml = R"(
[[region_sets]]
name = "toulouse-communes"
location = "communes.geojson"

[[sources]]
name = "toulouse"
type = "opendatasoft-stations"
base_url = "https://data.toulouse-metropole.fr/"
dataset_pattern = "station-meteo"
start = "2026-11-01T00"
lookback_hours = 3
region_sets = ["toulouse-communes"]
[sources.fields]
pressure = "pression_hpa"
pressure_unit = "hPa"
)";
  const Config config = parse_config(toml, "test.toml", fake_environment({}));
  const auto& network = *config.source("toulouse").stations;
  EXPECT_EQ(network.base_url, "https://data.toulouse-metropole.fr") << "trailing slash dropped";
  EXPECT_EQ(network.stations_dataset, "stations-meteo-en-place");
  EXPECT_EQ(network.dataset_pattern, "station-meteo");
  EXPECT_EQ(network.lookback, std::chrono::hours(3));
  EXPECT_EQ(network.fields.time, "heure_de_paris");
  EXPECT_EQ(network.fields.temperature, "temperature_en_degre_c");
  EXPECT_EQ(network.fields.pressure, "pression_hpa");
  EXPECT_EQ(network.fields.pressure_unit, "hPa");
  EXPECT_EQ(network.station_fields.dataset, "id_nom");
  EXPECT_EQ(to_iso8601(network.start), "2026-11-01T00:00:00Z");
}

TEST(Config, StationNetworkMistakesAreNamed) {
  const std::string head =
      "[[region_sets]]\nname = \"c\"\nlocation = \"x\"\n[[sources]]\nname = \"t\"\n"
      "type = \"opendatasoft-stations\"\nregion_sets = [\"c\"]\n";
  expect_config_error(head + "base_url = \"https://p\"\nstart = \"2026-11-01T00\"\n",
                      "either datasets = [...] or dataset_pattern");
  expect_config_error(head + "base_url = \"https://p\"\ndatasets = [\"a\"]\n",
                      "sources[0].start: is required");
  expect_config_error(head +
                          "base_url = \"https://p\"\ndatasets = [\"a\"]\n"
                          "start = \"2026-11-01T00\"\nurl = \"http://x\"\n",
                      "sources[0].url: unknown key");
  expect_config_error(head +
                          "base_url = \"https://p\"\ndatasets = [\"a\"]\n"
                          "start = \"2026-11-01T00\"\n[sources.fields]\npressure_unit = \"bar\"\n",
                      "sources[0].fields.pressure_unit: must be Pa or hPa");
}

TEST(Config, LoadConfigNamesAMissingFile) {
  try {
    load_config("/nonexistent/meteo.toml", fake_environment({}));
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ExitCode::config);
    EXPECT_NE(std::string(error.what()).find("/nonexistent/meteo.toml"), std::string::npos);
  }
}

TEST(Config, DashboardIsAbsentUnlessConfigured) {
  EXPECT_FALSE(parse_config(kMinimal, "test.toml", fake_environment({})).dashboard);
  const Config defaults =
      parse_config(std::string(kMinimal) + "[dashboard]\n", "test.toml", fake_environment({}));
  ASSERT_TRUE(defaults.dashboard);
  EXPECT_EQ(defaults.dashboard->out, "");
  EXPECT_FALSE(defaults.dashboard->refresh_after_run);
  EXPECT_EQ(defaults.dashboard->language, "fr");
  EXPECT_EQ(defaults.dashboard->stale_after_minutes, 90);
  EXPECT_DOUBLE_EQ(defaults.dashboard->simplify_tolerance, 0.002);
}

TEST(Config, DashboardKeysAreRead) {
  const Config config = parse_config(std::string(kMinimal) + R"(
[dashboard]
out = "/var/www/meteo"
refresh_after_run = true
language = "en"
stale_after_minutes = 30
simplify_tolerance_degrees = 0.01
)",
                                     "test.toml", fake_environment({}));
  ASSERT_TRUE(config.dashboard);
  EXPECT_EQ(config.dashboard->out, "/var/www/meteo");
  EXPECT_TRUE(config.dashboard->refresh_after_run);
  EXPECT_EQ(config.dashboard->language, "en");
  EXPECT_EQ(config.dashboard->stale_after_minutes, 30);
  EXPECT_DOUBLE_EQ(config.dashboard->simplify_tolerance, 0.01);
}

TEST(Config, DashboardMistakesAreNamed) {
  const std::string base = std::string(kMinimal) + "[dashboard]\n";
  expect_config_error(base + "outdir = \"x\"\n", "dashboard.outdir: unknown key");
  expect_config_error(base + "language = \"de\"\n", "dashboard.language");
  expect_config_error(base + "refresh_after_run = \"yes\"\n", "dashboard.refresh_after_run");
  expect_config_error(base + "refresh_after_run = true\n", "dashboard.out: is required");
  expect_config_error(base + "stale_after_minutes = 0\n", "dashboard.stale_after_minutes");
  expect_config_error(base + "simplify_tolerance_degrees = \"a\"\n",
                      "dashboard.simplify_tolerance_degrees");
  expect_config_error(base + "simplify_tolerance_degrees = -1.0\n",
                      "dashboard.simplify_tolerance_degrees");
}

TEST(Config, UnknownEntriesAreNamedByLookups) {
  const Config config = parse_config(kMinimal, "test.toml", fake_environment({}));
  EXPECT_THROW(config.source("other"), Error);
  EXPECT_THROW(config.region_set("other"), Error);
  EXPECT_EQ(config.region_set("fr-regions").location, "/srv/regions.geojson");
}

}  // namespace
}  // namespace meteo

namespace meteo {
namespace {

// The shipped configuration files parse: a second city really is one file away.
TEST(ShippedConfigs, EveryConfigFileInTheRepositoryParses) {
  const auto environment = fake_environment({{"METEO_DB_PASSWORD", "x"}, {"SENSOR_API_KEY", "y"}});
  for (const char* name :
       {"meteo-etl.example.toml", "toulouse.toml", "grenoble.example.toml", "synop-france.toml"}) {
    const std::string path = meteo::testing::source_path(std::string("config/") + name);
    EXPECT_NO_THROW(load_config(path, environment)) << path;
  }
  const Config grenoble =
      load_config(meteo::testing::source_path("config/grenoble.example.toml"), environment);
  const auto& network = *grenoble.sources.at(0).stations;
  EXPECT_EQ(network.fields.time, "date_mesure");
  EXPECT_EQ(network.fields.pressure_unit, "hPa");
  EXPECT_EQ(network.station_fields.latitude, "lat");
  const Config toulouse =
      load_config(meteo::testing::source_path("config/toulouse.toml"), environment);
  ASSERT_EQ(toulouse.analysis_job.interventions.size(), 1u) << "the example intervention";
  EXPECT_EQ(toulouse.analysis_job.interventions[0].name, "zfe-m-crit-air-3");
  EXPECT_EQ(toulouse.source("toulouse-stations").display_name, "Toulouse Métropole");
}

}  // namespace
}  // namespace meteo
