#!/usr/bin/env bash
# Runs every libFuzzer target of tests/fuzz with Debian's clang, in build-fuzz/, over a copy of
# its seed corpus (tests/fuzz/corpus/<target>/ stays as committed). Fails on the first crash,
# sanitizer report, leak, timeout or out-of-memory; the input that did it is left in
# build-fuzz/fuzz-artifacts/<target>/ (add it to the corpus once fixed).
#   bash scripts/fuzz.sh [seconds-per-target]   explore with a fresh random seed (default 30 s)
#   bash scripts/fuzz.sh --ci [runs-per-target] replay the corpus, then a fixed seed for a fixed
#                                               number of inputs (default 20000): CI's verdict
#                                               must not depend on luck or machine speed
set -euo pipefail
cd "$(dirname "$0")/.."
mode=explore
if [ "${1:-}" = "--ci" ]; then
  mode=ci
  shift
fi
budget=${1:-$([ "$mode" = ci ] && echo 20000 || echo 30)}
bash scripts/install-deps.sh

build_dir=${BUILD_DIR:-build-fuzz}
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
  -DMETEO_FUZZ=ON -DMETEO_BUILD_TESTS=OFF >/dev/null
cmake --build "$build_dir" -j "$(nproc)" --target meteo_fuzz_targets

export ASAN_OPTIONS=detect_leaks=1:check_initialization_order=1:strict_init_order=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

# One process, one input at a time: 2 s per input and 2 GB are far beyond any sane document.
common=(-timeout=2 -rss_limit_mb=2048 -max_len=16384 -print_final_stats=1)

run_target() {
  local target=$1 log=$2
  shift 2
  "$build_dir/tests/fuzz/fuzz_$target" "$@" "${common[@]}" 2>"$log" ||
    { tail -60 "$log"; echo "fuzz.sh: $target FAILED (see $build_dir/fuzz-artifacts/$target/)" >&2; exit 1; }
  grep -E '^stat::number_of_executed_units|^Done' "$log" || true
}

for seeds in tests/fuzz/corpus/*/; do
  target=$(basename "$seeds")
  corpus=$build_dir/fuzz-corpus/$target
  artifacts=$build_dir/fuzz-artifacts/$target
  rm -rf "$corpus" && mkdir -p "$corpus" "$artifacts"
  cp "$seeds"* "$corpus"/
  dictionary=()
  [ -f "tests/fuzz/$target.dict" ] && dictionary=(-dict="tests/fuzz/$target.dict")
  if [ "$mode" = ci ]; then
    echo "fuzz.sh: $target: every seed, then $budget inputs from seed 1"
    run_target "$target" "$build_dir/fuzz-$target-seeds.log" -runs=0 \
      -artifact_prefix="$artifacts/" "$seeds"
    run_target "$target" "$build_dir/fuzz-$target.log" "$corpus" "${dictionary[@]}" -seed=1 \
      -runs="$budget" -artifact_prefix="$artifacts/"
  else
    echo "fuzz.sh: $target for ${budget}s"
    run_target "$target" "$build_dir/fuzz-$target.log" "$corpus" "${dictionary[@]}" \
      -max_total_time="$budget" -artifact_prefix="$artifacts/"
  fi
done
echo "fuzz.sh: every target passed ($mode, $budget per target)"
