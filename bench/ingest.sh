#!/usr/bin/env bash
# POST /ingest/<source> against `meteo-etl run` on the same payload, on a private MariaDB and
# meteo-sensor-sim (issue: /ingest of a 100k-reading payload within 1.2x of run). Two databases
# are prepared identically (migrate, regions load fr-regions; untimed): A for `run --source
# sensors`, B for a `meteo-etl serve` started once before the samples. The simulator's payload is
# fetched once with curl and saved; /ingest is sent that file by curl.
# One warm-up of each (untimed), then N samples, interleaved (ABBA: run first on odd samples,
# /ingest first on even ones), each the wall time of its command: `run` until it exits, curl
# until the 202 (the load committed). After the warm-up both re-load the same payload of the same
# hour into a database that already holds it, so both sides do the same work: symmetric. A pause
# of a second after each sample lets serve's ledger poller regenerate the site outside the timings.
# Prints each sample, the median of each side and the median of the per-sample ratios
# ingest/run with their min-max spread, and whether the goal (<= 1.2) holds; a missed goal is
# reported, not a failure (the exit status is 0 when every sample ran).
#
#   bench/ingest.sh [--readings R] [--samples N] [--build-dir DIR] [--out FILE] [--keep-work]
#                   [--tiny]
#
# --readings: the payload's readings (default 100000). --samples: N (default 5, at least 5).
# Without --build-dir it builds Release (meteo-etl, meteo-sensor-sim) of a clean export of HEAD
# in ${TMPDIR:-/tmp}/meteo-bench-ingest-build/ (kept between runs, rebuilt by content); with it, that
# build's binaries as they are. --tiny (ctest's check of the script): 2000 readings, 2 samples,
# the report marked "not a measurement". The ingest token and the simulator's key reach curl
# through private header files (-H @file), never its arguments.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"

readings=100000
samples=5
build_dir=""
out=""
keep_work=false
tiny=false
while [[ $# -gt 0 ]]; do
  case $1 in
    --readings) readings=${2:?}; shift 2 ;;
    --samples) samples=${2:?}; shift 2 ;;
    --build-dir) build_dir=${2:?}; shift 2 ;;
    --out) out=${2:?}; shift 2 ;;
    --keep-work) keep_work=true; shift ;;
    --tiny) tiny=true; shift ;;
    -h | --help) usage ;;
    *) echo "ingest.sh: unknown option $1" >&2; usage ;;
  esac
done
if $tiny; then
  readings=2000
  samples=2
fi
for n in "$readings" "$samples"; do
  [[ $n =~ ^[1-9][0-9]*$ ]] || { echo "ingest.sh: not a positive integer: $n" >&2; exit 64; }
done
# A median of fewer samples says little on a shared machine.
if ! $tiny && ((samples < 5)); then
  echo "ingest.sh: --samples must be at least 5 (--tiny checks the script)" >&2
  exit 64
fi
require_tools mariadb curl python3 /usr/bin/time

if [[ -z $build_dir ]]; then
  bench_root="${TMPDIR:-/tmp}/meteo-bench-ingest-build"
  # Resolved once: HEAD may move while the benchmark runs.
  export_commit "$(git -C "$repo" rev-parse HEAD)" "$bench_root/src"
  build_dir="$bench_root/build"
  build_release "$bench_root/src" "$build_dir" meteo-etl meteo-sensor-sim
fi
build_dir=$(cd "$build_dir" && pwd)
bin="$build_dir/meteo-etl"
sensor_sim="$build_dir/meteo-sensor-sim"
for b in "$bin" "$sensor_sim"; do [[ -x $b ]] || die "$b is not built"; done

buffer_pool=256M
start_server "${TMPDIR:-/tmp}" meteo-bench-ingest 256M
serve_pid=""
# The server and the simulator are stopped by lib.sh's cleanup; serve first, by its PID.
stop_serve() {
  if [[ -n $serve_pid ]]; then
    kill "$serve_pid" 2>/dev/null || true
    wait "$serve_pid" 2>/dev/null || true
    serve_pid=""
  fi
}
# cleanup reads the exit status from $?: handed on past stop_serve.
trap 'status=$?; stop_serve; (exit "$status"); cleanup' EXIT

# Secrets: in the environment (ingest_token_env, api_key_env) and in 0600 header files for curl.
METEO_INGEST_TOKEN=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
export METEO_INGEST_TOKEN
(
  umask 077
  printf 'Authorization: Bearer %s\n' "$METEO_INGEST_TOKEN" >"$work/ingest.header"
  printf 'X-API-Key: %s\n' "$SENSOR_API_KEY" >"$work/sim.header"
)

start_sensor_sim "$readings" 42
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
for side in a b; do
  write_sensor_config "$work/$side.toml" "bench_ingest_$side" "$work/archive-$side" "$sim_url"
  prepare_database "$work/$side.toml" fr-regions
