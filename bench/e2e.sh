#!/usr/bin/env bash
# End-to-end benchmark of meteo-etl against a baseline measured in the same run, on a private
# MariaDB. Every figure is the median of interleaved samples with its spread: tool and baseline
# alternate (tool, baseline; baseline, tool; ...), each sample on a fresh database that the tool
# prepared (migrate, regions load: untimed) on a server left in the same state (dirty pages
# flushed, the database's tables read once). Cases:
#   1. sensor `run` of N readings served by meteo-sensor-sim (fetch, archive, parse, validate,
#      match against the 13 regions, store, aggregate) vs LOAD DATA LOCAL INFILE of the rows the
#      tool stored in sensor_readings, dumped (untimed) in primary key order (source, reading_id),
#      into the fresh database's empty sensor_readings (goal: ratio <= 1.5; RSS < 200 MB from 1M);
#   2. linear scaling: seconds per million readings beyond the fixed start-up (the median of runs
#      of 1 reading), at each size vs at the size before it (goal: ratio <= 1.5);
#   3. `replay --jobs 2` vs `replay --jobs 1` over one archive of 8 payloads (goal: speedup > 1);
#   4. Toulouse `backfill` of S stations x D days (default 45 x 31, the issue's goal) from
#      meteo-portal-sim vs the simulator's own time to serve the tool's requests (its request log
#      replayed by one sequential curl) plus LOAD DATA of the observations the tool stored, in
#      primary key order (source, dataset_id, observed_at) (goal: ratio <= 2);
#   5. SYNOP `ingest --file` of a month of Météo-France SYNOP at Y stations (default 60; the file
#      of bench/synop_ingest.sh) vs LOAD DATA of the observations the tool stored, in primary key
#      order (goal: ratio <= 1.5);
#   6. ATMO Occitanie air-quality `backfill` of D days of hourly measurements at the 42 stations
#      of the hub's CSV (../shared/data/atmo, repeated back in time to cover D days) from
#      meteo-arcgis-sim, a day per unit, vs the simulator serving the tool's requests (replayed
#      by one curl) plus LOAD DATA of the measurements stored, in primary key order (source,
#      station_code, pollutant, measured_at) (goal: ratio <= 2).
#
#   bench/e2e.sh [--sizes "10000 100000 1000000"] [--samples 5] [--replay-rows N] [--stations S]
#                [--days D] [--synop-stations Y]
#                [--cases "run replay backfill synop air-quality"] [--tiny]
#                [--build-dir DIR | --commit REV] [--out FILE] [--keep-work] [--buffer-pool SIZE]
#
# --samples: pairs of samples per ratio, at least 5, after one discarded warm-up pair. A ratio is the median of the per-pair ratios
# (tool/baseline of each pair; for replay, --jobs 1 over --jobs 2), its spread their min-max.
# --days: the span of both backfills (Toulouse stations and air quality).
# --tiny (2000 readings, 2 stations x 2 days, the SYNOP month at its 26 stations, 2 days of air
# quality, 2 samples) checks the script: not a measurement.
# --buffer-pool sets the benchmark server's InnoDB buffer pool (default 256M, the tests' size);
# the tool and the baselines run against that one server.
#
# Without --build-dir it configures and builds Release in build-bench/ (only the four binaries
# it runs) from the working tree; --commit REV builds that commit instead (git archive into
# build-bench/commit-src, built in build-bench/commit), so that uncommitted edits in progress do
# not end up in the measurement. With --build-dir it uses that build's binaries as they are
# (ctest's tiny run); only the cases asked for need theirs.
# Exit status: nonzero when a case failed, its row is missing from the table, or (except with
# --tiny) a goal lies inside the spread of its pair ratios: that verdict would be luck, rerun with
# more --samples on a quieter machine. A goal clearly missed is reported, not a failure.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"

