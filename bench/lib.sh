# What the scripts of bench/ share (e2e.sh, ab.sh, synop_ingest.sh...), sourced by them: building a clean export of a commit,
# the private MariaDB and its cleanup, the simulators, the tool's configurations, and timing one
# command; bench/peers.sh and bench/synop_ingest.sh take its statistics of interleaved samples.
# Not a script of its own.
#
# Globals it reads: keep_work (true|false). Globals it sets: repo, shared, work, db_dir, socket,
# sim_pid, sim_url, portal_url, portal_from, portal_now, arcgis_url, layer_url, synop_records,
# seconds, rss_mb, mariadb_version, load_at_start, loaded. The caller sets bin (the meteo-etl that
# prepare_database runs), sensor_sim, portal_sim and arcgis_sim before using them.
# shellcheck shell=bash disable=SC2034,SC2154 # those globals are set and read by the callers

export LC_ALL=C  # decimal points in $EPOCHREALTIME and awk, whatever the caller's locale

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
shared="$repo/../shared"
sim_pid=""

# The calling script's header comment is its usage text.
usage() {
  sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0" >&2
  exit 64
}

log() { echo "bench: $*" >&2; }
die() { echo "bench: error: $*" >&2; exit 1; }

# require_tools TOOL...: the tools and the regions file every case needs.
require_tools() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null || die "$tool is missing: run scripts/install-deps.sh"
  done
  [[ -r $shared/data/geo/regions.geojson ]] || die "$shared/data/geo/regions.geojson is missing"
}

# ---- Build ---------------------------------------------------------------------------------------

# export_commit REV SOURCE_DIR: a clean export of REV (already resolved: HEAD may move while a
# benchmark runs) in SOURCE_DIR. git archive stamps every file with the commit's time, which can
# be older than objects built from another commit: the export is synced into the source tree by
# content instead, so exactly the files that differ get a fresh mtime and are rebuilt.
export_commit() {
  local rev=$1 source_dir=$2
  local export_dir="$source_dir.export"
  rm -rf "$export_dir"
  mkdir -p "$export_dir" "$source_dir"
  git -C "$repo" archive --format=tar "$rev" | tar -x -C "$export_dir"
  rsync -r --checksum --delete "$export_dir/" "$source_dir/"
  rm -rf "$export_dir"
}

# build_release SOURCE_DIR BUILD_DIR TARGET...: a Release build of only those targets.
build_release() {
  local source_dir=$1 build_dir=$2
  shift 2
  mkdir -p "$build_dir"
  local build_log="$build_dir/bench-build.log"
  log "building Release in $build_dir ($*)"
  # Two jobs: the machine's cores are shared. Compiler output goes to the log, shown only when
  # the build fails.
  if ! { cmake -S "$source_dir" -B "$build_dir" -DCMAKE_BUILD_TYPE=Release \
    -DMETEO_BUILD_TESTS=OFF && cmake --build "$build_dir" -j2 --target "$@"; } \
    >"$build_log" 2>&1; then
    tail -n 40 "$build_log" >&2
    die "the build failed (whole log: $build_log)"
  fi
}

# ---- Private MariaDB and cleanup -------------------------------------------------------------------

cleanup() {
  local status=$?
  if [[ -n $sim_pid ]]; then kill "$sim_pid" 2>/dev/null || true; fi
  # mariadb.sh stops the server by the PID in its own pid file.
  bash "$repo/tests/harness/mariadb.sh" stop "$db_dir" >/dev/null 2>&1 || true
  if $keep_work; then log "work files kept in $work"; else rm -rf "$work"; fi
  exit "$status"
}

sql() { mariadb --no-defaults --socket="$socket" --user=root --batch --skip-column-names "$@"; }

# start_server PARENT PREFIX BUFFER_POOL: a work directory PARENT/PREFIX.XXXXXX with its own
# datadir, socket and ephemeral port, cleaned up (servers stopped) on every exit.
start_server() {
  work=$(mktemp -d "$1/$2.XXXXXX")
  db_dir="$work/mariadb"
  trap cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  log "starting a private MariaDB in $db_dir"
  # Always our own server, even where the tests use an external one (CI's METEO_TEST_DB_HOST):
  # what is measured must share one server that nothing else loads.
  # Its own tmpdir too: a shared /tmp that someone cleans under a running server makes a query's
  # temporary table vanish (seen here: MySQL error 6 "Error on delete of /tmp/#sql-temptable...").
  mkdir -p "$work/tmp"
  env -u METEO_TEST_DB_HOST TMPDIR="$work/tmp" METEO_MARIADB_BUFFER_POOL="$3" \
    bash "$repo/tests/harness/mariadb.sh" start "$db_dir" >&2
  socket=$(sed -n 's/^METEO_TEST_DB_SOCKET=//p' "$db_dir/env")
  mariadb_version=$(sql -e "SELECT VERSION()")
  load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)  # other users of the machine skew timings
  export SENSOR_API_KEY="bench-e2e-key"  # a throw-away key for the local simulator
}

