#!/usr/bin/env bash
# End-to-end benchmark of meteo-etl against a baseline measured in the same run, on a private
# MariaDB. Prints one markdown table (and writes it to --out) with, per case, the tool's wall time
# and peak RSS (/usr/bin/time -v) beside the baseline's:
#   1. sensor `run` of N readings served by meteo-sensor-sim (fetch, archive, parse, validate,
#      match against the 13 regions, store, aggregate) vs LOAD DATA LOCAL INFILE of the same N
#      rows into an empty copy of sensor_readings (goal: ratio <= 1.5; RSS < 200 MB from 1M on);
#   2. linear scaling: seconds per million readings at N vs at the smallest size;
#   3. `replay --jobs 2` vs `replay --jobs 1` over one archive of 8 payloads (goal: speedup > 1);
#   4. Toulouse `backfill` of S stations x D days from meteo-portal-sim vs LOAD DATA of the same
#      observation rows into an empty copy of weather_observations (goal: ratio <= 1.5).
#
#   bench/e2e.sh [--sizes "10000 100000 1000000"] [--replay-rows N] [--stations S] [--days D]
#                [--cases "run replay backfill"] [--tiny] [--build-dir DIR | --commit REV]
#                [--out FILE] [--keep-work] [--buffer-pool SIZE]
#
# --buffer-pool sets the benchmark server's InnoDB buffer pool (default 256M, the tests' size);
# both the tool and the LOAD DATA baseline run against that one server.
#
# Without --build-dir it configures and builds Release in build-bench/ (only the three binaries
# it runs) from the working tree; --commit REV builds that commit instead (git archive into
# build-bench/commit-src, built in build-bench/commit), so that uncommitted edits in progress do
# not end up in the measurement. With --build-dir it uses that build's binaries as they are
# (ctest's tiny run).
# Goals missed are reported, not failures: the exit status is 0 when every case ran and its row
# is in the table, nonzero otherwise.
set -euo pipefail
export LC_ALL=C  # decimal points in $EPOCHREALTIME and awk, whatever the caller's locale

repo=$(cd "$(dirname "$0")/.." && pwd)
shared="$repo/../shared"

usage() {
  sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0" >&2
  exit 64
}

sizes="10000 100000 1000000"
replay_rows=""
stations=45
days=365
tiny=false
build_dir=""
commit_rev=""
buffer_pool=256M
out=""
keep_work=false
cases="run replay backfill"
while [[ $# -gt 0 ]]; do
  case $1 in
    --sizes) sizes=${2:?}; shift 2 ;;
    --replay-rows) replay_rows=${2:?}; shift 2 ;;
    --stations) stations=${2:?}; shift 2 ;;
    --days) days=${2:?}; shift 2 ;;
    --tiny) tiny=true; shift ;;
    --build-dir) build_dir=${2:?}; shift 2 ;;
    --commit) commit_rev=${2:?}; shift 2 ;;
    --out) out=${2:?}; shift 2 ;;
    --keep-work) keep_work=true; shift ;;
    --cases) cases=${2:?}; shift 2 ;;
    --buffer-pool) buffer_pool=${2:?}; shift 2 ;;
    -h | --help) usage ;;
    *) echo "e2e.sh: unknown option $1" >&2; usage ;;
  esac
done
if $tiny; then
  sizes=2000
  replay_rows=2000
  stations=2
  days=2
fi
read -r -a size_list <<<"$sizes"
for n in "${size_list[@]}" "${replay_rows:-1}" "$stations" "$days"; do
  [[ $n =~ ^[1-9][0-9]*$ ]] || { echo "e2e.sh: not a positive integer: $n" >&2; exit 64; }
