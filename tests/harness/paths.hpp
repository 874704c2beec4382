// Where the tests find the shared reference data and the built programs.
#pragma once

#include <string>

namespace meteo::testing {

std::string shared_data(const std::string& relative);  // ../shared/data/<relative>
std::string source_path(const std::string& relative);  // <repo>/<relative>
std::string meteo_etl_binary();
std::string sensor_sim_binary();

}  // namespace meteo::testing