# ---- Measuring -------------------------------------------------------------------------------------

# measure NAME CMD...: runs CMD under /usr/bin/time -v; sets seconds (wall, from the shell's
# microsecond clock around it), cpu_seconds (its user + system time) and rss_mb (peak RSS).
# Output in $work/NAME.{out,err}.
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
  cpu_seconds=$(awk -F': ' '/(User|System) time \(seconds\)/ { t += $2 } END { printf "%.2f", t }' \
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

# "stage seconds" lines: the stage gauges of a run's Prometheus textfile.
stage_values() {
  sed -n 's/^meteo_etl_stage_duration_seconds{[^}]*stage="\([a-z]*\)"[^}]*} \([0-9.e+-]*\)$/\1 \2/p' "$1"
}

# "fetch 1.2, archive 1.3, ...": the same on one line.
stage_seconds() {
  stage_values "$1" | awk '{ printf "%s%s %.1f", (NR > 1 ? ", " : ""), $1, $2 }'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

# ---- Interleaved samples ---------------------------------------------------------------------------

# pair_order ROUND A B: "A B" on odd rounds, "B A" on even ones (ABBA), so that a drift of the
# machine or the server favours neither side.
pair_order() { if (($1 % 2)); then echo "$2 $3"; else echo "$3 $2"; fi; }

# stats "VALUE ..." [DECIMALS]: "median min max"; the median of an even count is the mean of the
# middle two.
stats() {
  tr ' ' '\n' <<<"$1" | awk 'NF' | sort -g | awk -v d="${2:-3}" '{ v[NR] = $1 }
    END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
          f = "%." d "f"; printf f " " f " " f, m, v[1], v[NR] }'
}

# figure "VALUE ..." [DECIMALS]: "median (min..max)" ("..": a minimum may be negative).
figure() {
  local -a s
  read -r -a s <<<"$(stats "$1" "${2:-3}")"
  echo "${s[0]} (${s[1]}..${s[2]})"
}

# pair_ratios "A1 A2 ..." "B1 B2 ...": "A1/B1 A2/B2 ...", the ratio of each pair.
pair_ratios() {
  awk -v a="$1" -v b="$2" 'BEGIN { n = split(a, x, " "); split(b, y, " ")
    for (i = 1; i <= n; i++) printf "%s%.4f", (i > 1 ? " " : ""), (y[i] > 0 ? x[i] / y[i] : 0) }'
}

# spread_verdict MIN MAX OP GOAL (OP "<=" or ">"): "yes" when every pair meets the goal, "no"
# when none does, "ambiguous" when the goal lies inside the spread.
spread_verdict() {
  awk -v lo="$1" -v hi="$2" -v op="$3" -v g="$4" 'BEGIN {
    if (op == "<=") { all = hi <= g; none = lo > g } else { all = lo > g; none = hi <= g }
    print (all ? "yes" : none ? "no" : "ambiguous") }'
}

