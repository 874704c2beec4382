#include "bench_scale.hpp"

#include <stdexcept>

namespace meteo::bench {

namespace {

BenchScale& current_scale() {
  static BenchScale scale{"full", 1'000'000, 100'000, 10'000, std::nullopt};
  return scale;
}

}  // namespace

void select_bench_scale(const std::string& name) {
  if (name == "full") {
    current_scale() = {"full", 1'000'000, 100'000, 10'000, std::nullopt};
  } else if (name == "tiny") {
    // Enough to run every code path once in CI, small enough to take a few seconds: a shallow
    // index builds in milliseconds where the full depth takes seconds per file.
    current_scale() = {"tiny", 2'000, 200, 50, 8};
  } else {
    throw std::invalid_argument("unknown benchmark scale '" + name + "' (full or tiny)");
  }
}

void override_index_max_depth(int depth) {
  current_scale().index_max_depth = depth;
}

const BenchScale& bench_scale() {
  return current_scale();
}

}  // namespace meteo::bench
