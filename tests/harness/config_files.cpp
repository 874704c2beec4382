#include "config_files.hpp"

#include <sstream>

#include "paths.hpp"

namespace meteo::testing {

std::string database_toml(const DatabaseConfig& db) {
  std::ostringstream toml;
  toml << "[database]\n";
  if (db.hosts.empty()) {
    if (!db.socket.empty()) toml << "socket = \"" << db.socket << "\"\n";
    toml << "host = \"" << db.host << "\"\nport = " << db.port << "\n";
  } else {
    toml << "hosts = [";
    for (std::size_t i = 0; i < db.hosts.size(); ++i) {
      const std::string& host = db.hosts[i].host;
      toml << (i == 0 ? "\"" : ", \"")
           << (host.find(':') == std::string::npos ? host : "[" + host + "]") << ':'
           << db.hosts[i].port << '"';
    }
    toml << "]\n";
  }
  toml << "user = \"" << db.user << "\"\nname = \"" << db.name << "\"\n";
  if (!db.password.empty()) toml << "password_env = \"METEO_DB_PASSWORD\"\n";
  if (db.load_data_local) toml << "load_data_local = true\n";
  if (db.lease_ttl != DatabaseConfig{}.lease_ttl) {
    toml << "lease_seconds = " << db.lease_ttl.count() << "\n";
  }
  return toml.str();
}

std::string sensor_site_toml(const DatabaseConfig& db, const std::string& archive_root,
                             const std::string& sensor_url) {
  return database_toml(db) + "\n[archive]\nroot = \"" + archive_root +
         "\"\n\n[[region_sets]]\nname = \"fr-regions\"\nlocation = \"" +
         shared_data("geo/regions.geojson") +
         "\"\n\n[[sources]]\nname = \"sensors\"\ntype = \"sensor-api\"\nurl = \"" + sensor_url +
         "\"\napi_key_env = \"SENSOR_API_KEY\"\nregion_sets = [\"fr-regions\"]\n"
         "[sources.http]\nretry_attempts = 1\n";
}

Environment cron_environment(const std::string& config_path, const DatabaseConfig& db) {
  Environment environment{{"PATH", "/usr/bin:/bin"}, {"METEO_ETL_CONFIG", config_path}};
  if (!db.password.empty()) environment["METEO_DB_PASSWORD"] = db.password.reveal();
  return environment;
}

}  // namespace meteo::testing