sizes="10000 100000 1000000"
samples=5
replay_rows=""
stations=45
days=31
synop_stations=60
tiny=false
build_dir=""
commit_rev=""
buffer_pool=256M
out=""
keep_work=false
cases="run replay backfill synop air-quality"
while [[ $# -gt 0 ]]; do
  case $1 in
    --sizes) sizes=${2:?}; shift 2 ;;
    --samples) samples=${2:?}; shift 2 ;;
    --replay-rows) replay_rows=${2:?}; shift 2 ;;
    --stations) stations=${2:?}; shift 2 ;;
    --days) days=${2:?}; shift 2 ;;
    --synop-stations) synop_stations=${2:?}; shift 2 ;;
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
  # Two sizes, so that the scaling row is computed as in a measurement.
  sizes="1000 2000"
  samples=2
  replay_rows=2000
  stations=2
  days=2
  synop_stations=26  # the simulator's own stations, no copies
fi
read -r -a size_list <<<"$sizes"
for n in "${size_list[@]}" "$samples" "${replay_rows:-1}" "$stations" "$days" \
  "$synop_stations"; do
  [[ $n =~ ^[1-9][0-9]*$ ]] || { echo "e2e.sh: not a positive integer: $n" >&2; exit 64; }
done
if ((samples < 5)) && ! $tiny; then
  echo "e2e.sh: --samples $samples: a ratio is the median of at least 5 interleaved pairs" \
    "(--tiny checks the script with fewer, and is not a measurement)" >&2
  exit 64