done
# B also serves: the site in the work directory, the ingest token from the environment.
cat >>"$work/b.toml" <<TOML

[dashboard]
out = "$work/site"

[serve]
listen = "127.0.0.1:$port"
ledger_poll_ms = 200
ingest_token_env = "METEO_INGEST_TOKEN"
ingest_max_bytes = 4294967296
TOML

(umask 077 && curl -sS --fail -H @"$work/sim.header" -o "$work/payload.json" "$sim_url") ||
  die "could not fetch the payload from the simulator"
payload_mb=$(awk -v b="$(stat -c %s "$work/payload.json")" 'BEGIN { printf "%.1f", b / 1048576 }')

"$bin" --config "$work/b.toml" --log-level warn serve >"$work/serve.log" 2>&1 &
serve_pid=$!
until curl -s -o /dev/null "http://127.0.0.1:$port/healthz"; do
  kill -0 "$serve_pid" 2>/dev/null || die "meteo-etl serve exited (see $work/serve.log)"
  sleep 0.1
done

time_run() { measure "$1" "$bin" --config "$work/a.toml" --log-level warn run --source sensors; }
# curl prints the status; anything but 202 fails the benchmark.
time_ingest() {
  measure "$1" curl -sS -o "$work/$1.json" -w '%{http_code}' -H @"$work/ingest.header" \
    -H 'Content-Type: application/json' --data-binary @"$work/payload.json" \
    "http://127.0.0.1:$port/ingest/sensors"
  [[ $(cat "$work/$1.out") == 202 ]] ||
    die "/ingest answered $(cat "$work/$1.out"): $(cat "$work/$1.json")"
}

log "warm-up: one run on A, one /ingest on B ($readings readings, $payload_mb MB)"
time_run warmup-run
time_ingest warmup-ingest
sleep 1

declare -a run_s ingest_s ratios
for ((k = 1; k <= samples; ++k)); do
  if ((k % 2)); then order="run ingest"; else order="ingest run"; fi
  for side in $order; do
    if [[ $side == run ]]; then
      time_run "run-$k"
      run_s+=("$seconds")
    else
      time_ingest "ingest-$k"
      ingest_s+=("$seconds")
    fi
    sleep 1
  done
  ratios+=("$(ratio "${ingest_s[-1]}" "${run_s[-1]}")")
  log "sample $k: run ${run_s[-1]} s, /ingest ${ingest_s[-1]} s, ratio ${ratios[-1]}"
done
stop_serve

# Both databases hold the same product (the e2e test proves it in detail; here a check that
# what was timed loaded the same rows).
product() {
  sql "bench_ingest_$1" -e "SELECT region_set, region_code, hour, numberOfPoints, temperature_sum
    FROM region_hourly_temperature ORDER BY 1, 2, 3; SELECT COUNT(*) FROM sensor_readings;
    SELECT COUNT(*) FROM rejected_records"
}
[[ $(product a) == "$(product b)" ]] || die "databases A (run) and B (/ingest) differ"
ingest_runs=$(sql bench_ingest_b -e "SELECT COUNT(*) FROM etl_runs
  WHERE kind = 'ingest' AND status = 'succeeded'")
[[ $ingest_runs -eq $((samples + 1)) ]] || die "$ingest_runs ingest runs succeeded, not $((samples + 1))"

# median of the arguments, and "lo-hi".
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
  printf "%.3f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
spread() { printf '%s\n' "$@" | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END {
  printf "%.2f-%.2f", lo, hi }'; }
median_ratio=$(median "${ratios[@]}")
if at_most "$median_ratio" 1.2; then verdict="holds"; else verdict="missed"; fi

report() {
  echo "## /ingest vs run: $readings readings ($payload_mb MB), $samples samples"
  echo
  if $tiny; then echo "**Tiny run of the script: not a measurement.**" && echo; fi
  if $tiny; then command="--tiny"; else command="--readings $readings --samples $samples"; fi
  echo "\`bench/ingest.sh $command\`"
  echo
  describe_machine "$buffer_pool"
  describe_compiler "$build_dir"
  echo "- Build: $(cache_value "$build_dir" CMAKE_BUILD_TYPE) ($build_dir)"
  describe_date
  echo
  echo "| sample | order | run (s) | /ingest (s) | ingest/run |"
  echo "| --- | --- | ---: | ---: | ---: |"
  for ((i = 0; i < samples; ++i)); do
    if ((i % 2 == 0)); then order="run, /ingest"; else order="/ingest, run"; fi
    echo "| $((i + 1)) | $order | ${run_s[$i]} | ${ingest_s[$i]} | ${ratios[$i]} |"
  done
  echo "| median | | $(median "${run_s[@]}") | $(median "${ingest_s[@]}") | $median_ratio |"
  echo
  echo "Median ratio /ingest / run: $median_ratio (per-sample spread $(spread "${ratios[@]}"))." \
    "Goal <= 1.2: $verdict."
}
report | tee "${out:-/dev/null}"
