// [serve]: where `serve` listens, its event streams, and the token that turns ingest over HTTP on.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "config_text.hpp"

namespace meteo {
namespace {

const std::string kSources = R"(
[[region_sets]]
name = "fr-regions"
location = "/srv/regions.geojson"

[[sources]]
name = "sensors"
type = "sensor-api"
url = "https://sensors.example/temperatures"
region_sets = ["fr-regions"]
)";

TEST(ServeConfig, DefaultsToLoopbackAndNoIngest) {
  const Config config = config_test::parse(kSources);
  EXPECT_EQ(config.serve.listen, "127.0.0.1:8080");
  EXPECT_EQ(config.serve.max_clients, 64);
  EXPECT_EQ(config.serve.heartbeat_seconds, 15);
  EXPECT_EQ(config.serve.ledger_poll_ms, 500);
  EXPECT_TRUE(config.serve.ingest_token.empty());
  EXPECT_EQ(config.serve.ingest_max_bytes, std::size_t{256} << 20);
}

TEST(ServeConfig, ReadsEveryKeyAndTheTokenFromTheEnvironment) {
  const Config config = parse_config(
      kSources + R"(
[serve]
listen = "0.0.0.0:9000"
max_clients = 3
heartbeat_seconds = 2
ledger_poll_ms = 100
ingest_token_env = "METEO_INGEST_TOKEN"
ingest_max_bytes = 1024
)",
      "/etc/meteo-etl/test.toml", [](const std::string& name) {
        return name == "METEO_INGEST_TOKEN" ? std::optional<std::string>("t0ken") : std::nullopt;
      });
  EXPECT_EQ(config.serve.listen, "0.0.0.0:9000");
  EXPECT_EQ(config.serve.max_clients, 3);
  EXPECT_EQ(config.serve.heartbeat_seconds, 2);
  EXPECT_EQ(config.serve.ledger_poll_ms, 100);
  EXPECT_EQ(config.serve.ingest_token.reveal(), "t0ken");
  EXPECT_EQ(config.serve.ingest_max_bytes, 1024u);
}

TEST(ServeConfig, TheTokenFileMustBePrivate) {
  const std::filesystem::path file =
      std::filesystem::temp_directory_path() / ("meteo-serve-token-" + std::to_string(::getpid()));
  std::ofstream(file) << "from-a-file\n";
  ::chmod(file.c_str(), 0644);
  const std::string table = "\n[serve]\ningest_token_file = \"" + file.string() + "\"\n";
  config_test::expect_config_error(kSources + table, "chmod 600");
  ::chmod(file.c_str(), 0600);
  EXPECT_EQ(config_test::parse(kSources + table).serve.ingest_token.reveal(), "from-a-file");
  std::filesystem::remove(file);
}

TEST(ServeConfig, RefusesUnknownKeysAndBadValues) {
  config_test::expect_config_error(kSources + "\n[serve]\nport = 80\n", "port");
  config_test::expect_config_error(kSources + "\n[serve]\nmax_clients = 0\n", "max_clients");
  config_test::expect_config_error(kSources + "\n[serve]\nlisten = \"\"\n", "serve.listen");
  config_test::expect_config_error(kSources + "\n[serve]\ningest_token_env = \"UNSET_VAR\"\n",
                                   "UNSET_VAR");
  config_test::expect_config_error(
      kSources + "\n[serve]\ningest_token_env = \"A\"\ningest_token_file = \"/x\"\n", "not both");
}

}  // namespace
}  // namespace meteo
