#!/usr/bin/env bash
# Every benchmark behind docs/benchmarks.md, in one command: the micro-benchmarks (ratio tables
# on stdout, JSON report in build-micro/), then the end-to-end cases (table in build-bench/), and
# with --peers the peer tools on the matcher's points (it installs geopandas and PostGIS).
# Each script builds its own Release tree and starts its own servers. A full run took about an
# hour on 2 cores while the Toulouse backfill covered a year (now a month by default); --tiny is a
# smoke run of the first two.
#   bench/all.sh [--tiny] [--peers]
set -euo pipefail
cd "$(dirname "$0")/.."
tiny=false
peers=false
for option in "$@"; do
  case $option in
    --tiny) tiny=true ;;
    --peers) peers=true ;;
    *) echo "all.sh: unknown option $option (expected --tiny, --peers)" >&2; exit 64 ;;
  esac
done
if $tiny; then
  bash bench/micro.sh --scale tiny
  bash bench/e2e.sh --tiny
else
  bash bench/micro.sh
  # The settings of docs/benchmarks.md's figures: a buffer pool that holds 1M readings, and the
  # replay over 8 payloads of 50k.
  bash bench/e2e.sh --buffer-pool 6G --replay-rows 400000
fi
if $peers; then bash bench/peers.sh; fi
