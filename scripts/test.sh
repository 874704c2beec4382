#!/usr/bin/env bash
# The whole test suite: dependencies, build, then every ctest label (unit, integration, e2e).
# Integration and end-to-end tests start their own private MariaDB (tests/harness/mariadb.sh)
# unless METEO_TEST_DB_HOST names an external server.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
cd "${BUILD_DIR:-build}"
ctest --output-on-failure --timeout 300 -j "$(nproc)" "$@"
