// A baseline the server is configured not to allow is unavailable, not failed: main reports it
// and still exits 0, where any other SkipWithError fails the run (and the ctest test).
#pragma once

#include <benchmark/benchmark.h>

#include <string>
#include <string_view>

namespace meteo::bench {

inline constexpr std::string_view kUnavailablePrefix = "unavailable: ";

inline void skip_as_unavailable(benchmark::State& state, const std::string& reason) {
  state.SkipWithError((std::string(kUnavailablePrefix) + reason).c_str());
}

inline bool is_unavailable(const std::string& error_message) {
  return error_message.starts_with(kUnavailablePrefix);
}

}  // namespace meteo::bench