done
[[ ${#size_list[@]} -gt 0 ]] || { echo "e2e.sh: --sizes is empty" >&2; exit 64; }
# Ascending, so the scaling rows compare against the smallest size.
mapfile -t size_list < <(printf '%s\n' "${size_list[@]}" | sort -n -u)
smallest=${size_list[0]}
largest=${size_list[-1]}
# 8 payloads of the largest size / 8, capped at a million readings in all so that a 10M run does
# not also replay 10M twice.
if [[ -z $replay_rows ]]; then
  replay_rows=$((largest < 1000000 ? largest : 1000000))
fi
per_payload=$((replay_rows / 8))
((per_payload > 0)) || { echo "e2e.sh: --replay-rows must be at least 8" >&2; exit 64; }
replay_rows=$((per_payload * 8))

want() { [[ " $cases " == *" $1 "* ]]; }
for c in $cases; do
  [[ $c =~ ^(run|replay|backfill)$ ]] || { echo "e2e.sh: unknown case $c" >&2; exit 64; }
done

log() { echo "bench: $*" >&2; }
die() { echo "bench: error: $*" >&2; exit 1; }

for tool in /usr/bin/time python3 curl mariadb; do
  command -v "$tool" >/dev/null || die "$tool is missing: run scripts/install-deps.sh"
done
[[ -r $shared/data/geo/regions.geojson ]] || die "$shared/data/geo/regions.geojson is missing"

# ---- Build ---------------------------------------------------------------------------------------

[[ -z $build_dir || -z $commit_rev ]] || die "--build-dir and --commit exclude each other"
source_dir=$repo
if [[ -z $build_dir ]]; then
  build_dir="$repo/build-bench"
  if [[ -n $commit_rev ]]; then
    # A clean export of the commit, resolved once (HEAD may move while the benchmark runs).
    # git archive stamps every file with the commit's time, which can be older than objects
    # built from another commit: the export is synced into the source tree by content instead,
    # so exactly the files that differ get a fresh mtime and are rebuilt.
    commit_rev=$(git -C "$repo" rev-parse --short "$commit_rev")
    source_dir="$build_dir/commit-src"
    export_dir="$build_dir/commit-export"
    rm -rf "$export_dir"
    mkdir -p "$export_dir" "$source_dir"
    git -C "$repo" archive --format=tar "$commit_rev" | tar -x -C "$export_dir"
    rsync -r --checksum --delete "$export_dir/" "$source_dir/"
    rm -rf "$export_dir"
    build_dir="$build_dir/commit"
  fi
  mkdir -p "$build_dir"
  build_log="$build_dir/bench-build.log"
  log "building Release in $build_dir (meteo-etl, meteo-sensor-sim, meteo-portal-sim)"
  # Two jobs: the machine's cores are shared; only the targets the benchmark runs. Compiler
  # output goes to the log, shown only when the build fails.
  if ! { cmake -S "$source_dir" -B "$build_dir" -DCMAKE_BUILD_TYPE=Release \
    -DMETEO_BUILD_TESTS=OFF && cmake --build "$build_dir" -j2 \
    --target meteo-etl meteo-sensor-sim meteo-portal-sim; } >"$build_log" 2>&1; then
    tail -n 40 "$build_log" >&2
    die "the build failed (whole log: $build_log)"
  fi
fi
build_dir=$(cd "$build_dir" && pwd)
bin="$build_dir/meteo-etl"
sensor_sim="$build_dir/meteo-sensor-sim"
portal_sim="$build_dir/meteo-portal-sim"
for b in "$bin" "$sensor_sim" "$portal_sim"; do
  [[ -x $b ]] || die "$b is not built"
done
out=${out:-$repo/build-bench/e2e-results.md}

# ---- Private MariaDB and cleanup -------------------------------------------------------------------

# Under the build tree: each run gets its own datadir, socket and ephemeral port.
work=$(mktemp -d "$build_dir/bench-e2e.XXXXXX")
db_dir="$work/mariadb"
sim_pid=""
cleanup() {
  local status=$?
  if [[ -n $sim_pid ]]; then kill "$sim_pid" 2>/dev/null || true; fi
  bash "$repo/tests/harness/mariadb.sh" stop "$db_dir" >/dev/null 2>&1 || true
  if $keep_work; then log "work files kept in $work"; else rm -rf "$work"; fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

log "starting a private MariaDB in $db_dir"
# Always our own server, even where the tests use an external one (CI's METEO_TEST_DB_HOST):
# the baseline and the tool must share one server that nothing else loads.
# Its own tmpdir too: a shared /tmp that someone cleans under a running server makes a query's
# temporary table vanish (seen here: MySQL error 6 "Error on delete of /tmp/#sql-temptable...").
mkdir -p "$work/tmp"
env -u METEO_TEST_DB_HOST TMPDIR="$work/tmp" METEO_MARIADB_BUFFER_POOL="$buffer_pool" \
  bash "$repo/tests/harness/mariadb.sh" start "$db_dir" >&2
socket=$(sed -n 's/^METEO_TEST_DB_SOCKET=//p' "$db_dir/env")
sql() { mariadb --no-defaults --socket="$socket" --user=root --batch --skip-column-names "$@"; }
mariadb_version=$(sql -e "SELECT VERSION()")
load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)  # other users of the machine skew timings

export SENSOR_API_KEY="bench-e2e-key"  # a throw-away key for the local simulator
# curl reads the header from a 0600 file rather than its command line.
(umask 077 && printf 'X-API-Key: %s\n' "$SENSOR_API_KEY" >"$work/api-key.header")

# ---- Measuring -------------------------------------------------------------------------------------

# measure NAME CMD...: runs CMD under /usr/bin/time -v; sets seconds (wall, from the shell's
# microsecond clock around it) and rss_mb (peak RSS). Output in $work/NAME.{out,err}.
measure() {
  local name=$1
  shift
  local start=$EPOCHREALTIME
  if ! /usr/bin/time -v -o "$work/$name.time" "$@" >"$work/$name.out" 2>"$work/$name.err"; then
    tail -n 30 "$work/$name.err" >&2
    die "$name failed: $*"
  fi
  local end=$EPOCHREALTIME
  seconds=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')
  rss_mb=$(awk -F': ' '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }' \
    "$work/$name.time")
}

# A fresh database with the schema and the given region set, loaded by the tool (untimed).
prepare_database() {
  local config=$1 set=$2
  "$bin" --config "$config" --log-level warn migrate >>"$work/setup.log" 2>&1 ||
    die "migrate failed (see $work/setup.log)"
  "$bin" --config "$config" --log-level warn regions load --set "$set" >>"$work/setup.log" 2>&1 ||
    die "regions load failed (see $work/setup.log)"
}

# write_sensor_config FILE DATABASE ARCHIVE URL
write_sensor_config() {
  sql -e "CREATE DATABASE IF NOT EXISTS \`$2\` CHARACTER SET utf8mb4"
  cat >"$1" <<TOML
[database]
socket = "$socket"
user = "root"
name = "$2"
load_data_local = true

[archive]
root = "$3"

# The run's stage durations, for the log line after each run.
[monitoring]
metrics_file = "${1%.toml}.prom"

# The pipeline of the brief: fetch, archive, parse, validate, match, store, aggregate.
[verify]
after_run = false

[[region_sets]]
name = "fr-regions"
location = "$shared/data/geo/regions.geojson"
format = "geojson"
code_field = "code"
name_field = "nom"
matching = "polygon"

[[sources]]
name = "sensors"
type = "sensor-api"
url = "$4"
api_key_env = "SENSOR_API_KEY"
region_sets = ["fr-regions"]
[sources.http]
timeout_ms = 3600000
max_body_mb = 1048576
retry_attempts = 1
TOML
}

# start_sensor_sim RECORDS SEED: one deterministic payload of RECORDS valid readings, served
# uncompressed (--identity) so the simulator's own gzip does not count as the tool's time.
start_sensor_sim() {
  local port_file="$work/sim.port"
  rm -f "$port_file"
  "$sensor_sim" --port 0 --port-file "$port_file" --records "$1" --seed "$2" --identity \
    --api-key "$SENSOR_API_KEY" 2>>"$work/sim.log" &
  sim_pid=$!
  # Generating 10M readings takes a while: wait as long as the process lives.
  until [[ -s $port_file ]]; do
    kill -0 "$sim_pid" 2>/dev/null || die "meteo-sensor-sim exited (see $work/sim.log)"
    sleep 0.05
  done
  sim_url="http://127.0.0.1:$(cat "$port_file")/sensor/temperatures"
}

stop_sim() {
  kill "$sim_pid" 2>/dev/null || true
  wait "$sim_pid" 2>/dev/null || true
  sim_pid=""
}

# The simulator's JSON array -> the TSV of sensor_readings' columns as the tool stores them
# (source, reading_id, hour, latitude, longitude, temperature, observed_at, country, first_run_id,
# last_run_id, fetched_at). Streams one reading per line (the simulator's layout) so that 10M
# readings need no 10 GB of Python objects; any other layout is parsed whole.
payload_to_tsv() {
  python3 - "$1" "$2" "$3" <<'PY'
import json, sys

payload, tsv, hour = sys.argv[1:4]
fetched = hour.replace("T", " ") + ":00:00.000000"
hour = hour.replace("T", " ") + ":00:00"

def field(value):
    if value is None:
        return "\\N"
    if isinstance(value, (int, float)):
        return repr(value)
    text = value if isinstance(value, str) else json.dumps(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")

def records():
    with open(payload, encoding="utf-8") as f:
        try:
            for line in f:
                line = line.strip().lstrip("[").rstrip(",").rstrip("]").rstrip(",")
                if line:
                    yield json.loads(line)
            return
        except json.JSONDecodeError:
            pass
    with open(payload, encoding="utf-8") as f:
        yield from json.load(f)

count = 0
with open(tsv, "w", encoding="utf-8") as out:
    for r in records():
        out.write("\t".join(field(v) for v in (
            "sensors", r["id"], hour, r["lat"], r["lon"], r["temperature"],
            r.get("timestamp"), r.get("country"), 1, 1, fetched)) + "\n")
        count += 1
print(count)
PY
}

# load_data NAME TABLE_LIKE TSV COLUMNS: LOAD DATA LOCAL INFILE of TSV into an empty table shaped
# like TABLE_LIKE (indexes included), timed around the mariadb client.
load_data() {
  local name=$1 like=$2 tsv=$3 columns=$4
  sql -e "DROP DATABASE IF EXISTS bench_base; CREATE DATABASE bench_base CHARACTER SET utf8mb4;
          CREATE TABLE bench_base.copy LIKE $like"
  measure "$name" mariadb --no-defaults --socket="$socket" --user=root --local-infile=1 \
    -e "LOAD DATA LOCAL INFILE '$tsv' INTO TABLE bench_base.copy CHARACTER SET utf8mb4 ($columns)"
  loaded=$(sql -e "SELECT COUNT(*) FROM bench_base.copy")
  sql -e "DROP DATABASE bench_base"
}

rows_md=()     # the table's rows, in order
notes=()       # why a goal was missed
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
at_most() { awk -v r="$1" -v g="$2" 'BEGIN { exit !(r <= g) }'; }
above() { awk -v r="$1" -v g="$2" 'BEGIN { exit !(r > g) }'; }
row() { rows_md+=("| $1 | $2 | $3 | $4 | $5 | $6 | $7 | $8 |"); }
yes_no() { if "$@"; then echo yes; else echo no; fi; }

# "fetch 1.2, archive 1.3, ...": the stage gauges of a run's Prometheus textfile.
stage_seconds() {
  sed -n 's/^meteo_etl_stage_duration_seconds{[^}]*stage="\([a-z]*\)"[^}]*} \([0-9.e+-]*\)$/\1 \2/p' "$1" |
    awk '{ printf "%s%s %.1f", (NR > 1 ? ", " : ""), $1, $2 }'
}

# ---- 1. Sensor run vs LOAD DATA -------------------------------------------------------------------

case_run() {
  hour="2026-11-22T06"
  declare -A run_seconds
  for n in "${size_list[@]}"; do
    log "sensor run of $n readings"
    start_sensor_sim "$n" 42
    db="bench_run_$n"
    config="$work/run-$n.toml"
    write_sensor_config "$config" "$db" "$work/archive-run-$n" "$sim_url"
    prepare_database "$config" fr-regions
    measure "run-$n" "$bin" --config "$config" run --hour "$hour" --source sensors
    tool_s=$seconds
    log "run of $n readings took $tool_s s; stages (s): $(stage_seconds "${config%.toml}.prom")"
    tool_rss=$rss_mb
    stored=$(sql -e "SELECT COUNT(*) FROM \`$db\`.sensor_readings")
    [[ $stored -eq $n ]] || die "run of $n readings stored $stored"

    # The baseline's rows, from the same payload (untimed).
    curl -sSf -H "@$work/api-key.header" -o "$work/payload-$n.json" "$sim_url"
    stop_sim
    converted=$(payload_to_tsv "$work/payload-$n.json" "$work/readings-$n.tsv" "$hour")
    [[ $converted -eq $n ]] || die "the payload of $n readings gave $converted TSV rows"
    rm -f "$work/payload-$n.json"
    load_data "load-$n" "\`$db\`.sensor_readings" "$work/readings-$n.tsv" \
      "source, reading_id, hour, latitude, longitude, temperature, observed_at, country, first_run_id, last_run_id, fetched_at"
    [[ $loaded -eq $n ]] || die "LOAD DATA of $n rows loaded $loaded"
    base_s=$seconds
    rm -f "$work/readings-$n.tsv"
    sql -e "DROP DATABASE \`$db\`"
    rm -rf "$work/archive-run-$n"

    r=$(ratio "$tool_s" "$base_s")
    goal="<= 1.5"
    met=$(yes_no at_most "$r" 1.5)
    [[ $met == yes ]] || notes+=("sensor run $n: $r x LOAD DATA (goal <= 1.5)")
    if ((n >= 1000000)); then
      goal="<= 1.5, RSS < 200 MB"
      if ! at_most "$tool_rss" 199.999; then
        met=no
        notes+=("sensor run $n: peak RSS $tool_rss MB (goal < 200 MB)")
      fi
    fi
    row "sensor run vs LOAD DATA" "$n" "$tool_s" "$base_s" "$r" "$goal" "$met" "$tool_rss"
    run_seconds[$n]=$tool_s
  done

  # ---- 2. Linear scaling -----------------------------------------------------------------------------

  per_million() { awk -v s="$1" -v n="$2" 'BEGIN { printf "%.3f", s * 1000000 / n }'; }
  small_pm=$(per_million "${run_seconds[$smallest]}" "$smallest")
  if [[ ${#size_list[@]} -eq 1 ]]; then
    row "sensor scaling: s per 1M readings at N vs at $smallest" "$smallest" "$small_pm" \
      "$small_pm" "1.00" "<= 1.5" "n/a (one size)" "-"
  fi
  for n in "${size_list[@]:1}"; do
    pm=$(per_million "${run_seconds[$n]}" "$n")
    r=$(ratio "$pm" "$small_pm")
    met=$(yes_no at_most "$r" 1.5)
    [[ $met == yes ]] || notes+=("scaling $n: $r x the per-reading time at $smallest (goal <= 1.5)")
    row "sensor scaling: s per 1M readings at N vs at $smallest" "$n" "$pm" "$small_pm" "$r" \
      "<= 1.5" "$met" "-"
  done
}

# ---- 3. Replay --jobs 1 vs --jobs 2 -------------------------------------------------------------

case_replay() {
  log "replay: archiving 8 payloads of $per_payload readings"
  archive="$work/archive-replay"
  config="$work/replay-source.toml"
  for h in 0 1 2 3 4 5 6 7; do
    start_sensor_sim "$per_payload" "$((100 + h))"  # another seed, other readings, each hour
    write_sensor_config "$config" bench_replay_source "$archive" "$sim_url"
    ((h > 0)) || prepare_database "$config" fr-regions
    "$bin" --config "$config" --log-level warn run --hour "2026-11-22T0$h" --source sensors \
      >>"$work/setup.log" 2>&1 || die "archiving run $h failed (see $work/setup.log)"
    stop_sim
  done
  sql -e "DROP DATABASE bench_replay_source"
  declare -A replay_seconds replay_rss
  for jobs in 1 2; do
    log "replay --jobs $jobs of $replay_rows readings"
    db="bench_replay_$jobs"
    config="$work/replay-$jobs.toml"
    write_sensor_config "$config" "$db" "$archive" "http://127.0.0.1:9/unused"
    prepare_database "$config" fr-regions
    measure "replay-$jobs" "$bin" --config "$config" replay --from 2026-11-22T00 \
      --to 2026-11-22T08 --source sensors --jobs "$jobs"
    replay_seconds[$jobs]=$seconds
    replay_rss[$jobs]=$rss_mb
    stored=$(sql -e "SELECT COUNT(*) FROM \`$db\`.sensor_readings")
    [[ $stored -eq $replay_rows ]] || die "replay --jobs $jobs stored $stored of $replay_rows"
    sql -e "DROP DATABASE \`$db\`"
  done
  rm -rf "$archive"
  speedup=$(ratio "${replay_seconds[1]}" "${replay_seconds[2]}")
  met=$(yes_no above "$speedup" 1)
  [[ $met == yes ]] || notes+=("replay: --jobs 2 is ${speedup}x --jobs 1 (goal > 1)")
  row "replay --jobs 2 (tool s) vs --jobs 1 (baseline s), 8 payloads; ratio = speedup" \
    "$replay_rows" "${replay_seconds[2]}" "${replay_seconds[1]}" "$speedup" "> 1" "$met" \
    "${replay_rss[2]}"
}

# ---- 4. Toulouse backfill vs LOAD DATA ----------------------------------------------------------

case_backfill() {
  log "backfill of $stations stations x $days days"
  toulouse="$shared/data/toulouse"
  # The portal's present is the current hour: nothing it serves is in the tool's future.
  now_epoch=$(($(date -u +%s) / 3600 * 3600))
  iso() { date -u -d "@$1" +%Y-%m-%dT%H:00:00Z; }
  portal_now=$(iso "$now_epoch")
  portal_from=$(iso $((now_epoch - days * 86400)))
  rm -f "$work/portal.port"
  # --no-odd-schema: the catalogue's first N datasets that the tool loads (45 have that schema).
  "$portal_sim" --port 0 --port-file "$work/portal.port" \
    --stations "$toulouse/stations-meteo-en-place.exports.json" \
    --catalog "$toulouse/catalog-v1-search-q-meteo.json" --no-odd-schema --datasets "$stations" \
    --now "$portal_now" --from "$portal_from" --no-future-row 2>>"$work/portal.log" &
  sim_pid=$!
  until [[ -s $work/portal.port ]]; do
    kill -0 "$sim_pid" 2>/dev/null || die "meteo-portal-sim exited (see $work/portal.log)"
    sleep 0.05
  done
  config="$work/stations.toml"
  sql -e "CREATE DATABASE bench_stations CHARACTER SET utf8mb4"
  # The export window and paging of config/toulouse.toml: a month per window.
  cat >"$config" <<TOML
[database]
socket = "$socket"
user = "root"
name = "bench_stations"

[archive]
root = "$work/archive-stations"

[verify]
after_run = false

[[region_sets]]
name = "toulouse-communes"
location = "$shared/data/geo/communes-31-haute-garonne.geojson"
format = "geojson"
code_field = "code"
name_field = "nom"
matching = "polygon"

[[sources]]
name = "toulouse-stations"
type = "opendatasoft-stations"
base_url = "http://127.0.0.1:$(cat "$work/portal.port")"
stations_dataset = "stations-meteo-en-place"
dataset_pattern = "station-meteo"
start = "$portal_from"
export_window_hours = 744
region_sets = ["toulouse-communes"]
[sources.http]
timeout_ms = 600000
retry_attempts = 1
TOML
  prepare_database "$config" toulouse-communes
  measure backfill "$bin" --config "$config" backfill --from "${portal_from%:00:00Z}" \
    --to "${portal_now%:00:00Z}" --source toulouse-stations
  tool_s=$seconds
  tool_rss=$rss_mb
  stop_sim
  observations=$(sql -e "SELECT COUNT(*) FROM bench_stations.weather_observations")
  loaded_datasets=$(sql -e "SELECT COUNT(DISTINCT dataset_id) FROM bench_stations.weather_observations")
  [[ $loaded_datasets -eq $stations ]] ||
    die "backfill stored observations of $loaded_datasets stations, not $stations"
  # The baseline's rows are the observations the tool stored (untimed); NULL as LOAD DATA's \N.
  obs_columns="source, dataset_id, observed_at, temperature_c, humidity_pct, pressure_hpa, rain_mm,
    rain_intensity_max_mm, wind_speed_kmh, gust_kmh, wind_direction_deg, first_run_id, last_run_id"
  select_list=$(tr ',' '\n' <<<"$obs_columns" | awk 'NF { printf "%sIFNULL(%s, \"\\\\N\")", sep, $1; sep = ", " }')
  sql --raw -e "SELECT $select_list FROM bench_stations.weather_observations" >"$work/observations.tsv"
  load_data load-observations bench_stations.weather_observations "$work/observations.tsv" \
    "$obs_columns"
  [[ $loaded -eq $observations ]] || die "LOAD DATA of $observations observations loaded $loaded"
  base_s=$seconds
  sql -e "DROP DATABASE bench_stations"
  rm -rf "$work/archive-stations" "$work/observations.tsv"
  r=$(ratio "$tool_s" "$base_s")
  met=$(yes_no at_most "$r" 1.5)
  [[ $met == yes ]] || notes+=("Toulouse backfill: $r x LOAD DATA (goal <= 1.5)")
  row "Toulouse backfill, $stations stations x $days days, vs LOAD DATA" "$observations" "$tool_s" \
    "$base_s" "$r" "<= 1.5" "$met" "$tool_rss"
}

if want run; then case_run; fi
if want replay; then case_replay; fi
if want backfill; then case_backfill; fi

# ---- Report ----------------------------------------------------------------------------------------

cache="$build_dir/CMakeCache.txt"
build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$cache")
compiler=$(sed -n 's/^CMAKE_CXX_COMPILER:[A-Z]*=//p' "$cache")
if [[ -n $commit_rev ]]; then
  commit="$commit_rev (clean export)"
else
  commit=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)
  git -C "$repo" diff --quiet HEAD 2>/dev/null || commit="$commit with uncommitted changes"
fi
{
  echo "| case | rows | tool s | baseline s | ratio | goal | met | tool peak RSS MB |"
  echo "|---|---:|---:|---:|---:|---|---|---:|"
  printf '%s\n' "${rows_md[@]}"
  echo
  if [[ ${#notes[@]} -gt 0 ]]; then
    echo "Goals missed:"
    printf -- '- %s\n' "${notes[@]}"
    echo
  fi
  echo "Machine:"
  echo "- CPU: $(lscpu | sed -n 's/^Model name: *//p' | head -n 1), $(nproc) cores"
  echo "- RAM: $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
  echo "- OS: Debian $(cat /etc/debian_version 2>/dev/null || echo '?'), kernel $(uname -r)"
  echo "- MariaDB: $mariadb_version (tests/harness/mariadb.sh settings, buffer pool $buffer_pool)"
  echo "- Compiler: $("${compiler:-c++}" --version | head -n 1)"
  echo "- Build type: ${build_type:-unknown} ($build_dir), commit $commit"
  echo "- Date: $(date -u +%Y-%m-%dT%H:%M:%SZ), load average (1/5/15 min) at the start: $load_at_start, at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
} >"$work/report.md"
mkdir -p "$(dirname "$out")"
cp "$work/report.md" "$out"
cat "$work/report.md"

# Every case must have its row: the ctest run checks the table, not the goals.
missing=()
want run || size_list=()
for n in "${size_list[@]}"; do
  grep -q "^| sensor run vs LOAD DATA | $n |" "$out" || missing+=("sensor run $n")
  # A scaling row per size above the smallest; with a single size, one degenerate row.
  if [[ $n -ne $smallest || ${#size_list[@]} -eq 1 ]]; then
    grep -q "^| sensor scaling: .* | $n |" "$out" || missing+=("scaling $n")
  fi
done
! want replay || grep -q "^| replay --jobs 2 " "$out" || missing+=("replay")
! want backfill || grep -q "^| Toulouse backfill" "$out" || missing+=("backfill")
if [[ ${#missing[@]} -gt 0 ]]; then
  die "rows missing from $out: ${missing[*]}"
fi
log "results written to $out"
