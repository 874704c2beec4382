// Where the tests find the shared reference data and the built programs.
#pragma once

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <vector>

namespace meteo::testing {

// The reference data: $METEO_SHARED_DIR when set, else ../shared beside the repository.
std::string shared_dir();
std::string shared_data(const std::string& relative);  // <shared_dir>/data/<relative>
// The first of `relatives` (under <shared_dir>/data) that cannot be read, "" when all can.
std::string missing_shared_data(std::initializer_list<std::string> relatives);
std::string source_path(const std::string& relative);  // <repo>/<relative>
std::string meteo_etl_binary();
std::string sensor_sim_binary();
std::string portal_sim_binary();
std::string arcgis_sim_binary();

// The command line a page of docs/ shows on a line of its own starting with `starting`, split
// into words without the leading "meteo-etl": what the tests run verbatim (with their config).
// Empty when no line starts so.
std::vector<std::string> documented_command(const std::string& starting,
                                            const std::string& page = "docs/operations.md");

}  // namespace meteo::testing

// Skips the current test, from its body or its fixture's SetUp, when reference data it reads is
// absent (a fresh clone without ../shared): reported as skipped with the way to get the files,
// never as a failure nor as a silent pass.
#define METEO_SKIP_WITHOUT_SHARED_DATA(...)                                                  \
  do {                                                                                       \
    const std::string meteo_missing_ = ::meteo::testing::missing_shared_data({__VA_ARGS__}); \
    if (!meteo_missing_.empty()) {                                                           \
      GTEST_SKIP() << "needs " << meteo_missing_ << ": run scripts/fetch-shared.sh";         \
    }                                                                                        \
  } while (false)
