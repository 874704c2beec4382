#!/usr/bin/env bash
# `meteo-etl ingest --file` of a month of Météo-France SYNOP at about 60 stations (issue #21: "a
# month of SYNOP, about 15 000 records, from a file in under 2 s"), on a private MariaDB. The
# file: meteo-portal-sim --synop's exports/json of December 2023 (26 stations, fetched once with
# curl), its stations copied under other WMO ids up to --stations (the copies keep their
# coordinates, so they match the same regions). Each sample loads it into a fresh database
# (migrate and regions load untimed) and is the wall time of `ingest` until it exits.
# Prints each sample and the median, and whether the goal (< 2 s) holds; a missed goal is
# reported, not a failure (the exit status is 0 when every sample ran).
#
#   bench/synop_ingest.sh [--stations S] [--samples N] [--build-dir DIR] [--out FILE]
#                         [--keep-work] [--tiny]
#
# --stations: S (default 60). --samples: N (default 5, at least 5). Without --build-dir it builds
# Release (meteo-etl, meteo-portal-sim) of a clean export of HEAD in
# ${TMPDIR:-/tmp}/meteo-bench-synop-build/; with it, that build's binaries as they are. --tiny
# (a check of the script): 26 stations, 2 samples, the report marked "not a measurement".
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"

stations=60
samples=5
build_dir=""
out=""
keep_work=false
tiny=false
while [[ $# -gt 0 ]]; do
  case $1 in
    --stations) stations=${2:?}; shift 2 ;;
    --samples) samples=${2:?}; shift 2 ;;
    --build-dir) build_dir=${2:?}; shift 2 ;;
    --out) out=${2:?}; shift 2 ;;
    --keep-work) keep_work=true; shift ;;
    --tiny) tiny=true; shift ;;
    -h | --help) usage ;;
    *) echo "synop_ingest.sh: unknown option $1" >&2; usage ;;
  esac
done
if $tiny; then
  stations=26
  samples=2
fi
for n in "$stations" "$samples"; do
  [[ $n =~ ^[1-9][0-9]*$ ]] || { echo "synop_ingest.sh: not a positive integer: $n" >&2; exit 64; }
done
if ! $tiny && ((samples < 5)); then
  echo "synop_ingest.sh: --samples must be at least 5 (--tiny checks the script)" >&2
  exit 64
fi
require_tools mariadb curl python3 /usr/bin/time

if [[ -z $build_dir ]]; then
  bench_root="${TMPDIR:-/tmp}/meteo-bench-synop-build"
  export_commit "$(git -C "$repo" rev-parse HEAD)" "$bench_root/src"
  build_dir="$bench_root/build"
  build_release "$bench_root/src" "$build_dir" meteo-etl meteo-portal-sim
fi
build_dir=$(cd "$build_dir" && pwd)
bin="$build_dir/meteo-etl"
portal_sim="$build_dir/meteo-portal-sim"
for b in "$bin" "$portal_sim"; do [[ -x $b ]] || die "$b is not built"; done

buffer_pool=256M
start_server "${TMPDIR:-/tmp}" meteo-bench-synop 256M

# The month's file (lib.sh): the simulator's December 2023, its stations copied up to $stations.
make_synop_month "$stations" "$work/synop-month.json"
records=$synop_records
file_mb=$(awk -v b="$(stat -c %s "$work/synop-month.json")" 'BEGIN { printf "%.1f", b / 1048576 }')

log "$samples sample(s): ingest --file of $records records at $stations stations ($file_mb MB)"
declare -a ingest_s
for ((k = 1; k <= samples; ++k)); do
  write_synop_config "$work/synop.toml" "bench_synop_$k" "$work/archive"
  prepare_database "$work/synop.toml" fr-regions
  measure "ingest-$k" "$bin" --config "$work/synop.toml" --log-level warn ingest \
    --source synop-france --file "$work/synop-month.json"
  ingest_s+=("$seconds")
  stored=$(sql "bench_synop_$k" -e "SELECT COUNT(*) FROM weather_observations")
  [[ $stored -eq $records ]] || die "sample $k stored $stored observations, not $records"
  log "sample $k: ${seconds} s (peak RSS $rss_mb MB)"
done

read -r median_s low_s high_s <<<"$(stats "${ingest_s[*]}")"
if awk -v s="$median_s" 'BEGIN { exit !(s < 2) }'; then verdict="holds"; else verdict="missed"; fi

report() {
  echo "## ingest --file: a month of SYNOP, $records records at $stations stations ($file_mb MB)"
  echo
  if $tiny; then echo "**Tiny run of the script: not a measurement.**" && echo; fi
  if $tiny; then command="--tiny"; else command="--stations $stations --samples $samples"; fi
  echo "\`bench/synop_ingest.sh $command\`"
  echo
  describe_machine "$buffer_pool"
  describe_compiler "$build_dir"
  echo "- Build: $(cache_value "$build_dir" CMAKE_BUILD_TYPE) ($build_dir)"
  describe_date
  echo
  echo "| sample | ingest (s) |"
  echo "| --- | ---: |"
  for ((i = 0; i < samples; ++i)); do echo "| $((i + 1)) | ${ingest_s[$i]} |"; done
  echo "| median | $median_s |"
  echo
  echo "Median: $median_s s ($low_s..$high_s). Goal < 2 s: $verdict."
}
report | tee "${out:-/dev/null}"
