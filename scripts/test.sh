#!/usr/bin/env bash
# The whole test suite, as CI runs it, in two builds so that each test runs once:
#   1. build-asan/: every suite (unit, integration, e2e, drill) compiled with AddressSanitizer and
#      UBSan (scripts/sanitize.sh). One run proves the behaviour and the absence of memory errors,
#      leaks and undefined behaviour; then the integration suite once more on a Galera cluster.
#   2. build/ (optimised, as shipped): what instrumentation would distort or slow for nothing, the
#      dashboard in headless Chromium and the benchmarks' tiny runs (labels browser and bench).
# Integration and end-to-end tests start their own private MariaDB (tests/harness/mariadb.sh)
# unless METEO_TEST_DB_HOST names an external server. Extra arguments go to both ctest calls.
# METEO_TEST_SANITIZE=0 runs every label in build/ alone: quicker to build, proves less.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh

if [ "${METEO_TEST_SANITIZE:-1}" = 0 ]; then
  bash scripts/build.sh
  cd "${BUILD_DIR:-build}"
  exec ctest --output-on-failure --timeout 300 -j "$(nproc)" -LE soak "$@"
fi

METEO_SANITIZE_EXCLUDE='browser|bench|soak' bash scripts/sanitize.sh "$@"
# The integration suite again, on a 3-node Galera cluster (tests/harness/galera.sh) instead of
# the single server: the tool's SQL as a cluster runs it. Same build, nothing compiled again.
# Not with an external server, which the cluster would not replace.
if [ -z "${METEO_TEST_DB_HOST:-}" ]; then
  METEO_TEST_DB_ENGINE=galera METEO_SANITIZE_EXCLUDE='browser|bench|soak' \
    bash scripts/sanitize.sh -L integration "$@"
fi
# The optimised build: the tool and simulators, plus the targets the browser and bench tests run.
bash scripts/build.sh meteo-etl meteo-sensor-sim meteo-portal-sim e2e_dashboard e2e_air_quality_views \
  integration_dashboard e2e_watch meteo_micro_bench meteo-impact-judge meteo-forecast-judge
cd "${BUILD_DIR:-build}"
ctest --output-on-failure --timeout 300 -j "$(nproc)" -L 'browser|bench' "$@"
