#include "config_files.hpp"

#include <sstream>

namespace meteo::testing {

std::string database_toml(const DatabaseConfig& db) {
  std::ostringstream toml;
  toml << "[database]\n";
  if (!db.socket.empty()) toml << "socket = \"" << db.socket << "\"\n";
  toml << "host = \"" << db.host << "\"\nport = " << db.port << "\nuser = \"" << db.user
       << "\"\nname = \"" << db.name << "\"\n";
  if (!db.password.empty()) toml << "password_env = \"METEO_DB_PASSWORD\"\n";
  if (db.load_data_local) toml << "load_data_local = true\n";
  return toml.str();
}

Environment cron_environment(const std::string& config_path, const DatabaseConfig& db) {
  Environment environment{{"PATH", "/usr/bin:/bin"}, {"METEO_ETL_CONFIG", config_path}};
  if (!db.password.empty()) environment["METEO_DB_PASSWORD"] = db.password.reveal();
  return environment;
}

}  // namespace meteo::testing
