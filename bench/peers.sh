#!/usr/bin/env bash
# Region point-in-polygon matching by peer tools on the same points as our matcher, each beside
# our matcher measured in the same run (optional: not run by CI). N seeded uniform random points
# over metropolitan France's box (lon -5.5..10, lat 41..51.5, matcher_bench's box) go through:
#   - meteo_match_points (bench/micro): our region index, and GEOS prepared geometries;
#   - geopandas sjoin (predicate "within"; Debian python3-geopandas);
#   - PostGIS: ST_Contains join with a GiST index (Debian postgresql-15-postgis-3), on a private
#     PostgreSQL cluster;
#   - MariaDB: ST_Contains join with a SPATIAL index, on a private mariadbd, on the first
#     --mariadb-points of the same points (it is far slower).
# Every tool is timed in --samples rounds (default 5) after an untimed warm-up round, each round
# running ours, GEOS, geopandas, PostGIS and MariaDB once, the order rotated by one tool every
# round, so that a drift of the shared machine favours none. Prints one table: seconds and
# points/s, each the median (min..max) of the samples; time per point relative to our matcher's
# (ours = 1.0), the median (min..max) of the per-round ratios; and how many points each tool puts
# in the same region as ours. A peer's different answer on a region's border is counted apart:
# ours counts the border (GEOS covers), ST_Contains and "within" do not.
#
#   bench/peers.sh [--points N] [--mariadb-points N] [--regions FILE] [--samples N]
#                  [--rows FILE] [--skip-install] [--keep-work]
#
# --points defaults to 1000000, --mariadb-points to 2000, --regions to
# ../shared/data/geo/regions.geojson (départements: ../shared/data/geo/departements.geojson),
# --samples to 5 (the issue's least number of interleaved samples behind a figure).
# --rows writes a row per peer in bench/e2e.sh's 8 columns (case, rows, tool = ours s, baseline =
# the peer's s, ratio = the peer's time per point / ours, goal, met, peak RSS), for one combined
# table.
# Installs python3-geopandas, python3-rtree, postgresql-15-postgis-3 and MariaDB with apt-get
# (sudo when not root) unless --skip-install. Builds meteo_match_points in Release in BUILD_DIR
# (default build-peers/, JOBS=2 build jobs). Every server it starts is stopped, by its PID, on exit.
set -euo pipefail
# usage, log, die, and the statistics of interleaved samples (stats, figure, pair_ratios); it sets
# repo, shared and LC_ALL=C (decimal points in $EPOCHREALTIME and awk).
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"

points=1000000
mariadb_points=2000
regions_file="$shared/data/geo/regions.geojson"
samples=5
rows_file=""
install=true
keep_work=false
while [[ $# -gt 0 ]]; do
  case $1 in
    --points) points=${2:?}; shift 2 ;;
    --mariadb-points) mariadb_points=${2:?}; shift 2 ;;
    --regions) regions_file=${2:?}; shift 2 ;;
    --samples) samples=${2:?}; shift 2 ;;
    --rows) rows_file=${2:?}; shift 2 ;;
    --skip-install) install=false; shift ;;
    --keep-work) keep_work=true; shift ;;
    -h | --help) usage ;;
    *) echo "peers.sh: unknown option $1" >&2; usage ;;
  esac
done
for n in "$points" "$mariadb_points" "$samples"; do
  [[ $n =~ ^[1-9][0-9]*$ ]] || { echo "peers.sh: not a positive integer: $n" >&2; exit 64; }
done
((mariadb_points <= points)) || mariadb_points=$points

[[ -r $regions_file ]] || die "$regions_file is missing"
regions_file=$(cd "$(dirname "$regions_file")" && pwd)/$(basename "$regions_file")

# Debian's packages, not a pyenv or venv python that may be first on PATH: geopandas comes from
# python3-geopandas. Debian keeps mariadbd in sbin, which a non-login PATH may lack.
py=/usr/bin/python3
export PATH="$PATH:/usr/sbin:/sbin"
pg_bin=/usr/lib/postgresql/15/bin

