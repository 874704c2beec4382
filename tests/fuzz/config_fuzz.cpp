// libFuzzer target: the TOML configuration from text. Every secret lookup finds nothing (the
// fuzzer must not read the machine's environment). Refusals are meteo::Error; anything else is a
// bug.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "meteo/config/config.hpp"
#include "meteo/core/errors.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const meteo::EnvironmentLookup no_environment = [](const std::string&) {
    return std::optional<std::string>();
  };
  try {
    const meteo::Config config = meteo::parse_config(text, "fuzz.toml", no_environment);
    // A parsed config's references resolve: every source's region sets exist.
    for (const meteo::SourceConfig& source : config.sources) {
      for (const std::string& set : source.region_sets) {
        const auto named = [&](const meteo::RegionSetConfig& spec) { return spec.name == set; };
        if (std::ranges::none_of(config.region_sets, named)) std::abort();
      }
    }
  } catch (const meteo::Error&) {
    // Expected: a configuration refused with "<origin>:<line>:<column>: ..." or a key's problem.
  }
  return 0;
}
