#!/usr/bin/env bash
# The sensor run's load on Spider against one server: a `run --hour 2026-11-22T06` of N readings
# (one meteo-sensor-sim payload, seed 42) into a fresh database on
#   single    a plain server (backend1 of the Spider harness, written directly);
#   spider1   the Spider head, readings sharded on backend1 alone (the head's overhead);
#   spider2   the Spider head, readings sharded across backend1 and backend2;
#   spider2_insert the same with [database] load_data_local = false: the tool's multi-row
#             INSERT ... ON DUPLICATE KEY UPDATE instead of LOAD DATA LOCAL.
# Per sample: a fresh database, `migrate`, `regions load` and deploy/spider/shard.sh (untimed),
# then the timed run: wall seconds and the run's load stage (its metrics file). The modes are
# interleaved, their order rotating each round. Every sample must store N readings and the same
# region aggregates, or the script stops with an error.
#
#   bench/spider.sh [--rounds 5] [--records 200000] [--modes "single spider1 spider2"]
#                   [--build-dir build] [--keep-work] [--smoke]
#
# Uses the binaries of --build-dir as they are (scripts/build.sh meteo-etl meteo-sensor-sim).
# The three servers and the tool share the machine's cores: on 2 cores this measures what one
# head in front of its backends costs, not what backends on machines of their own would add.
set -euo pipefail
# shellcheck source=bench/lib.sh disable=SC2034,SC2154 # lib.sh sets and reads these globals
source "$(dirname "$0")/lib.sh"

rounds=5
records=200000
build_dir="$repo/build"
keep_work=false
modes=(single spider1 spider2)
while [[ $# -gt 0 ]]; do
  case $1 in
    --rounds) rounds=$2; shift 2 ;;
    --records) records=$2; shift 2 ;;
    --modes) read -r -a modes <<<"$2"; shift 2 ;;
    --build-dir) build_dir=$(cd "$2" && pwd); shift 2 ;;
    --keep-work) keep_work=true; shift ;;
    --smoke) rounds=1; records=2000; shift ;;
    *) usage ;;
  esac
done
bin="$build_dir/meteo-etl"
sensor_sim="$build_dir/meteo-sensor-sim"
[[ -x $bin && -x $sensor_sim ]] || die "no meteo-etl or meteo-sensor-sim in $build_dir"
require_tools mariadb mariadbd /usr/bin/time

spider_dir=""
stop_all() {
  local status=$?
  if [[ -n $sim_pid ]]; then kill "$sim_pid" 2>/dev/null || true; fi
  # spider.sh stops each of its servers by the PID in its pid file.
  [[ -n $spider_dir ]] && bash "$repo/tests/harness/spider.sh" stop "$spider_dir" >/dev/null 2>&1
  if $keep_work; then log "work files kept in $work"; else rm -rf "$work"; fi
  exit "$status"
}
work=$(mktemp -d "${TMPDIR:-/tmp}/meteo-bench-spider.XXXXXX")
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
export SENSOR_API_KEY="bench-spider-key"
spider_dir="$work/spider"
log "starting a Spider head and two backends in $spider_dir"
bash "$repo/tests/harness/spider.sh" start "$spider_dir" >&2
head_socket="$spider_dir/head/mysqld.sock"
load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)
start_sensor_sim "$records" 42

# One sample of MODE in round ROUND: sets seconds and load_seconds.
sample() {
  local mode=$1 round=$2
  local db="bench_${mode}_$round" config="$work/${mode}_$round.toml"
  case $mode in
    single) socket="$spider_dir/backend1/mysqld.sock" ;;
    *) socket=$head_socket ;;
  esac
  write_sensor_config "$config" "$db" "$work/archive_${mode}_$round" "$sim_url"
  [[ $mode == *_insert ]] && sed -i 's/^load_data_local = true$/load_data_local = false/' "$config"
  prepare_database "$config" fr-regions
  case $mode in
    spider1) bash "$repo/deploy/spider/shard.sh" --socket="$head_socket" --user=root "$db" \
      backend1 >>"$work/setup.log" ;;
    spider2*) bash "$repo/deploy/spider/shard.sh" --socket="$head_socket" --user=root "$db" \
      backend1 backend2 >>"$work/setup.log" ;;
  esac
  measure "${mode}_$round" "$bin" --config "$config" run --hour 2026-11-22T06
  load_seconds=$(stage_values "${config%.toml}.prom" | awk '$1 == "load" { print $2 }')
  local stored checksum
  stored=$(sql "$db" -e "SELECT COUNT(*) FROM sensor_readings")
  [[ $stored == "$records" ]] || die "$mode round $round stored $stored readings, not $records"
  checksum=$(sql "$db" -e "SELECT COUNT(*), SUM(CRC32(CONCAT_WS('|', hour, region_set, region_code,
    temperature, numberOfPoints))) FROM region_hourly_temperature")
  [[ -z $reference_checksum || $checksum == "$reference_checksum" ]] ||
    die "$mode round $round: aggregates $checksum, not $reference_checksum"
  reference_checksum=$checksum
  # The readings go, on the head and on every backend, so the disk holds one sample at a time.
  local name
  for name in head backend1 backend2; do
    socket="$spider_dir/$name/mysqld.sock"
    sql -e "DROP DATABASE IF EXISTS \`$db\`"
  done
}

declare -A wall load
reference_checksum=""
for ((round = 1; round <= rounds; round++)); do
  for ((i = 0; i < ${#modes[@]}; i++)); do
    mode=${modes[$(((i + round - 1) % ${#modes[@]}))]}
    sample "$mode" "$round"
    log "round $round $mode: run ${seconds} s, load ${load_seconds} s"
    wall[$mode]+=" $seconds"
    load[$mode]+=" $load_seconds"
  done
done

echo "Spider load, $records readings, $rounds interleaved rounds, $(nproc) cores," \
  "load average at start $load_at_start; median (min..max)"
echo
echo "| mode | run wall s | load stage s | readings/s in load (median) |"
echo "|---|---|---|---|"
for mode in "${modes[@]}"; do
  read -r -a s <<<"$(stats "${load[$mode]}")"
  echo "| $mode | $(figure "${wall[$mode]}" 2) | $(figure "${load[$mode]}" 2) |" \
    "$(awk -v n="$records" -v t="${s[0]}" 'BEGIN { printf "%.0f", (t > 0 ? n / t : 0) }') |"
done