fi
[[ ${#size_list[@]} -gt 0 ]] || { echo "e2e.sh: --sizes is empty" >&2; exit 64; }
# Ascending: each scaling row compares a size with the one before it.
mapfile -t size_list < <(printf '%s\n' "${size_list[@]}" | sort -n -u)
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
  [[ $c =~ ^(run|replay|backfill|synop|air-quality)$ ]] || { echo "e2e.sh: unknown case $c" >&2; exit 64; }
done

require_tools /usr/bin/time curl mariadb
if want synop || want air-quality; then require_tools python3; fi  # the files they make

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
  build_release "$source_dir" "$build_dir" meteo-etl meteo-sensor-sim meteo-portal-sim \
    meteo-arcgis-sim
fi
build_dir=$(cd "$build_dir" && pwd)
bin="$build_dir/meteo-etl"
sensor_sim="$build_dir/meteo-sensor-sim"
portal_sim="$build_dir/meteo-portal-sim"
arcgis_sim="$build_dir/meteo-arcgis-sim"
# Only the binaries of the cases asked for: a build made before a case existed runs the others.
needed=("$bin")
if want run || want replay; then needed+=("$sensor_sim"); fi
if want backfill || want synop; then needed+=("$portal_sim"); fi
if want air-quality; then needed+=("$arcgis_sim"); fi
for b in "${needed[@]}"; do
  [[ -x $b ]] || die "$b is not built"
done
out=${out:-$repo/build-bench/e2e-results.md}

# ---- Private MariaDB and cleanup -------------------------------------------------------------------

# Under the build tree: each run gets its own datadir, socket and ephemeral port.
start_server "$build_dir" bench-e2e "$buffer_pool"

# ---- Interleaved pairs -------------------------------------------------------------------------------

rows_md=()   # the table's rows, in order
notes=()     # why a goal was missed
unclear=()   # goals inside the spread of their pair ratios
row() { rows_md+=("| $1 | $2 | $3 | $4 | $5 | $6 | $7 | $8 |"); }

# pairs LABEL TOOL_SAMPLE BASELINE_SAMPLE: a discarded warm-up pair (number 0), then $samples
# pairs, the tool first in odd pairs, the baseline first in even ones; each function takes the
# pair's number and sets seconds (and rss_mb, cpu_seconds). Sets tool_runs, base_runs, tool_rsses
# (space-separated, in pair order), and notes the tool's own CPU time against its wall time: the
# rest is waiting, mostly on the server.
pairs() {
  local label=$1 tool_sample=$2 base_sample=$3 round side tool_cpus=""
  tool_runs="" base_runs="" tool_rsses=""
  # The first samples of a series pay for the server's first touch of its buffer pool and of the
  # files (seen: 3.3 s against 1.9 s for the next ones at 100k readings): not measured.
  "$tool_sample" 0
  "$base_sample" 0
  log "$label: warm-up pair done (discarded)"
  for ((round = 1; round <= samples; round++)); do
    for side in $(pair_order "$round" tool base); do
      if [[ $side == tool ]]; then
        "$tool_sample" "$round"
        tool_runs+="${tool_runs:+ }$seconds"
        tool_rsses+="${tool_rsses:+ }$rss_mb"
        tool_cpus+="${tool_cpus:+ }$cpu_seconds"
      else
        "$base_sample" "$round"
        base_runs+="${base_runs:+ }$seconds"
      fi
      log "$label, pair $round, $side: $seconds s"
    done
  done
  notes+=("$label: the tool's CPU (user + system) $(figure "$tool_cpus" 2) s of $(figure "$tool_runs") s wall")
}

# judge CASE_TEXT RATIOS OP GOAL: sets ratio_figure and met from the pair ratios; a missed goal
# goes to the notes, an ambiguous one to unclear.
judge() {
  local text=$1 ratios=$2 op=$3 goal=$4
  local -a s
  read -r -a s <<<"$(stats "$ratios" 2)"
  ratio_figure="${s[0]} (${s[1]}..${s[2]})"
  met=$(spread_verdict "${s[1]}" "${s[2]}" "$op" "$goal")
  case $met in
    no) notes+=("$text: $ratio_figure x (goal $op $goal)") ;;
    ambiguous) unclear+=("$text: pair ratios ${s[1]}..${s[2]} straddle the goal $op $goal") ;;
  esac
}

# drop_database DATABASE: gone if it was there (write_*_config creates it afresh).
drop_database() { sql -e "DROP DATABASE IF EXISTS \`$1\`"; }

# ---- 1. Sensor run vs key-ordered LOAD DATA ---------------------------------------------------------

hour="2026-11-22T06"
reading_columns=""

# run_prepare N: a fresh database bench_run for a sample at N readings (untimed), settled.
run_prepare() {
  drop_database bench_run
  rm -rf "$work/archive-run"
  config="$work/run.toml"
  write_sensor_config "$config" bench_run "$work/archive-run" "$sim_url"
  prepare_database "$config" fr-regions
  settle_server bench_run
}

# run_tool ROUND: the tool's sample at $n readings; the first one also dumps the baseline's rows.
run_tool() {
  run_prepare
  measure "run-$n-$1" "$bin" --config "$config" run --hour "$hour" --source sensors
  local stages
  stages=$(stage_seconds "${config%.toml}.prom")
  log "run of $n readings: stages (s): $stages"
  (($1 != samples)) || notes+=("run $n, last sample's stages (s): $stages")
  local stored
  stored=$(sql -e "SELECT COUNT(*) FROM bench_run.sensor_readings")
  [[ $stored -eq $n ]] || die "run of $n readings stored $stored"
  if [[ ! -s $work/readings-$n.tsv ]]; then
    local keep_seconds=$seconds
    reading_columns=$(dump_key_ordered bench_run sensor_readings "$work/readings-$n.tsv")
    seconds=$keep_seconds
  fi
}

# run_base ROUND: LOAD DATA of the same rows in key order into the fresh database's table.
run_base() {
  run_prepare
  load_key_ordered "load-$n-$1" bench_run sensor_readings "$work/readings-$n.tsv" "$reading_columns"
  [[ $loaded -eq $n ]] || die "LOAD DATA of $n rows loaded $loaded"
}

case_run() {
  declare -A tool_of size_row
  local rss_max goal
  # The largest size first: a fresh server's first big runs are slower (its undo and data files
  # still growing: 2.7 s of load against 1.5 s for the 3rd run of 100k readings), and the largest
  # series grows them for all the others.
  for n in $(printf '%s\n' "${size_list[@]}" | sort -n -r); do
    log "sensor run of $n readings vs LOAD DATA, $samples pairs"
    start_sensor_sim "$n" 42  # seed 42: the same bytes at every GET
    rm -f "$work/readings-$n.tsv"
    pairs "run $n" run_tool run_base
    stop_sim
    rm -f "$work/readings-$n.tsv"
    drop_database bench_run
    tool_of[$n]=$tool_runs
    judge "sensor run $n vs LOAD DATA" "$(pair_ratios "$tool_runs" "$base_runs")" "<=" 1.5
    goal="<= 1.5"
    rss_max=$(stats "$tool_rsses" 1 | cut -d' ' -f3)
    if ((n >= 1000000)); then
      goal="<= 1.5, RSS < 200 MB"
      if ! at_most "$rss_max" 199.999; then
        [[ $met == ambiguous ]] || met=no
        notes+=("sensor run $n: peak RSS up to $rss_max MB (goal < 200 MB)")
      fi
    fi
    size_row[$n]="| sensor run vs LOAD DATA | $n | $(figure "$tool_runs") | $(figure "$base_runs") |"
    size_row[$n]+=" $ratio_figure | $goal | $met | $(figure "$tool_rsses" 1) |"
  done

  # The fixed start-up: runs of one reading; run 0 warms up, as in pairs.
  local startup_runs="" round
  n=1
  start_sensor_sim 1 42
  for ((round = 0; round <= samples; round++)); do
    run_tool "$round"
    ((round == 0)) || startup_runs+="${startup_runs:+ }$seconds"
  done
  stop_sim
  rm -f "$work/readings-1.tsv"
  local -a startup
  read -r -a startup <<<"$(stats "$startup_runs")"
  row "sensor run start-up (1 reading; subtracted for scaling)" 1 "$(figure "$startup_runs")" \
    "-" "-" "-" "-" "-"
  for n in "${size_list[@]}"; do rows_md+=("${size_row[$n]}"); done

  # ---- 2. Linear scaling, per reading beyond the start-up ---------------------------------------------

  # per_million "S ..." N: seconds per million readings beyond the start-up, for each sample.
  per_million() {
    awk -v s="$1" -v n="$2" -v z="${startup[0]}" 'BEGIN { k = split(s, t, " ")
      for (i = 1; i <= k; i++) printf "%s%.4f", (i > 1 ? " " : ""), (t[i] - z) * 1000000 / n }'
  }
  if [[ ${#size_list[@]} -eq 1 ]]; then
    row "sensor scaling: s per 1M readings beyond start-up, N vs the size before" \
      "${size_list[0]}" "$(figure "$(per_million "${tool_of[${size_list[0]}]}" "${size_list[0]}")")" \
      "-" "-" "<= 1.5" "n/a (one size)" "-"
  fi
  local i previous now before
  for ((i = 1; i < ${#size_list[@]}; i++)); do
    n=${size_list[i]}
    before=${size_list[i - 1]}
    now=$(per_million "${tool_of[$n]}" "$n")
    previous=$(per_million "${tool_of[$before]}" "$before")
    # A size with a run not longer than the start-up has no per-reading cost to compare.
    if above "$(stats "$previous" | cut -d' ' -f2)" 0 && above "$(stats "$now" | cut -d' ' -f2)" 0; then
      judge "scaling $before -> $n" "$(pair_ratios "$now" "$previous")" "<=" 1.5
    else
      ratio_figure="-" met="n/a (within the start-up's noise)"
    fi
    row "sensor scaling: s per 1M readings beyond start-up, N vs $before" "$n" \
      "$(figure "$now")" "$(figure "$previous")" "$ratio_figure" "<= 1.5" "$met" "-"
  done
}

# ---- 3. Replay --jobs 2 vs --jobs 1 -------------------------------------------------------------

# replay_jobs JOBS ROUND: one replay of the whole archive into a fresh database.
replay_jobs() {
  local jobs=$1 round=$2
  drop_database bench_replay
  config="$work/replay.toml"
  write_sensor_config "$config" bench_replay "$archive" "http://127.0.0.1:9/unused"
  prepare_database "$config" fr-regions
  settle_server bench_replay
  measure "replay-$jobs-$round" "$bin" --config "$config" replay --from 2026-11-22T00 \
    --to 2026-11-22T08 --source sensors --jobs "$jobs"
  local stored
  stored=$(sql -e "SELECT COUNT(*) FROM bench_replay.sensor_readings")
  [[ $stored -eq $replay_rows ]] || die "replay --jobs $jobs stored $stored of $replay_rows"
}
replay_two() { replay_jobs 2 "$1"; }
replay_one() { replay_jobs 1 "$1"; }

case_replay() {
  log "replay: archiving 8 payloads of $per_payload readings"
  archive="$work/archive-replay"
  config="$work/replay-source.toml"
  local h
  for h in 0 1 2 3 4 5 6 7; do
    start_sensor_sim "$per_payload" "$((100 + h))"  # another seed, other readings, each hour
    write_sensor_config "$config" bench_replay_source "$archive" "$sim_url"
    ((h > 0)) || prepare_database "$config" fr-regions
    "$bin" --config "$config" --log-level warn run --hour "2026-11-22T0$h" --source sensors \
      >>"$work/setup.log" 2>&1 || die "archiving run $h failed (see $work/setup.log)"
    stop_sim
  done
  drop_database bench_replay_source
  log "replay --jobs 2 vs --jobs 1 of $replay_rows readings, $samples pairs"
  pairs replay replay_two replay_one
  drop_database bench_replay
  rm -rf "$archive"
  # The speedup: --jobs 1 over --jobs 2 in each pair.
  judge "replay --jobs 2 speedup over --jobs 1" "$(pair_ratios "$base_runs" "$tool_runs")" ">" 1
  row "replay --jobs 2 (tool s) vs --jobs 1 (baseline s), 8 payloads; ratio = speedup" \
    "$replay_rows" "$(figure "$tool_runs")" "$(figure "$base_runs")" "$ratio_figure" "> 1" \
    "$met" "$(figure "$tool_rsses" 1)"
}

# ---- The backfills' baseline: the simulator's serving + key-ordered LOAD DATA ----------------------

serve_runs=""
load_runs=""

# requests_from_log LOG FIRST_LINE PREFIX BASE_URL CURL_CONFIG: the GETs a simulator logged from
# line FIRST_LINE on ("PREFIX: GET /path?query -> 200 (...)") as one curl config entry each, in
# order; sets requests.
requests_from_log() {
  tail -n +"$2" "$1" |
    sed -n 's/^'"$3"': GET \([^ ]*\) -> .*/url = "'"${4//\//\\/}"'\1"\noutput = "\/dev\/null"/p' \
      >"$5"
  requests=$(grep -c '^url' "$5") || die "no request of the tool in $1 from line $2"
}

# serve_and_load ROUND CURL_CONFIG DATABASE TABLE TSV COLUMNS ROWS: the simulator serving the
# requests of CURL_CONFIG to one sequential curl (one connection kept alive, gzip accepted as the
# tool's libcurl does, the bodies not decompressed: the simulator's work, not a client's), then
# LOAD DATA of TSV (ROWS rows) in key order into the fresh database's TABLE; seconds is the sum,
# each part kept in serve_runs and load_runs (but the warm-up's).
serve_and_load() {
  local round=$1
  measure "serve-$4-$round" curl -sS --fail --globoff -H "Accept-Encoding: gzip" --config "$2"
  local serve=$seconds
  load_key_ordered "load-$4-$round" "$3" "$4" "$5" "$6"
  [[ $loaded -eq $7 ]] || die "LOAD DATA of $7 rows of $4 loaded $loaded"
  if ((round > 0)); then
    serve_runs+="${serve_runs:+ }$serve"
    load_runs+="${load_runs:+ }$seconds"
  fi
  seconds=$(awk -v a="$serve" -v b="$seconds" 'BEGIN { printf "%.3f", a + b }')
}

# ---- 4. Toulouse backfill vs (portal serving + key-ordered LOAD DATA) ------------------------------

observation_columns=""

# backfill_prepare: a fresh database bench_stations (untimed), settled.
backfill_prepare() {
  drop_database bench_stations
  rm -rf "$work/archive-stations"
  config="$work/stations.toml"
  write_stations_config "$config" bench_stations "$work/archive-stations"
  prepare_database "$config" toulouse-communes
  settle_server bench_stations
}

# backfill_tool ROUND: the tool's backfill; the first one also keeps, from the simulator's log,
# the requests it served, and dumps the observations stored.
backfill_tool() {
  backfill_prepare
  local logged
  logged=$(wc -l <"$work/portal.log")
  measure "backfill-$1" "$bin" --config "$config" backfill --from "${portal_from%:00:00Z}" \
    --to "${portal_now%:00:00Z}" --source toulouse-stations
  local keep_seconds=$seconds datasets
  datasets=$(sql -e "SELECT COUNT(DISTINCT dataset_id) FROM bench_stations.weather_observations")
  [[ $datasets -eq $stations ]] || die "backfill stored observations of $datasets stations, not $stations"
  if [[ ! -s $work/requests.curl ]]; then
    requests_from_log "$work/portal.log" "$((logged + 1))" portal-sim "$portal_url" \
      "$work/requests.curl"
    observations=$(sql -e "SELECT COUNT(*) FROM bench_stations.weather_observations")
    observation_columns=$(dump_key_ordered bench_stations weather_observations "$work/observations.tsv")
  fi
  seconds=$keep_seconds
}

# backfill_base ROUND: the portal serving the same requests, then LOAD DATA of the same
# observations in key order.
backfill_base() {
  backfill_prepare
  serve_and_load "$1" "$work/requests.curl" bench_stations weather_observations \
    "$work/observations.tsv" "$observation_columns" "$observations"
}

case_backfill() {
  log "backfill of $stations stations x $days days vs serving + LOAD DATA, $samples pairs"
  start_portal_sim "$stations" "$days"
  rm -f "$work/requests.curl"
  serve_runs="" load_runs=""
  pairs backfill backfill_tool backfill_base
  stop_sim
  drop_database bench_stations
  rm -rf "$work/archive-stations" "$work/observations.tsv"
  judge "Toulouse backfill vs serving + LOAD DATA" "$(pair_ratios "$tool_runs" "$base_runs")" "<=" 2
  row "Toulouse backfill, $stations stations x $days days, vs portal serving ($requests requests) + LOAD DATA" \
    "$observations" "$(figure "$tool_runs")" "$(figure "$base_runs")" "$ratio_figure" "<= 2" \
    "$met" "$(figure "$tool_rsses" 1)"
  notes+=("backfill baseline: portal serving $(figure "$serve_runs") s + LOAD DATA $(figure "$load_runs") s")
}

# ---- 5. SYNOP ingest --file vs key-ordered LOAD DATA -----------------------------------------------

synop_columns=""

# synop_prepare: a fresh database bench_synop (untimed), settled.
synop_prepare() {
  rm -rf "$work/archive-synop"
  config="$work/synop.toml"
  write_synop_config "$config" bench_synop "$work/archive-synop"
  prepare_database "$config" fr-regions
  settle_server bench_synop
}

# synop_tool ROUND: the tool's ingest of the month's file; the first one also dumps the
# observations stored.
synop_tool() {
  synop_prepare
  measure "synop-$1" "$bin" --config "$config" ingest --source synop-france \
    --file "$work/synop-month.json"
  local keep_seconds=$seconds stored
  stored=$(sql -e "SELECT COUNT(*) FROM bench_synop.weather_observations")
  [[ $stored -eq $synop_records ]] || die "SYNOP ingest stored $stored of $synop_records records"
  [[ -s $work/synop.tsv ]] ||
    synop_columns=$(dump_key_ordered bench_synop weather_observations "$work/synop.tsv")
  seconds=$keep_seconds
}

# synop_base ROUND: LOAD DATA of the same observations in key order into the fresh database.
synop_base() {
  synop_prepare
  load_key_ordered "load-synop-$1" bench_synop weather_observations "$work/synop.tsv" \
    "$synop_columns"
  [[ $loaded -eq $synop_records ]] || die "LOAD DATA of $synop_records observations loaded $loaded"
}

case_synop() {
  make_synop_month "$synop_stations" "$work/synop-month.json"
  log "SYNOP ingest --file of $synop_records records at $synop_stations stations vs LOAD DATA," \
    "$samples pairs"
  rm -f "$work/synop.tsv"
  pairs synop synop_tool synop_base
  drop_database bench_synop
  rm -rf "$work/archive-synop" "$work/synop.tsv" "$work/synop-month.json"
  judge "SYNOP ingest --file vs LOAD DATA" "$(pair_ratios "$tool_runs" "$base_runs")" "<=" 1.5
  row "SYNOP ingest --file, $synop_stations stations x a month, vs LOAD DATA" "$synop_records" \
    "$(figure "$tool_runs")" "$(figure "$base_runs")" "$ratio_figure" "<= 1.5" "$met" \
    "$(figure "$tool_rsses" 1)"
}

# ---- 6. Air-quality backfill vs (layer serving + key-ordered LOAD DATA) -----------------------------

# The layer's present: a fixed hour, so that every run serves the same hours.
air_now_epoch=$(date -u -d 2026-11-22T09:00:00Z +%s)
air_now=$(date -u -d "@$air_now_epoch" +%Y-%m-%dT%H)
air_from=$(date -u -d "@$((air_now_epoch - days * 86400))" +%Y-%m-%dT%H)
measurement_columns=""

# air_prepare: a fresh database bench_air (untimed), settled.
air_prepare() {
  drop_database bench_air
  rm -rf "$work/archive-air"
  config="$work/air.toml"
  write_air_quality_config "$config" bench_air "$work/archive-air" "$air_from"
  prepare_database "$config" fr-regions
  settle_server bench_air
}

# air_tool ROUND: the tool's backfill; the first one also keeps the requests the simulator served
# and dumps the measurements stored.
air_tool() {
  air_prepare
  local logged
  logged=$(wc -l <"$work/arcgis.log")
  measure "air-$1" "$bin" --config "$config" backfill --from "$air_from" --to "$air_now" \
    --source atmo-occitanie
  local keep_seconds=$seconds stored
  stored=$(sql -e "SELECT COUNT(*) FROM bench_air.air_quality_measurements")
  ((stored > 0)) || die "the air-quality backfill stored no measurement"
  if [[ ! -s $work/air-requests.curl ]]; then
    requests_from_log "$work/arcgis.log" "$((logged + 1))" arcgis-sim "$arcgis_url" \
      "$work/air-requests.curl"
    measurements=$stored
    air_stations=$(sql -e "SELECT COUNT(DISTINCT station_code) FROM bench_air.air_quality_measurements")
    measurement_columns=$(dump_key_ordered bench_air air_quality_measurements "$work/measurements.tsv")
  fi
  [[ $stored -eq $measurements ]] || die "air-quality backfill stored $stored, before $measurements"
  seconds=$keep_seconds
}

# air_base ROUND: the layer serving the same requests, then LOAD DATA of the same measurements in
# key order.
air_base() {
  air_prepare
  serve_and_load "$1" "$work/air-requests.curl" bench_air air_quality_measurements \
    "$work/measurements.tsv" "$measurement_columns" "$measurements"
}

case_air_quality() {
  make_atmo_span "$days" "$work/atmo-span.csv"
  start_arcgis_sim "$work/atmo-span.csv" "$air_now:00:00Z"
  log "air-quality backfill of $days days ($air_from .. $air_now) vs serving + LOAD DATA," \
    "$samples pairs"
  rm -f "$work/air-requests.curl"
  serve_runs="" load_runs=""
  pairs air-quality air_tool air_base
  stop_sim
  drop_database bench_air
  rm -rf "$work/archive-air" "$work/measurements.tsv" "$work/atmo-span.csv"
  judge "air-quality backfill vs serving + LOAD DATA" "$(pair_ratios "$tool_runs" "$base_runs")" \
    "<=" 2
  row "ATMO air-quality backfill, $air_stations stations x $days days, vs layer serving ($requests requests) + LOAD DATA" \
    "$measurements" "$(figure "$tool_runs")" "$(figure "$base_runs")" "$ratio_figure" "<= 2" \
    "$met" "$(figure "$tool_rsses" 1)"
  notes+=("air-quality baseline: layer serving $(figure "$serve_runs") s + LOAD DATA $(figure "$load_runs") s")
}

if want run; then case_run; fi
if want replay; then case_replay; fi
if want backfill; then case_backfill; fi
if want synop; then case_synop; fi
if want air-quality; then case_air_quality; fi

# ---- Report ----------------------------------------------------------------------------------------

build_type=$(cache_value "$build_dir" CMAKE_BUILD_TYPE)
if [[ -n $commit_rev ]]; then
  commit="$commit_rev (clean export)"
else
  commit=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)
  git -C "$repo" diff --quiet HEAD 2>/dev/null || commit="$commit with uncommitted changes"
fi
{
  if $tiny; then
    echo "**--tiny: a check of the script with $samples pairs, not a measurement.**"
    echo
  fi
  echo "Every figure: median (min..max) of $samples interleaved samples. Ratio: the median of the" \
    "per-pair ratios (min..max of those ratios); met: yes when every pair meets the goal, no when" \
    "none does, ambiguous otherwise."
  echo
  echo "| case | rows | tool s | baseline s | ratio | goal | met | tool peak RSS MB |"
  echo "|---|---:|---:|---:|---:|---|---|---:|"
  printf '%s\n' "${rows_md[@]}"
  echo
  if [[ ${#notes[@]} -gt 0 ]]; then
    echo "Notes and goals missed:"
    printf -- '- %s\n' "${notes[@]}"
    echo
  fi
  if [[ ${#unclear[@]} -gt 0 ]]; then
    echo "Ambiguous (the goal lies inside the spread; rerun with more --samples on a quieter machine):"
    printf -- '- %s\n' "${unclear[@]}"
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
[[ ${#size_list[@]} -eq 0 ]] || grep -q "^| sensor run start-up " "$out" || missing+=("start-up")
for ((i = 0; i < ${#size_list[@]}; i++)); do
  n=${size_list[i]}
  grep -q "^| sensor run vs LOAD DATA | $n |" "$out" || missing+=("sensor run $n")
  # A scaling row per size after the first; with a single size, one degenerate row.
  if ((i > 0 || ${#size_list[@]} == 1)); then
    grep -q "^| sensor scaling: .* | $n |" "$out" || missing+=("scaling $n")
  fi
done
! want replay || grep -q "^| replay --jobs 2 " "$out" || missing+=("replay")
! want backfill || grep -q "^| Toulouse backfill" "$out" || missing+=("backfill")
! want synop || grep -q "^| SYNOP ingest --file" "$out" || missing+=("synop")
! want air-quality || grep -q "^| ATMO air-quality backfill" "$out" || missing+=("air-quality")
if [[ ${#missing[@]} -gt 0 ]]; then
  die "rows missing from $out: ${missing[*]}"
fi
if [[ ${#unclear[@]} -gt 0 ]] && ! $tiny; then
  die "ambiguous verdicts (${#unclear[@]}): the goal lies inside the spread of the pair ratios;" \
    "not a result (table in $out)"
fi
log "results written to $out"
