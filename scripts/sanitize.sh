#!/usr/bin/env bash
# The whole test suite (every ctest label: unit, integration, e2e, drill...) built with
# AddressSanitizer and UndefinedBehaviorSanitizer (gcc), in build-asan/. Any report fails its
# test: UB aborts (-fno-sanitize-recover), ASan and LeakSanitizer exit non-zero. The browser
# label is left out by default (Chromium under a sanitized tool adds minutes and finds nothing
# the e2e tests do not): METEO_SANITIZE_BROWSER=1 keeps it. Extra arguments go to ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh

# The dashboard page is embedded in the binary: assemble it as build.sh does when it is missing.
if [ ! -d web/dist ] && [ -f web/package-lock.json ]; then
  [ -d web/node_modules ] || (cd web && npm ci --no-audit --no-fund)
  bash web/build.sh
fi

build_dir=${SANITIZE_BUILD_DIR:-build-asan}
# -O1 -g1, as the sanitizers' own documentation suggests: fast enough to run, quicker to compile
# than -O2 -g, and line tables are all a report's stack needs.
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMETEO_SANITIZE=address,undefined \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" >/dev/null
cmake --build "$build_dir" -j "$(nproc)"

# Inherited by every test and by the processes they start (meteo-etl, the simulators).
suppressions=$PWD/tests/sanitizers
export ASAN_OPTIONS=detect_leaks=1:check_initialization_order=1:strict_init_order=1:detect_stack_use_after_return=1
export LSAN_OPTIONS=suppressions=$suppressions/lsan.supp:print_suppressions=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# The region index's equivalence check against GEOS: what it proves does not need 200k points per
# file a second time, only the instrumented code paths.
export METEO_GEO_CHECK_POINTS=${METEO_GEO_CHECK_POINTS:-20000}

# ctest keeps only one -LE, so the labels to leave out are a setting (test.sh adds bench).
label_filter=(-LE "${METEO_SANITIZE_EXCLUDE:-browser}")
[ "${METEO_SANITIZE_BROWSER:-0}" = 1 ] && label_filter=()
cd "$build_dir"
# Instrumented code runs a few times slower: a longer per-test timeout than test.sh's.
ctest --output-on-failure --timeout 900 -j "$(nproc)" "${label_filter[@]}" "$@"
