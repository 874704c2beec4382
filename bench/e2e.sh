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
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"

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

require_tools /usr/bin/time python3 curl mariadb

# ---- Build ---------------------------------------------------------------------------------------

[[ -z $build_dir || -z $commit_rev ]] || die "--build-dir and --commit exclude each other"
if [[ -z $build_dir ]]; then
  build_dir="$repo/build-bench"
  source_dir=$repo
  if [[ -n $commit_rev ]]; then
    # Resolved once: HEAD may move while the benchmark runs.
    commit_rev=$(git -C "$repo" rev-parse --short "$commit_rev")
    source_dir="$build_dir/commit-src"
    export_commit "$commit_rev" "$source_dir"
    build_dir="$build_dir/commit"
  fi
  build_release "$source_dir" "$build_dir" meteo-etl meteo-sensor-sim meteo-portal-sim
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
start_server "$build_dir" bench-e2e "$buffer_pool"

# curl reads the header from a 0600 file rather than its command line.
(umask 077 && printf 'X-API-Key: %s\n' "$SENSOR_API_KEY" >"$work/api-key.header")

# ---- Measuring -------------------------------------------------------------------------------------

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
row() { rows_md+=("| $1 | $2 | $3 | $4 | $5 | $6 | $7 | $8 |"); }
yes_no() { if "$@"; then echo yes; else echo no; fi; }

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
  start_portal_sim "$stations" "$days"
  config="$work/stations.toml"
  write_stations_config "$config" bench_stations "$work/archive-stations"
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

build_type=$(cache_value "$build_dir" CMAKE_BUILD_TYPE)
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
  describe_machine "$buffer_pool"
  describe_compiler "$build_dir"
  echo "- Build type: ${build_type:-unknown} ($build_dir), commit $commit"
  describe_date
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