# settle_server DATABASE: the same server state before every sample. The previous sample's dirty
# pages are flushed (a server still writing back the last load is ~15 % slower) and its undo
# purged, then every table of DATABASE is read once, so each sample starts from the same warmed
# buffer pool.
settle_server() {
  local pct dirty history deadline=$((SECONDS + 300)) table
  pct=$(sql -e "SELECT @@GLOBAL.innodb_max_dirty_pages_pct")
  sql -e "SET GLOBAL innodb_max_dirty_pages_pct = 0"
  while :; do
    read -r dirty history < <(sql -e "SELECT
      SUM(IF(variable_name = 'INNODB_BUFFER_POOL_PAGES_DIRTY', variable_value, 0)),
      SUM(IF(variable_name = 'INNODB_HISTORY_LIST_LENGTH', variable_value, 0))
      FROM information_schema.global_status")
    ((dirty > 16 || history > 16)) || break
    if ((SECONDS > deadline)); then
      log "warning: $dirty dirty pages, history list $history, still there after 300 s"
      break
    fi
    sleep 0.2
  done
  sql -e "SET GLOBAL innodb_max_dirty_pages_pct = $pct"
  for table in $(sql -e "SELECT table_name FROM information_schema.tables
                         WHERE table_schema = '$1' AND table_type = 'BASE TABLE'"); do
    sql -e "SELECT COUNT(*) FROM \`$1\`.\`$table\`" >/dev/null
  done
}

# dump_key_ordered DATABASE TABLE TSV: the table's rows as LOAD DATA reads them (NULL as \N), in
# primary key order, the order in which LOAD DATA fills a clustered index fastest; prints the
# column list for LOAD DATA.
dump_key_ordered() {
  local columns select_list key
  columns=$(sql -e "SELECT GROUP_CONCAT(CONCAT('\`', column_name, '\`') ORDER BY ordinal_position)
    FROM information_schema.columns WHERE table_schema = '$1' AND table_name = '$2'")
  key=$(sql -e "SELECT GROUP_CONCAT(CONCAT('\`', column_name, '\`') ORDER BY seq_in_index)
    FROM information_schema.statistics
    WHERE table_schema = '$1' AND table_name = '$2' AND index_name = 'PRIMARY'")
  [[ -n $columns && $columns != NULL && -n $key && $key != NULL ]] || die "no table $1.$2 with a primary key"
  select_list=$(tr ',' '\n' <<<"$columns" | awk '{ printf "%sIFNULL(%s, \"\\\\N\")", sep, $1; sep = ", " }')
  sql --raw -e "SELECT $select_list FROM \`$1\`.\`$2\` ORDER BY $key" >"$3"
  echo "$columns"
}

# load_key_ordered NAME DATABASE TABLE TSV COLUMNS: LOAD DATA LOCAL INFILE of TSV into that (empty)
# table, timed around the mariadb client (seconds, rss_mb); sets loaded to the table's row count.
load_key_ordered() {
  local name=$1 db=$2 table=$3 tsv=$4 columns=$5
  measure "$name" mariadb --no-defaults --socket="$socket" --user=root --local-infile=1 \
    -e "LOAD DATA LOCAL INFILE '$tsv' INTO TABLE \`$db\`.\`$table\` CHARACTER SET utf8mb4 ($columns)"
  loaded=$(sql -e "SELECT COUNT(*) FROM \`$db\`.\`$table\`")
}
at_most() { awk -v r="$1" -v g="$2" 'BEGIN { exit !(r <= g) }'; }
above() { awk -v r="$1" -v g="$2" 'BEGIN { exit !(r > g) }'; }

# ---- The sensor case -------------------------------------------------------------------------------

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

# await_port PORT_FILE NAME LOG: the port the simulator just started in the background ($sim_pid)
# writes to PORT_FILE once listening, waited for as long as it lives.
await_port() {
  until [[ -s $1 ]]; do
    kill -0 "$sim_pid" 2>/dev/null || die "$2 exited (see $3)"
    sleep 0.05
  done
  cat "$1"
}

# start_sensor_sim RECORDS SEED: one deterministic payload of RECORDS valid readings, served
# uncompressed (--identity) so the simulator's own gzip does not count as the tool's time.
start_sensor_sim() {
  local port_file="$work/sim.port"
  rm -f "$port_file"
  "$sensor_sim" --port 0 --port-file "$port_file" --records "$1" --seed "$2" --identity \
    --api-key "$SENSOR_API_KEY" 2>>"$work/sim.log" &
  sim_pid=$!
  # Generating 10M readings takes a while: await_port waits as long as the process lives.
  sim_url="http://127.0.0.1:$(await_port "$port_file" meteo-sensor-sim "$work/sim.log")/sensor/temperatures"
}

stop_sim() {
  kill "$sim_pid" 2>/dev/null || true
  wait "$sim_pid" 2>/dev/null || true
  sim_pid=""
}

# ---- The Toulouse backfill case ---------------------------------------------------------------------

# start_portal_sim STATIONS DAYS [NOW_EPOCH [FROM_EPOCH]]: meteo-portal-sim serving the first
# STATIONS datasets over the DAYS before NOW_EPOCH (default: the current hour), or from
# FROM_EPOCH when given (portal_from, portal_now); sets portal_url.
start_portal_sim() {
  local toulouse="$shared/data/toulouse"
  # The portal's present is an hour not after now: nothing it serves is in the tool's future.
  local now_epoch=${3:-$(($(date -u +%s) / 3600 * 3600))}
  local from_epoch=${4:-$((now_epoch - $2 * 86400))}
  portal_now=$(date -u -d "@$now_epoch" +%Y-%m-%dT%H:00:00Z)
  portal_from=$(date -u -d "@$from_epoch" +%Y-%m-%dT%H:00:00Z)
  rm -f "$work/portal.port"
  # --no-odd-schema: the catalogue's first N datasets that the tool loads (45 have that schema).
  "$portal_sim" --port 0 --port-file "$work/portal.port" \
    --stations "$toulouse/stations-meteo-en-place.exports.json" \
    --catalog "$toulouse/catalog-v1-search-q-meteo.json" --no-odd-schema --datasets "$1" \
    --now "$portal_now" --from "$portal_from" --no-future-row 2>>"$work/portal.log" &
  sim_pid=$!
  portal_url="http://127.0.0.1:$(await_port "$work/portal.port" meteo-portal-sim "$work/portal.log")"
}

# write_stations_config FILE DATABASE ARCHIVE [METRICS_FILE]: the source toulouse-stations on
# the portal simulator, with the export window and paging of config/toulouse.toml (a month per
# window).
write_stations_config() {
  sql -e "CREATE DATABASE IF NOT EXISTS \`$2\` CHARACTER SET utf8mb4"
  local monitoring=""
  [[ -z ${4:-} ]] || monitoring=$'[monitoring]\nmetrics_file = "'"$4"$'"\n'
  cat >"$1" <<TOML
[database]
socket = "$socket"
user = "root"
name = "$2"

[archive]
root = "$3"

${monitoring}[verify]
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
base_url = "$portal_url"
stations_dataset = "stations-meteo-en-place"
dataset_pattern = "station-meteo"
start = "$portal_from"
export_window_hours = 744
region_sets = ["toulouse-communes"]
[sources.http]
timeout_ms = 600000
retry_attempts = 1
TOML
}

# ---- The SYNOP month ----------------------------------------------------------------------------------

# make_synop_month STATIONS FILE: a month of SYNOP for `ingest --file` (issue #21's "a month of
# SYNOP at about 60 stations"): meteo-portal-sim --synop's exports/json of December 2023 (its 26
# stations, fetched once with curl), its stations copied under other WMO ids ("9" + the id's last
# four digits, then "8"...) up to STATIONS; the copies keep their coordinates, so they match the
# same regions, and the records stay in date order. Sets synop_records.
make_synop_month() {
  local wanted=$1 file=$2
  rm -f "$work/synop.port"
  "$portal_sim" --port 0 --port-file "$work/synop.port" --synop \
    --now 2024-01-01T00:00:00Z --from 2023-12-01T00:00:00Z --no-future-row \
    2>>"$work/synop-portal.log" &
  sim_pid=$!
  local port
  port=$(await_port "$work/synop.port" "meteo-portal-sim --synop" "$work/synop-portal.log")
  curl -sS --fail -o "$work/synop-export.json" \
    "http://127.0.0.1:$port/api/explore/v2.1/catalog/datasets/donnees-synop-essentielles-omm/exports/json" ||
    die "could not fetch the SYNOP export from the simulator"
  stop_sim
  python3 - "$work/synop-export.json" "$file" "$wanted" <<'PY'
import json, sys
records = json.load(open(sys.argv[1]))
wanted = int(sys.argv[3])
ids = sorted({r["numer_sta"] for r in records})
copies = []
for k in range(wanted):
    prefix = "" if k < len(ids) else str(9 - (k // len(ids) - 1))
    copies.append((ids[k % len(ids)], ids[k % len(ids)] if not prefix else prefix + ids[k % len(ids)][1:]))
out = []
for r in records:
    for source_id, new_id in copies:
        if r["numer_sta"] == source_id:
            out.append(dict(r, numer_sta=new_id))
json.dump(out, open(sys.argv[2], "w"))
PY
  rm -f "$work/synop-export.json"
  synop_records=$(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))))' "$file")
}

# fr_regions_config_head DATABASE ARCHIVE: the start of a configuration on the private server
# whose sources match the French regions (the tool's defaults: geojson, code, nom, polygons), no
# verify after a run; DATABASE made new and empty.
fr_regions_config_head() {
  sql -e "DROP DATABASE IF EXISTS \`$1\`; CREATE DATABASE \`$1\` CHARACTER SET utf8mb4"
  cat <<TOML
[database]
socket = "$socket"
user = "root"
name = "$1"

[archive]
root = "$2"

[verify]
after_run = false

[[region_sets]]
name = "fr-regions"
location = "$shared/data/geo/regions.geojson"

TOML
}

# write_synop_config FILE DATABASE ARCHIVE: the source synop-france of config/synop-france.toml,
# for files only (ingest --file), in a new empty DATABASE.
write_synop_config() {
  {
    fr_regions_config_head "$2" "$3"
    cat <<TOML
[[sources]]
name = "synop-france"
type = "opendatasoft-stations"
base_url = "http://127.0.0.1:9"
datasets = ["donnees-synop-essentielles-omm"]
station_field = "numer_sta"
start = "2023-12-01T00"
region_sets = ["fr-regions"]
[sources.daily]
time_zone = "Europe/Paris"
TOML
  } >"$1"
}

# ---- The ATMO air-quality layer -------------------------------------------------------------------------

# make_atmo_span DAYS FILE: the hub's CSV of ATMO Occitanie's 72 h layer
# (../shared/data/atmo, 42 stations), repeated back in time, each copy its span of hours earlier
# (so the hours follow each other without a gap or an overlap) and renumbered, until it covers more
# than DAYS days; meteo-arcgis-sim serves it as it serves the real file.
make_atmo_span() {
  python3 - "$shared/data/atmo/Mesure_72h_Region_Occitanie_Polluants_Principaux.csv" "$2" "$1" <<'PY'
import csv, datetime, math, sys
source, target, days = sys.argv[1], sys.argv[2], int(sys.argv[3])
with open(source, newline="", encoding="utf-8-sig") as f:
    rows = list(csv.reader(f))
header, rows = rows[0], rows[1:]
start, end, oid = header.index("date_debut"), header.index("date_fin"), header.index("ObjectId")
form = "%Y-%m-%dT%H:%M:%S.000Z"
parse = lambda text: datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ")
starts = [parse(r[start]) for r in rows]
span = max(starts) - min(starts) + datetime.timedelta(hours=1)
copies = math.ceil(days * 86400 / span.total_seconds()) + 1
with open(target, "w", newline="", encoding="utf-8") as f:
    out = csv.writer(f, lineterminator="\n")
    out.writerow(header)
    n = 0
    for k in range(copies):
        for r in rows:
            n += 1
            copy = list(r)
            copy[start] = (parse(r[start]) - k * span).strftime(form)
            copy[end] = (parse(r[end]) - k * span).strftime(form)
            copy[oid] = str(n)
            out.writerow(copy)
PY
}

# start_arcgis_sim CSV NOW: meteo-arcgis-sim serving CSV with its newest hour just before NOW (its
# requests logged to $work/arcgis.log); sets arcgis_url (the server) and layer_url.
start_arcgis_sim() {
  rm -f "$work/arcgis.port"
  "$arcgis_sim" --port 0 --port-file "$work/arcgis.port" --csv "$1" --now "$2" \
    2>>"$work/arcgis.log" &
  sim_pid=$!
  arcgis_url="http://127.0.0.1:$(await_port "$work/arcgis.port" meteo-arcgis-sim "$work/arcgis.log")"
  layer_url="$arcgis_url/arcgis/rest/services/mesures_occitanie_72h_poll_princ/FeatureServer/0"
}

# write_air_quality_config FILE DATABASE ARCHIVE START: the source atmo-occitanie of
# config/toulouse.toml on the simulator's layer, the whole region (where 1=1), matched to the
# French regions, from START; a day per backfill unit, no weather pairing; DATABASE new and empty.
write_air_quality_config() {
  {
    fr_regions_config_head "$2" "$3"
    cat <<TOML
[[sources]]
name = "atmo-occitanie"
type = "arcgis-air-quality"
url = "$layer_url"
start = "$4"
backfill_window_hours = 24
accepted_units = ["ug.m-3"]
region_sets = ["fr-regions"]
[sources.http]
timeout_ms = 600000
retry_attempts = 1
TOML
  } >"$1"
}

# ---- Report ----------------------------------------------------------------------------------------

# The machine's lines of a report (CPU, RAM, OS, MariaDB with the server's buffer pool).
describe_machine() {
  echo "- CPU: $(lscpu | sed -n 's/^Model name: *//p' | head -n 1), $(nproc) cores"
  echo "- RAM: $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
  echo "- OS: Debian $(cat /etc/debian_version 2>/dev/null || echo '?'), kernel $(uname -r)"
  echo "- MariaDB: $mariadb_version (tests/harness/mariadb.sh settings, buffer pool $1)"
}

# cache_value BUILD_DIR NAME: a variable of that build's CMakeCache.txt.
cache_value() { sed -n "s/^$2:[A-Z]*=//p" "$1/CMakeCache.txt"; }

describe_compiler() {
  local compiler
  compiler=$(cache_value "$1" CMAKE_CXX_COMPILER)
  echo "- Compiler: $("${compiler:-c++}" --version | head -n 1)"
}

describe_date() {
  echo "- Date: $(date -u +%Y-%m-%dT%H:%M:%SZ), load average (1/5/15 min) at the start: $load_at_start, at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
}
