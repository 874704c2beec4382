// Precompiled for every module of src/: the standard headers most files include and the heavy
// third-party headers (nlohmann/json, spdlog with fmt). Parsing these once per build instead of
// once per file is most of what a clean build saves. Never included by hand.
#pragma once

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>
