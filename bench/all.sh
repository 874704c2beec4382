#!/usr/bin/env bash
# Every benchmark behind docs/benchmarks.md, in one command: the micro-benchmarks (ratio tables
# on stdout, JSON report in build-micro/), then the end-to-end cases (table in build-bench/).
# Each script builds its own Release tree and starts its own MariaDB. A full run takes about an
# hour on 2 cores, most of it the year-long Toulouse backfill; --tiny is a smoke run of both.
#   bench/all.sh [--tiny]
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ${1:-} == --tiny ]]; then
  bash bench/micro.sh --scale tiny
  bash bench/e2e.sh --tiny
else
  bash bench/micro.sh
  bash bench/e2e.sh
fi
