#include "paths.hpp"

namespace meteo::testing {

std::string shared_data(const std::string& relative) {
  return std::string(METEO_SHARED_DIR) + "/data/" + relative;
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

}  // namespace meteo::testing
