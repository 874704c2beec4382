#include "test_database.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <sstream>
#include <stdexcept>

#include "meteo/store/migrations.hpp"

namespace meteo::testing {

namespace {

std::optional<std::string> environment(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

// KEY=VALUE lines, as harness/mariadb.sh writes them.
std::map<std::string, std::string> read_env_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    throw std::runtime_error("cannot read " + path + ": was the mariadb fixture started?");
  }
  std::map<std::string, std::string> values;
  for (std::string line; std::getline(in, line);) {
    const auto equals = line.find('=');
    if (equals != std::string::npos) values[line.substr(0, equals)] = line.substr(equals + 1);
  }
  return values;
}

DatabaseConfig external_server(const std::string& host) {
  DatabaseConfig config;
  config.host = host;
  config.port = std::stoi(environment("METEO_TEST_DB_PORT").value_or("3306"));
  config.user = environment("METEO_TEST_DB_USER").value_or("root");
  config.password = Secret(environment("METEO_TEST_DB_PASSWORD").value_or(""));
  config.socket = environment("METEO_TEST_DB_SOCKET").value_or("");
  return config;
}

DatabaseConfig private_server(const std::string& dir) {
  auto values = read_env_file(dir + "/env");
  DatabaseConfig config;
  config.host = "127.0.0.1";
  config.port = std::stoi(values.count("METEO_TEST_DB_PORT") ? values["METEO_TEST_DB_PORT"] : "0");
  config.socket = values["METEO_TEST_DB_SOCKET"];  // preferred: no port to race for
  config.user = values.count("METEO_TEST_DB_USER") ? values["METEO_TEST_DB_USER"] : "root";
  return config;
}

std::string unique_name() {
  static std::atomic<int> counter{0};
  std::random_device random;
  std::ostringstream name;
  name << "t_" << ::getpid() << '_' << counter++ << '_' << std::hex << (random() & 0xffffff);
  return name.str();
}

Database connect_to_server(DatabaseConfig config) {
  config.name.clear();
  return Database::connect(config);
}

// The bulk path is what loads take wherever the server allows it, so the tests take it too;
// METEO_TEST_LOAD_DATA_LOCAL=0 runs them all through INSERT instead.
DatabaseConfig with_load_data_policy(DatabaseConfig config) {
  config.load_data_local = environment("METEO_TEST_LOAD_DATA_LOCAL").value_or("1") != "0";
  return config;
}

DatabaseConfig server_config() {
  if (auto host = environment("METEO_TEST_DB_HOST")) {
    return with_load_data_policy(external_server(*host));
  }
  if (auto dir = environment("METEO_TEST_DB_DIR")) {
    return with_load_data_policy(private_server(*dir));
  }
  throw std::runtime_error(
      "no test database server: set METEO_TEST_DB_HOST (external server) or METEO_TEST_DB_DIR "
      "(the directory of tests/harness/mariadb.sh start), or run the tests through ctest");
}

}  // namespace

DatabaseConfig test_server_config() {
  auto config = server_config();
  config.name.clear();  // the server, no database: ScratchDatabase picks one
  return config;
}

ScratchDatabase::ScratchDatabase() : ScratchDatabase(false) {}

ScratchDatabase::ScratchDatabase(bool migrate) : config_(test_server_config()) {
  const auto name = unique_name();
  connect_to_server(config_).execute("CREATE DATABASE `" + name + "` CHARACTER SET utf8mb4");
  config_.name = name;
  if (!migrate) return;
  try {
    auto db = connect();
    apply_migrations(db, bundled_migrations());
  } catch (...) {
    connect_to_server(config_).execute("DROP DATABASE IF EXISTS `" + name + "`");
    throw;
  }
}

ScratchDatabase::~ScratchDatabase() {
  try {
    connect_to_server(config_).execute("DROP DATABASE IF EXISTS `" + config_.name + "`");
  } catch (const std::exception& error) {
    std::cerr << "could not drop the scratch database " << config_.name << ": " << error.what()
              << '\n';
  }
}

ScratchDatabase ScratchDatabase::migrated() {
  return ScratchDatabase(true);
}

}  // namespace meteo::testing
