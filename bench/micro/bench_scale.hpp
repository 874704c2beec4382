// How big the benchmarks' inputs are: full size for measurements, tiny for the ctest smoke run.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

namespace meteo::bench {

struct BenchScale {
  std::string name;
  std::size_t match_points = 0;        // points matched per iteration, per region file
  std::size_t payload_readings = 0;    // records in the parsed payload
  std::size_t batch_readings = 0;      // readings written to the database per iteration
  std::optional<int> index_max_depth;  // the region index's levels; empty: its default
};

// Chosen once by main before any benchmark runs: "full" (the default) or "tiny".
// Throws std::invalid_argument for any other name.
void select_bench_scale(const std::string& name);
// --meteo_index_max_depth: the index's depth/speed trade-off without a rebuild.
void override_index_max_depth(int depth);
const BenchScale& bench_scale();

}  // namespace meteo::bench
