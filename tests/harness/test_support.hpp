// Helpers any test may use, needing no server and no module of the tool: a unit test links them
// besides its module (meteo_test_support), meteo_test_process and meteo_test_database pass them on.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace meteo::testing {

// The lines of `text`, without their '\n'.
std::vector<std::string> lines_of(const std::string& text);

// The whole file; "" when it cannot be read (the caller's expectations then say what is missing).
std::string read_text(const std::filesystem::path& path);

bool contains(const std::string& text, const std::string& part);

// An EnvironmentLookup (meteo/config.hpp) that sees `values` alone, never the process's own.
std::function<std::optional<std::string>(const std::string&)> environment_of(
    std::map<std::string, std::string> values = {});

// The smallest valid configuration: one region set, one sensor source, every other key defaulted.
inline constexpr const char* kMinimalConfig = R"(
[[region_sets]]
name = "fr-regions"
location = "/srv/regions.geojson"

[[sources]]
name = "sensors"
type = "sensor-api"
url = "https://sensors.example/temperatures"
region_sets = ["fr-regions"]
)";

}  // namespace meteo::testing
