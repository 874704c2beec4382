#!/usr/bin/env bash
# What the forecasts and their scoring add to an hourly run of a station network, on a private
# MariaDB and meteo-portal-sim (issue: under 2 s for 50 stations). Two databases are loaded with
# the same S stations x D days (a backfill, untimed): one with [forecast] on, one with it off.
# Then, for each of N consecutive hours (the simulator's present moved one hour each time), the
# hourly `run` of both, interleaved, each timed; the forecast stage's own seconds come from the
# run's Prometheus textfile. Prints the median and range of the N samples of: the forecast stage,
# the run with forecasts, the run without, and their difference.
#
#   bench/forecast.sh [--stations S] [--days D] [--hours N] [--build-dir DIR] [--keep-work]
#
# --build-dir: that build's meteo-etl and meteo-portal-sim (default: build/, the optimised build
# of scripts/build.sh). The Toulouse catalogue has 45 stations of the schema the tool loads.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"

stations=45
days=46
hours=5
build_dir="$repo/build"
keep_work=false
while [[ $# -gt 0 ]]; do
  case $1 in
    --stations) stations=${2:?}; shift 2 ;;
    --days) days=${2:?}; shift 2 ;;
    --hours) hours=${2:?}; shift 2 ;;
    --build-dir) build_dir=${2:?}; shift 2 ;;
    --keep-work) keep_work=true; shift ;;
    -h | --help) usage ;;
    *) echo "forecast.sh: unknown option $1" >&2; usage ;;
  esac
done
for n in "$stations" "$days" "$hours"; do
  [[ $n =~ ^[1-9][0-9]*$ ]] || { echo "forecast.sh: not a positive integer: $n" >&2; exit 64; }
done
bin="$build_dir/meteo-etl"
portal_sim="$build_dir/meteo-portal-sim"
[[ -x $bin && -x $portal_sim ]] || die "no $bin or $portal_sim: run scripts/build.sh"
require_tools mariadb /usr/bin/time
start_server "${TMPDIR:-/tmp}" meteo-bench-forecast 256M

# The simulator's present, an hour apart per sample; the series start DAYS before the first.
first_now=$(($(date -u +%s) / 3600 * 3600 - hours * 3600))
first_from=$((first_now - days * 86400))


# write_config NAME FORECAST(true|false) [START]: a stations config on the current simulator.
# START: where the first hourly run reads from (a backfill leaves no watermark; without it the
# first run would re-read the whole history a week at a time).
write_config() {
  write_stations_config "$work/$1.toml" "bench_$1" "$work/archive-$1" "$work/$1.prom"
  if [[ -n ${3:-} ]]; then sed -i "s/^start = .*/start = \"$3\"/" "$work/$1.toml"; fi
  printf '\n[forecast]\nenabled = %s\n' "$2" >>"$work/$1.toml"
}

start_portal_sim "$stations" "$days" "$first_now" "$first_from"
for variant in with without; do
  write_config "$variant" "$([[ $variant == with ]] && echo true || echo false)"
  prepare_database "$work/$variant.toml" toulouse-communes
  log "loading $stations stations x $days days ($variant forecasts)"
  "$bin" --config "$work/$variant.toml" --log-level warn backfill --from "${portal_from%:00:00Z}" \
    --to "${portal_now%:00:00Z}" --source toulouse-stations >>"$work/setup.log" 2>&1 ||
    die "backfill failed (see $work/setup.log)"
done
stop_sim

declare -a stage_s with_s without_s
for ((k = 1; k <= hours; ++k)); do
  start_portal_sim "$stations" "$days" $((first_now + k * 3600)) "$first_from"
  for variant in with without; do
    write_config "$variant" "$([[ $variant == with ]] && echo true || echo false)" \
      "$(date -u -d "@$((first_now - 7200))" +%Y-%m-%dT%H:00:00Z)"
    measure "run-$variant-$k" "$bin" --config "$work/$variant.toml" --log-level warn run \
      --source toulouse-stations
    if [[ $variant == with ]]; then
      with_s+=("$seconds")
      stage_s+=("$(stage_values "$work/with.prom" | awk '$1 == "forecast" { print $2 }')")
    else
      without_s+=("$seconds")
    fi
  done
  stop_sim
done
issued=$(sql -e "SELECT COUNT(DISTINCT dataset_id) FROM bench_with.station_forecasts
  WHERE issued_at >= '$(date -u -d "@$first_now" '+%Y-%m-%d %H:00:00')'")

# median and range of the arguments: "m (lo-hi)".
summary() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
  m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
  printf "%.3f s (%.3f-%.3f)", m, v[1], v[NR] }'; }
declare -a difference
for ((i = 0; i < hours; ++i)); do
  difference+=("$(awk -v a="${with_s[$i]}" -v b="${without_s[$i]}" 'BEGIN { printf "%.3f", a - b }')")
done
cat <<REPORT
Forecasts in the hourly run: $stations stations x $days days of history, $hours hourly runs
(stations forecast in those runs: $issued), median (range) of $hours samples:
- forecast stage (scoring + issuing, the run's textfile): $(summary "${stage_s[@]}")
- run with forecasts:    $(summary "${with_s[@]}")
- run without forecasts: $(summary "${without_s[@]}")
- difference per hour:   $(summary "${difference[@]}")
- machine load at start: $load_at_start; MariaDB $mariadb_version
REPORT
