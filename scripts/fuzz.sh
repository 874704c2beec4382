#!/usr/bin/env bash
# Runs every libFuzzer target of tests/fuzz for N seconds each (default 30) with Debian's clang,
# in build-fuzz/, over a copy of its seed corpus (tests/fuzz/corpus/<target>/ stays as
# committed). Fails on the first crash, sanitizer report, leak, timeout or out-of-memory; the
# input that did it is left in build-fuzz/fuzz-artifacts/<target>/.
#   bash scripts/fuzz.sh [seconds-per-target]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}
bash scripts/install-deps.sh

build_dir=${BUILD_DIR:-build-fuzz}
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
  -DMETEO_FUZZ=ON -DMETEO_BUILD_TESTS=OFF >/dev/null
cmake --build "$build_dir" -j "$(nproc)" --target meteo_fuzz_targets

export ASAN_OPTIONS=detect_leaks=1:check_initialization_order=1:strict_init_order=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

for seeds in tests/fuzz/corpus/*/; do
  target=$(basename "$seeds")
  corpus=$build_dir/fuzz-corpus/$target
  artifacts=$build_dir/fuzz-artifacts/$target
  rm -rf "$corpus" && mkdir -p "$corpus" "$artifacts"
  cp "$seeds"* "$corpus"/
  dictionary=()
  [ -f "tests/fuzz/$target.dict" ] && dictionary=(-dict="tests/fuzz/$target.dict")
  echo "fuzz.sh: $target for ${seconds}s"
  # One process, one input at a time: 2 s per input and 2 GB are far beyond any sane document.
  "$build_dir/tests/fuzz/fuzz_$target" "$corpus" "${dictionary[@]}" -max_total_time="$seconds" \
    -timeout=2 -rss_limit_mb=2048 -max_len=16384 -print_final_stats=1 \
    -artifact_prefix="$artifacts/" 2>"$build_dir/fuzz-$target.log" ||
    { tail -60 "$build_dir/fuzz-$target.log"; echo "fuzz.sh: $target FAILED (see $artifacts/)" >&2; exit 1; }
  grep -E '^stat::number_of_executed_units|^Done' "$build_dir/fuzz-$target.log" || true
done
echo "fuzz.sh: every target ran ${seconds}s without a finding"
