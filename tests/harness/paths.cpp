#include "paths.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "test_support.hpp"

namespace meteo::testing {

std::string shared_dir() {
  const char* overridden = std::getenv("METEO_SHARED_DIR");
  return overridden && *overridden ? overridden : METEO_DEFAULT_SHARED_DIR;
}
std::string shared_data(const std::string& relative) {
  return shared_dir() + "/data/" + relative;
}
std::string missing_shared_data(std::initializer_list<std::string> relatives) {
  for (const std::string& relative : relatives) {
    const std::string path = shared_data(relative);
    if (!std::ifstream(path)) return path;
  }
  return "";
}
std::string source_path(const std::string& relative) {
  return std::string(METEO_SOURCE_DIR) + "/" + relative;
}
std::string meteo_etl_binary() {
  return METEO_ETL_BINARY;
}
std::string sensor_sim_binary() {
  return METEO_SENSOR_SIM_BINARY;
}
std::string portal_sim_binary() {
  return METEO_PORTAL_SIM_BINARY;
}
std::string arcgis_sim_binary() {
  return METEO_ARCGIS_SIM_BINARY;
}

std::vector<std::string> documented_command(const std::string& starting, const std::string& page) {
  const std::string doc = read_text(source_path(page));
  // A line that starts with the command: the prose may name it in backquotes.
  auto at = doc.find("\n" + starting);
  if (at == std::string::npos) return {};
  ++at;
  std::istringstream line(doc.substr(at, doc.find('\n', at) - at));
  std::vector<std::string> words;
  for (std::string word; line >> word;) words.push_back(word);
  if (words.empty()) return {};
  return std::vector<std::string>(words.begin() + 1, words.end());  // without "meteo-etl"
}

}  // namespace meteo::testing
