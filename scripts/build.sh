#!/usr/bin/env bash
# Configures and builds into build/ (BUILD_DIR and BUILD_TYPE override): every target, or only the
# targets named as arguments (`bash scripts/build.sh meteo-etl`). The dashboard page is assembled
# first (web/dist: our sources plus ECharts from the npm registry, pinned by the lockfile) because
# the build embeds it in the binary. Compilations go through ccache when it is installed.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -f web/package-lock.json ]; then
  [ -d web/node_modules ] || (cd web && npm ci --no-audit --no-fund)
  bash web/build.sh
fi
build_dir=${BUILD_DIR:-build}
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" >/dev/null
targets=()
for target in "$@"; do targets+=(--target "$target"); done
cmake --build "$build_dir" -j "$(nproc)" "${targets[@]}"
