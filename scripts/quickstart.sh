#!/usr/bin/env bash
# From a fresh Debian machine to the hourly table, on local defaults:
#   installs the dependencies, builds, starts a throw-away MariaDB and the sensor simulator,
#   migrates, loads the region contours (../shared/data/geo when present, else the official
#   download), runs the hourly job for four consecutive hours and prints the 3-hours-before table.
# Everything it creates lives in .quickstart/ and both servers are stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
work="$repo/.quickstart"
mkdir -p "$work"

bash scripts/install-deps.sh
bash scripts/build.sh meteo-etl meteo-sensor-sim meteo-portal-sim
bin="$repo/build/meteo-etl"
sim_bin="$repo/build/meteo-sensor-sim"

# A private MariaDB on a socket inside .quickstart/ (the test harness's own starter).
bash tests/harness/mariadb.sh start "$work/mariadb"
# shellcheck disable=SC1091
. "$work/mariadb/env"
sim_pid=""
portal_pid=""
cleanup() {
  [ -z "$sim_pid" ] || kill "$sim_pid" 2>/dev/null || true
  [ -z "$portal_pid" ] || kill "$portal_pid" 2>/dev/null || true
  bash "$repo/tests/harness/mariadb.sh" stop "$work/mariadb" >/dev/null 2>&1 || true
}
trap cleanup EXIT
mariadb --no-defaults --socket="$METEO_TEST_DB_SOCKET" -uroot \
  -e "CREATE DATABASE IF NOT EXISTS meteo CHARACTER SET utf8mb4"

regions="$repo/../shared/data/geo/regions.geojson"
if [ ! -r "$regions" ]; then
  regions="https://raw.githubusercontent.com/gregoiredavid/france-geojson/master/regions.geojson"
fi

export SENSOR_API_KEY="quickstart-key"
config="$work/meteo-etl.toml"
start_simulator() {  # one payload per hour: the feed serves "now", new readings every call
  rm -f "$work/sim.port"
  "$sim_bin" --port 0 --port-file "$work/sim.port" --records 2000 --seed "$1" --invalid 3 \
    --duplicates 5 --api-key "$SENSOR_API_KEY" 2>>"$work/sim.log" &
  sim_pid=$!
  for _ in $(seq 100); do [ -s "$work/sim.port" ] && break; sleep 0.1; done
  sim_port=$(cat "$work/sim.port")
}
start_simulator 1
cat >"$config" <<TOML
# Written by scripts/quickstart.sh: a throw-away local setup.
[database]
socket = "$METEO_TEST_DB_SOCKET"
user = "root"
name = "meteo"
load_data_local = true

[[region_sets]]
name = "fr-regions"
location = "$regions"
format = "geojson"
code_field = "code"
name_field = "nom"
matching = "polygon"

[[sources]]
name = "sensors"
type = "sensor-api"
url = "http://127.0.0.1:$sim_port/sensor/temperatures"
api_key_env = "SENSOR_API_KEY"
region_sets = ["fr-regions"]
TOML
export METEO_ETL_CONFIG="$config"

"$bin" migrate
"$bin" regions load
now=$(date -u +%s)
for back in 3 2 1 0; do
  hour=$(date -u -d "@$((now - back * 3600))" +%Y-%m-%dT%H)
  if [ "$back" -ne 3 ]; then
    kill "$sim_pid"; wait "$sim_pid" 2>/dev/null || true
    start_simulator "$((4 - back))"
    sed -i "s|^url = .*|url = \"http://127.0.0.1:$sim_port/sensor/temperatures\"|" "$config"
  fi
  "$bin" run --hour "$hour"
done
echo
"$bin" query temperature-3h --limit 13
echo

# Toulouse Métropole's weather stations, from a local Opendatasoft portal simulator serving the
# real station list and catalogue (../shared/data/toulouse), matched to Haute-Garonne's communes.
toulouse="$repo/../shared/data/toulouse"
communes="$repo/../shared/data/geo/communes-31-haute-garonne.geojson"
if [ -r "$toulouse/stations-meteo-en-place.exports.json" ] && [ -r "$communes" ]; then
  hour_epoch=$(( $(date -u +%s) / 3600 * 3600 ))
  iso() { date -u -d "@$1" +%Y-%m-%dT%H:00:00Z; }
  rm -f "$work/portal.port"
  "$repo/build/meteo-portal-sim" --port 0 --port-file "$work/portal.port" \
    --stations "$toulouse/stations-meteo-en-place.exports.json" \
    --catalog "$toulouse/catalog-v1-search-q-meteo.json" --datasets 8 \
    --now "$(iso "$hour_epoch")" --from "$(iso $((hour_epoch - 48 * 3600)))" \
    2>>"$work/portal.log" &
  portal_pid=$!
  for _ in $(seq 100); do [ -s "$work/portal.port" ] && break; sleep 0.1; done
  cat >>"$config" <<TOML

[[region_sets]]
name = "toulouse-communes"
location = "$communes"

[[sources]]
name = "toulouse-stations"
type = "opendatasoft-stations"
base_url = "http://127.0.0.1:$(cat "$work/portal.port")"
dataset_pattern = "station-meteo"
start = "$(iso $((hour_epoch - 24 * 3600)))"
region_sets = ["toulouse-communes"]
TOML
  "$bin" regions load --set toulouse-communes
  "$bin" run --source toulouse-stations
  echo
  "$bin" query station-hourly --limit 8
  echo
else
  echo "quickstart: ../shared/data/toulouse not found: skipping the Toulouse stations demo"
fi
"$bin" dashboard --out "$work/dashboard"
echo "quickstart: dashboard written to $work/dashboard; view it with"
echo "  python3 -m http.server --directory $work/dashboard 8000   # then open http://127.0.0.1:8000"
echo "quickstart: done. Config: $config; database and simulators stopped."