# ---- Optional dependencies (as scripts/install-deps.sh installs) --------------------------------

if $install; then
  # python3-rtree: geopandas 0.12 with Shapely 1.8 needs it for sjoin's spatial index.
  packages=(python3 python3-geopandas python3-rtree postgresql-15-postgis-3 mariadb-server
    mariadb-client cmake build-essential libgeos-dev)
  missing=()
  for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
      missing+=("$package")
  done
  if [[ ${#missing[@]} -gt 0 ]]; then
    sudo=""
    [[ $(id -u) -eq 0 ]] || sudo="sudo"
    log "installing ${missing[*]}"
    $sudo apt-get update -q >&2
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends \
      "${missing[@]}" >&2
  fi
fi
for tool in "$py" "$pg_bin/initdb" "$pg_bin/pg_ctl" psql mariadb-install-db mariadbd mariadb; do
  command -v "$tool" >/dev/null || die "$tool is missing (run without --skip-install)"
done
"$py" -c 'import geopandas, rtree' 2>/dev/null || die "geopandas or rtree is missing for $py"

# ---- Build -----------------------------------------------------------------------------------------

build_dir=${BUILD_DIR:-$repo/build-peers}
mkdir -p "$build_dir"
build_log="$build_dir/peers-build.log"
log "building meteo_match_points (Release) in $build_dir"
if ! { cmake -S "$repo" -B "$build_dir" -DCMAKE_BUILD_TYPE=Release -DMETEO_BUILD_BENCHMARKS=ON &&
  cmake --build "$build_dir" -j "${JOBS:-2}" --target meteo_match_points; } >"$build_log" 2>&1; then
  tail -n 40 "$build_log" >&2
  die "the build failed (whole log: $build_log)"
fi
matcher="$build_dir/bench/micro/meteo_match_points"

# ---- Work directory and cleanup --------------------------------------------------------------------

work=$(mktemp -d "${TMPDIR:-/tmp}/meteo-peers.XXXXXX")
chmod 755 "$work"  # PostgreSQL may run as another user (below), and must reach its directory
pg_pid=""
maria_pid=""

# stop_pid PID SIGNAL: signals one server and waits for it to exit (killed after 60 s).
stop_pid() {
  local pid=$1 signal=$2 deadline=$((SECONDS + 60))
  kill -"$signal" "$pid" 2>/dev/null || return 0
  while kill -0 "$pid" 2>/dev/null; do
    if ((SECONDS >= deadline)); then
      kill -9 "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.2
  done
}
stop_postgres() {
  # SIGINT: PostgreSQL's fast shutdown (its backends end with the postmaster).
  if [[ -n $pg_pid ]]; then stop_pid "$pg_pid" INT; fi
  pg_pid=""
}
stop_mariadb() {
  if [[ -n $maria_pid ]]; then stop_pid "$maria_pid" TERM; fi
  maria_pid=""
}
peers_cleanup() {
  local status=$?
  stop_postgres
  stop_mariadb
  if $keep_work; then log "work files kept in $work"; else rm -rf "$work"; fi
  exit "$status"
}
trap peers_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)  # other users of the machine skew timings
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

# ---- Points and regions ----------------------------------------------------------------------------

log "drawing $points points (seed 7) into $work/points.csv"
# repr() writes the shortest text that reads back as the same double: every tool parses the same
# doubles from it.
"$py" - "$work/points.csv" "$points" <<'PY'
import random, sys

path, count = sys.argv[1], int(sys.argv[2])
rng = random.Random(7)
with open(path, "w") as out:
    out.write("id,lon,lat\n")
    for i in range(count):
        out.write(f"{i},{rng.uniform(-5.5, 10.0)!r},{rng.uniform(41.0, 51.5)!r}\n")
PY
head -n $((mariadb_points + 1)) "$work/points.csv" >"$work/points-mariadb.csv"

# The regions in source order as TSV rows (ordinal, code, name, GeoJSON geometry) for both
# databases; the smallest ordinal wins where a peer finds a point in several regions, as ours does.
"$py" - "$regions_file" "$work/regions.tsv" <<'PY'
import json, sys

with open(sys.argv[1], encoding="utf-8") as f:
    features = json.load(f)["features"]
with open(sys.argv[2], "w", encoding="utf-8") as out:
    for ordinal, feature in enumerate(features):
        p = feature["properties"]
        out.write(f"{ordinal}\t{p['code']}\t{p['nom']}\t{json.dumps(feature['geometry'])}\n")
PY
region_count=$(wc -l <"$work/regions.tsv")

# ---- The servers: PostGIS and MariaDB, each loaded and indexed once (untimed) -------------------

# PostgreSQL refuses to run as root: as root, its cluster belongs to the postgres account that
# Debian's postgresql-common creates. The client (psql) runs as us, over the cluster's socket.
as_pg=()
if [[ $(id -u) -eq 0 ]]; then
  getent passwd postgres >/dev/null || die "running as root needs the postgres account"
  as_pg=(runuser -u postgres --)
fi
pg_dir="$work/postgres"
mkdir -p "$pg_dir/sock"
[[ ${#as_pg[@]} -eq 0 ]] || chown -R postgres: "$pg_dir"
log "starting a private PostgreSQL in $pg_dir"
"${as_pg[@]}" "$pg_bin/initdb" -D "$pg_dir/data" -U postgres --auth=trust --encoding=UTF8 \
  --no-sync >"$work/initdb.log" 2>&1 || { cat "$work/initdb.log" >&2; die "initdb failed"; }
# Socket only, in our directory. One worker per query, as every other tool here: no parallel
# plans. fsync off: loading is not measured, and nothing here must survive a crash.
"${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 60 start \
  -o "-c listen_addresses='' -c unix_socket_directories='$pg_dir/sock' -c fsync=off \
      -c max_parallel_workers_per_gather=0" >"$work/pg_ctl.log" 2>&1 ||
  { cat "$work/pg_ctl.log" "$pg_dir/server.log" >&2; die "PostgreSQL did not start"; }
pg_pid=$(head -n 1 "$pg_dir/data/postmaster.pid")
pg() { psql -X -q -v ON_ERROR_STOP=1 -h "$pg_dir/sock" -U postgres -d postgres "$@"; }
log "loading $points points into PostGIS"
pg <<SQL >&2
CREATE EXTENSION postgis;
CREATE TABLE regions (ordinal int PRIMARY KEY, code text, name text, geojson text);
\copy regions FROM '$work/regions.tsv'
ALTER TABLE regions ADD COLUMN geom geometry(MultiPolygon, 4326);
UPDATE regions SET geom = ST_Multi(ST_GeomFromGeoJSON(geojson));
CREATE INDEX ON regions USING gist (geom);
CREATE TABLE points (id int PRIMARY KEY, lon float8, lat float8);
\copy points FROM '$work/points.csv' WITH (FORMAT csv, HEADER true)
ALTER TABLE points ADD COLUMN geom geometry(Point, 4326);
UPDATE points SET geom = ST_SetSRID(ST_MakePoint(lon, lat), 4326);
CREATE INDEX ON points USING gist (geom);
VACUUM ANALYZE regions;
VACUUM ANALYZE points;
SQL
postgis_version=$(pg -At -c "SELECT extversion FROM pg_extension WHERE extname = 'postgis'")
postgres_version=$(pg -At -c "SHOW server_version" | cut -d' ' -f1)
pg_join="SELECT p.id, min(r.ordinal) AS ordinal, count(*) AS matches
  FROM regions r JOIN points p ON ST_Contains(r.geom, p.geom) GROUP BY p.id"
pg -c "EXPLAIN $pg_join" >"$work/postgis-plan.txt"

maria_dir="$work/mariadb"
mkdir -p "$maria_dir/tmp"
as_root=()
[[ $(id -u) -eq 0 ]] && as_root=(--user=root)
log "starting a private MariaDB in $maria_dir"
# As tests/harness/mariadb.sh does: root without a password, whoever runs the script.
mariadb-install-db --no-defaults --datadir="$maria_dir/data" "${as_root[@]}" \
  --auth-root-authentication-method=normal --skip-test-db >"$maria_dir/install.log" 2>&1 ||
  { cat "$maria_dir/install.log" >&2; die "mariadb-install-db failed"; }
mariadbd --no-defaults --datadir="$maria_dir/data" --socket="$maria_dir/mysqld.sock" \
  --skip-networking "${as_root[@]}" --pid-file="$maria_dir/mysqld.pid" \
  --log-error="$maria_dir/error.log" --tmpdir="$maria_dir/tmp" --innodb-buffer-pool-size=256M \
  --innodb-flush-log-at-trx-commit=2 --max-allowed-packet=64M </dev/null >/dev/null 2>&1 &
maria_pid=$!
maria() {
  mariadb --no-defaults --socket="$maria_dir/mysqld.sock" --user=root --local-infile=1 --batch \
    --skip-column-names "$@"
}
deadline=$((SECONDS + 60))
until mariadb-admin --no-defaults --socket="$maria_dir/mysqld.sock" --user=root ping >/dev/null 2>&1; do
  kill -0 "$maria_pid" 2>/dev/null || { cat "$maria_dir/error.log" >&2; die "mariadbd exited"; }
  ((SECONDS < deadline)) || die "MariaDB did not answer within 60 s"
  sleep 0.2
done
mariadb_version=$(maria -e "SELECT VERSION()")
# SRID 4326 on both sides. A point's coordinates go in as the file's text (a LOAD DATA variable
# is a string), so the server parses the same decimal text as every other tool.
maria >"$maria_dir/load.log" <<SQL
CREATE DATABASE peers;
USE peers;
CREATE TABLE regions (ordinal INT PRIMARY KEY, code VARCHAR(16), name VARCHAR(255),
                      geojson LONGTEXT, g GEOMETRY);
LOAD DATA LOCAL INFILE '$work/regions.tsv' INTO TABLE regions CHARACTER SET utf8mb4
  (ordinal, code, name, geojson);
UPDATE regions SET g = ST_GeomFromGeoJSON(geojson, 1, 4326);
CREATE TABLE points (id INT PRIMARY KEY, g POINT NOT NULL, SPATIAL INDEX (g));
LOAD DATA LOCAL INFILE '$work/points-mariadb.csv' INTO TABLE points FIELDS TERMINATED BY ','
  IGNORE 1 LINES (id, @lon, @lat) SET g = ST_PointFromText(CONCAT('POINT(', @lon, ' ', @lat, ')'), 4326);
ANALYZE TABLE regions, points;
SQL
maria_join="SELECT p.id, MIN(r.ordinal) AS ordinal, COUNT(*) AS matches
  FROM regions r JOIN points p ON ST_Contains(r.g, p.g) GROUP BY p.id"
maria -D peers -e "EXPLAIN $maria_join" >"$work/mariadb-plan.txt"

# geopandas: a fresh interpreter per sample, as every other tool's sample starts afresh (the
# script is not named geopandas.py, which would shadow the module it imports).
cat >"$work/sjoin_geopandas.py" <<'PY'
import sys, time

import geopandas as gpd
import pandas as pd

regions_path, points_path, answers_path = sys.argv[1:4]
regions = gpd.read_file(regions_path)
regions["ordinal"] = range(len(regions))
# round_trip: the correctly rounded parse (pandas' default fast parser may be off by an ulp).
table = pd.read_csv(points_path, dtype={"id": str}, float_precision="round_trip")
points = gpd.GeoDataFrame({"id": table["id"]}, geometry=gpd.points_from_xy(table["lon"], table["lat"]),
                          crs=regions.crs)
start = time.perf_counter()  # the join alone, its spatial index included
joined = gpd.sjoin(points, regions[["ordinal", "code", "geometry"]], how="inner", predicate="within")
seconds = time.perf_counter() - start
print(f"seconds {seconds:.6f}")
print(f"several_regions {int(joined['id'].duplicated().sum())}")
print(f"version {gpd.__version__}")
if answers_path != "-":
    first = joined.sort_values("ordinal").drop_duplicates("id")
    first[["id", "code"]].to_csv(answers_path, index=False)
PY

# ---- One sample of each tool: sample_TOOL ROUND sets seconds ---------------------------------------
# Round 0 is the warm-up: its answers are kept for the comparison below, its times are not.

# answers_to TOOL ROUND: where round 0 writes the tool's answers; "-" for the other rounds.
answers_to() { if (($2 == 0)); then echo "$work/answers-$1.csv"; else echo -; fi; }

# match_sample TOOL MATCHER ANSWERS_FLAG ROUND: one timed pass of meteo_match_points' MATCHER over
# every point, after an untimed one (GEOS prepares its geometries on first use); the index is
# built untimed.
match_sample() {
  local answers=()
  (($4 > 0)) || answers=("$3" "$(answers_to "$1" 0)")
  "$matcher" "$regions_file" "$work/points.csv" --matcher "$2" --repeat 1 "${answers[@]}" \
    >"$work/$1.txt"
  seconds=$(awk -v k="$2" '$1 == "seconds" && $2 == k { print $3 }' "$work/$1.txt")
}
sample_ours() {
  match_sample ours indexed --answers "$1"
  index_build_s=$(awk '$1 == "index_build_seconds" { print $2 }' "$work/ours.txt")
}
sample_geos() { match_sample geos geos --geos-answers "$1"; }

sample_geopandas() {
  "$py" "$work/sjoin_geopandas.py" "$regions_file" "$work/points.csv" "$(answers_to geopandas "$1")" \
    >"$work/geopandas.txt"
  seconds=$(awk '$1 == "seconds" { print $2 }' "$work/geopandas.txt")
  geopandas_version=$(awk '$1 == "version" { print $2 }' "$work/geopandas.txt")
  geopandas_several=$(awk '$1 == "several_regions" { print $2 }' "$work/geopandas.txt")
}

# psql's \timing: the statement's time, measured by the client, the connection's start excluded.
sample_postgis() {
  pg >"$work/postgis.txt" <<SQL
SET client_min_messages = warning;
DROP TABLE IF EXISTS matched;
\\timing on
CREATE TABLE matched AS $pg_join;
SQL
  seconds=$(awk '/^Time: / { printf "%.6f", $2 / 1000 }' "$work/postgis.txt")
  (($1 > 0)) || pg -c "\\copy (SELECT m.id, r.code FROM matched m JOIN regions r USING (ordinal)) TO '$(answers_to postgis 0)' WITH (FORMAT csv, HEADER true)"
  postgis_several=$(pg -At -c "SELECT count(*) FROM matched WHERE matches > 1")
}

# The server's clock: NOW(6) is each statement's start, so the difference is the join's time.
sample_mariadb() {
  seconds=$(maria -D peers -e "DROP TABLE IF EXISTS matched; SET @start = NOW(6);
    CREATE TABLE matched AS $maria_join; SELECT TIMESTAMPDIFF(MICROSECOND, @start, NOW(6)) / 1e6")
  if (($1 == 0)); then
    {
      echo "id,code"
      maria -D peers -e "SELECT m.id, r.code FROM matched m JOIN regions r USING (ordinal)" | tr '\t' ','
    } >"$(answers_to mariadb 0)"
  fi
  mariadb_several=$(maria -D peers -e "SELECT COUNT(*) FROM matched WHERE matches > 1")
}

# ---- The rounds ------------------------------------------------------------------------------------

tools=(ours geos geopandas postgis mariadb)
declare -A runs  # tool -> its samples' seconds, in round order
for ((round = 0; round <= samples; round++)); do
  # Round r starts with tool r - 1 (mod 5), and the others follow in the list's order.
  for ((k = 0; k < ${#tools[@]}; k++)); do
    tool=${tools[(round + ${#tools[@]} - 1 + k) % ${#tools[@]}]}
    "sample_$tool" "$round"
    [[ -n $seconds ]] || die "no time from the $tool sample of round $round (see $work)"
    if ((round == 0)); then
      log "warm-up round, $tool: $seconds s (not counted)"
    else
      runs[$tool]+="${runs[$tool]:+ }$seconds"
      log "round $round of $samples, $tool: $seconds s"
    fi
  done
done
stop_postgres
stop_mariadb

# ---- Same answers? ---------------------------------------------------------------------------------

# For each tool, over the points it matched: how many get our region, and of the others how many
# lie on the boundary of our region or of theirs (Shapely's touches: on the boundary, not inside).
"$py" - "$regions_file" "$work/points.csv" "$work/answers-ours.csv" "$work" \
  geos:"$points" geopandas:"$points" postgis:"$points" mariadb:"$mariadb_points" \
  >"$work/agreement.txt" <<'PY'
import csv, json, sys

from shapely.geometry import Point, shape
from shapely.prepared import prep

regions_path, points_path, ours_path, work = sys.argv[1:5]
with open(regions_path, encoding="utf-8") as f:
    geometry = {ft["properties"]["code"]: shape(ft["geometry"]) for ft in json.load(f)["features"]}
boundary = {code: prep(g.boundary) for code, g in geometry.items()}

def answers(path):
    with open(path, newline="") as f:
        return {row["id"]: row["code"] or None for row in csv.DictReader(f)}

ours = answers(ours_path)
with open(points_path, newline="") as f:
    ids, coordinates = [], {}
    for row in csv.DictReader(f):
        ids.append(row["id"])
        coordinates[row["id"]] = (float(row["lon"]), float(row["lat"]))
for spec in sys.argv[5:]:
    tool, count = spec.split(":")
    theirs = answers(f"{work}/answers-{tool}.csv")
    same = border = other = 0
    for i in ids[: int(count)]:
        a, b = ours[i], theirs.get(i)
        if a == b:
            same += 1
            continue
        point = Point(coordinates[i])
        if any(code is not None and boundary[code].intersects(point) for code in (a, b)):
            border += 1
        else:
            other += 1
            print(f"differs {tool} id={i} point={coordinates[i]} ours={a} theirs={b}", file=sys.stderr)
    print(tool, same, border, other)
PY

# ---- Report ----------------------------------------------------------------------------------------

agree() { awk -v t="$1" -v f="$2" '$1 == t { print $f }' "$work/agreement.txt"; }
# per_point "S ..." N: each sample's seconds per point.
per_point() { awk -v s="$1" -v n="$2" 'BEGIN { k = split(s, t, " ")
  for (i = 1; i <= k; i++) printf "%s%.6e", (i > 1 ? " " : ""), t[i] / n }'; }
# rates "S ..." N: each sample's points per second.
rates() { awk -v s="$1" -v n="$2" 'BEGIN { k = split(s, t, " ")
  for (i = 1; i <= k; i++) printf "%s%.0f", (i > 1 ? " " : ""), (t[i] > 0 ? n / t[i] : 0) }'; }
ours_per_point=$(per_point "${runs[ours]}" "$points")
table=()
combined=()
regions_name=$(basename "$regions_file" .geojson)
# row TOOL KEY POINTS [CASE]: KEY names the tool in runs and agreement.txt; CASE, the peer's
# case text in the combined rows.
row() {
  local tool=$1 key=$2 n=$3 case_text=${4:-} ratio same border="-" other="-"
  # Time per point relative to ours, round by round: 10 means ten times our time for each point.
  ratio=$(figure "$(pair_ratios "$(per_point "${runs[$key]}" "$n")" "$ours_per_point")" 2)
  if [[ $key != ours ]]; then
    same="$(agree "$key" 2)/$n"
    border=$(agree "$key" 3)
    other=$(agree "$key" 4)
  else
    same="$n/$n"
  fi
  table+=("| $tool | $n | $(figure "${runs[$key]}" 6) | $(figure "$(rates "${runs[$key]}" "$n")" 0) | $ratio | $same | $border | $other |")
  [[ -z $case_text ]] ||
    combined+=("| peer: $case_text vs region index, $regions_name; s, ratio = the peer's time per point / ours | $n points | $(figure "${runs[ours]}" 6) | $(figure "${runs[$key]}" 6) | $ratio | - | - | - |")
}
row "meteo-etl region index (ours)" ours "$points"
row "GEOS prepared geometries + STRtree, covers (our baseline)" geos "$points" \
  "GEOS prepared + STRtree (covers)"
row "geopandas $geopandas_version sjoin, within (rtree index)" geopandas "$points" \
  "geopandas $geopandas_version sjoin (within, rtree)"
row "PostGIS $postgis_version ST_Contains join, GiST (PostgreSQL $postgres_version)" postgis \
  "$points" "PostGIS $postgis_version ST_Contains + GiST"
row "MariaDB ${mariadb_version%%-*} ST_Contains join" mariadb "$mariadb_points" \
  "MariaDB ${mariadb_version%%-*} ST_Contains + SPATIAL (ours on $points points)"

# Whether each database's plan used the index on the points (EXPLAIN, kept in the work files).
if grep -q "Index Scan on points_geom_idx" "$work/postgis-plan.txt"; then
  postgis_plan="a nested loop over the regions probing the points' GiST index"
else
  postgis_plan="without the points' GiST index (see postgis-plan.txt)"
fi
maria_key=$(awk -F'\t' '$3 == "p" { print $6 }' "$work/mariadb-plan.txt")
if [[ $maria_key == NULL ]]; then
  maria_plan="every region against every point (block nested loop): its optimizer left the points' SPATIAL index unused"
else
  maria_plan="the points' index $maria_key probed per region"
fi

geos_version=$(geos-config --version 2>/dev/null || echo '?')
{
  echo "Region matching, $(basename "$regions_file") ($region_count regions), uniform random points (seed 7) over lon -5.5..10, lat 41..51.5"
  echo
  echo "Every figure: median (min..max) of $samples rounds after an untimed warm-up round, the tools' order rotated each round. Time per point / ours: the median of the per-round ratios (min..max of those ratios)."
  echo
  echo "| tool | points | seconds | points/s | time per point / ours | same region as ours | differs, on a border | differs, elsewhere |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|"
  printf '%s\n' "${table[@]}"
  echo
  echo "- Timed: ours and GEOS, one pass over the points after an untimed one, in a process of their own (the index built beforehand in $index_build_s s, once per region set: the tool caches it); geopandas, the sjoin call; PostGIS and MariaDB, the join query (CREATE TABLE ... AS SELECT, GROUP BY point), data loaded and indexed once beforehand, both servers up through every round. One thread each (PostgreSQL without parallel workers)."
  echo "- Plans: PostGIS, $postgis_plan; MariaDB, $maria_plan."
  echo "- Points in several regions (the first in file order counted): geopandas $geopandas_several, PostGIS $postgis_several, MariaDB $mariadb_several."
  echo
  echo "Machine: $(lscpu | sed -n 's/^Model name: *//p' | head -n 1), nproc $(nproc), $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo), Debian $(cat /etc/debian_version 2>/dev/null || echo '?'), kernel $(uname -r), GEOS $geos_version, $(date -u +%Y-%m-%dT%H:%M:%SZ); load average at the start $load_at_start, at the end $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$work/report.md"
if [[ -n $rows_file ]]; then
  printf '%s\n' "${combined[@]}" >"$rows_file"
  log "rows written to $rows_file"
fi
if [[ $(awk '{ s += $4 } END { print s + 0 }' "$work/agreement.txt") -gt 0 ]]; then
  log "some answers differ off the borders (listed above)"
fi
