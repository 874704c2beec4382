#!/usr/bin/env bash
# Every benchmark behind docs/benchmarks.md, in one command, printed as one table: the
# micro-benchmarks (matcher, parser, writer), the end-to-end cases (sensor run and its scaling,
# replay, Toulouse backfill, SYNOP month, air quality) and with --peers the peer tools on the
# matcher's points (it installs geopandas and PostGIS). Every figure of the table is the median
# of at least 5 interleaved samples of the tool and its baseline with their min..max; each
# script's own details (stage times, index memory, machine) follow the table.
# Each script builds its own Release tree and starts its own servers; a full run with --peers
# took 24 minutes on 2 cores (2026-12-05, builds cached). --tiny is a smoke run of the first
# two, not a measurement.
#
#   bench/all.sh [--tiny] [--peers] [--doc] [--out FILE]
#
# --out: the report (default build-bench/all-results.md). --doc: also writes the report into
# docs/benchmarks.md, between its "bench/all.sh report" markers, replacing the previous one.
# Exit status: nonzero when a script failed (a case failed, a row is missing, or a verdict is
# ambiguous); the table is printed and written all the same.
set -euo pipefail
cd "$(dirname "$0")/.."
export LC_ALL=C
tiny=false
peers=false
doc=false
out=build-bench/all-results.md
while [[ $# -gt 0 ]]; do
  case $1 in
    --tiny) tiny=true; shift ;;
    --peers) peers=true; shift ;;
    --doc) doc=true; shift ;;
    --out) out=${2:?}; shift 2 ;;
    *) echo "all.sh: unknown option $1 (expected --tiny, --peers, --doc, --out FILE)" >&2; exit 64 ;;
  esac
done
if $tiny && $doc; then
  echo "all.sh: --tiny is not a measurement: it does not go into docs/benchmarks.md" >&2
  exit 64
fi

parts=$(mktemp -d "${TMPDIR:-/tmp}/meteo-bench-all.XXXXXX")
trap 'rm -rf "$parts"' EXIT
failed=()
started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)

# part NAME COMMAND...: runs one script, its stdout kept for the details, its status remembered.
part() {
  local name=$1
  shift
  echo "all.sh: $name: $*" >&2
  if ! "$@" | tee "$parts/$name.out"; then failed+=("$name"); fi
}

if $tiny; then
  part micro bash bench/micro.sh --scale tiny --rows "$parts/micro.rows"
  part e2e bash bench/e2e.sh --tiny --out "$parts/e2e.md"
else
  part micro bash bench/micro.sh --rows "$parts/micro.rows"
  # A buffer pool that holds 1M readings (the production setting: a server sized to its data),
  # and the replay over 8 payloads of 50k.
  part e2e bash bench/e2e.sh --buffer-pool 6G --replay-rows 400000 --out "$parts/e2e.md"
fi
if $peers; then part peers bash bench/peers.sh --rows "$parts/peers.rows"; fi

# table_rows FILE: the data rows of a Markdown table of the 8 common columns (not its header).
table_rows() {
  [[ -r $1 ]] || return 0
  grep '^| ' "$1" | grep -v -e '^| case |' -e '^|---' || true
}

# section FILE: what follows a script's table in its report (notes, machine).
section() {
  [[ -r $1 ]] || return 0
  awk 'seen && !/^\|/ { print } /^\|---/ { seen = 1 }' "$1"
}

report=$parts/report.md
{
  if $tiny; then
    echo "**--tiny: a check of the scripts, not a measurement.**"
    echo
  fi
  echo "\`bash bench/all.sh$($peers && echo " --peers")\`, started $started (load average" \
    "$load_at_start), ended $(date -u +%Y-%m-%dT%H:%M:%SZ) (load average" \
    "$(cut -d' ' -f1-3 /proc/loadavg)). Every figure: median (min..max) of the interleaved" \
    "samples; a ratio is the median of the per-pair ratios (tool/baseline, or as the case says)," \
    "with their min..max; met: yes when every pair meets the goal, no when none does, ambiguous" \
    "otherwise."
  echo
  echo "| case | rows | tool | baseline | ratio | goal | met | tool peak RSS MB |"
  echo "|---|---:|---:|---:|---:|---|---|---:|"
  table_rows "$parts/micro.rows"
  table_rows "$parts/e2e.md"
  if $peers; then table_rows "$parts/peers.rows"; fi
  echo
  if [[ ${#failed[@]} -gt 0 ]]; then
    echo "**Exited nonzero: ${failed[*]}**: a case failed, a row is missing or a verdict is" \
      "ambiguous (the notes below say which)."
    echo
  fi
  echo "### End to end: notes and machine"
  echo
  section "$parts/e2e.md"
  echo "### Micro-benchmarks: details"
  echo
  sed -n '/^Scale:/,$p' "$parts/micro.out"
  if $peers; then
    echo
    echo "### Peers: details"
    echo
    cat "$parts/peers.out"
  fi
} >"$report"

mkdir -p "$(dirname "$out")"
cp "$report" "$out"
echo
cat "$report"
echo "all.sh: report written to $out" >&2

if $doc; then
  begin='<!-- bench/all.sh report: begin -->'
  end='<!-- bench/all.sh report: end -->'
  if ! grep -qxF "$begin" docs/benchmarks.md || ! grep -qxF "$end" docs/benchmarks.md; then
    echo "all.sh: docs/benchmarks.md lacks the report's markers" >&2
    exit 1
  fi
  awk -v begin="$begin" -v end="$end" -v report="$report" '
    $0 == begin { print; while ((getline line < report) > 0) print line; skip = 1; next }
    $0 == end { skip = 0 }
    !skip { print }' docs/benchmarks.md >"$parts/benchmarks.md"
  cp "$parts/benchmarks.md" docs/benchmarks.md
  echo "all.sh: docs/benchmarks.md updated" >&2
fi
if [[ ${#failed[@]} -gt 0 ]]; then
  echo "all.sh: failed: ${failed[*]}" >&2
  exit 1
fi
