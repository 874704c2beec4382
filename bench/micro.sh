#!/usr/bin/env bash
# The micro-benchmarks (bench/micro): builds meteo_micro_bench in Release, starts a private
# MariaDB for the writer benchmarks (they migrate a scratch database of their own on it, as the
# integration tests do), runs every benchmark, then prints the ratio tables (Markdown).
#
#   bench/micro.sh [--scale full|tiny] [--out REPORT.json] [-- GOOGLE_BENCHMARK_FLAGS...]
#
# e.g. bench/micro.sh -- --benchmark_filter=BM_Match --benchmark_repetitions=5
# BUILD_DIR (default build-micro) is the Release build; the server lives in BUILD_DIR/bench-mariadb
# and is stopped on exit. With METEO_TEST_DB_HOST set, that external server is used instead.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${BUILD_DIR:-$repo/build-micro}
scale=full
report=
flags=()
while (($#)); do
  case $1 in
    --scale) scale=$2; shift 2 ;;
    --out) report=$2; shift 2 ;;
    --) shift; flags=("$@"); break ;;
    *) echo "usage: $0 [--scale full|tiny] [--out REPORT.json] [-- benchmark flags]" >&2; exit 64 ;;
  esac
done
report=${report:-$build_dir/micro-bench-$scale.json}
# At full size: 2 s per measurement and the median of 3, as the shared machine is noisy (the
# writer's first batches also meet a cold buffer pool). Flags after -- come later and win.
if [[ $scale == tiny ]]; then
  defaults=(--benchmark_min_time=0.01)
else
  defaults=(--benchmark_min_time=2 --benchmark_repetitions=3)
fi

cmake -S "$repo" -B "$build_dir" -DCMAKE_BUILD_TYPE=Release -DMETEO_BUILD_BENCHMARKS=ON >/dev/null
cmake --build "$build_dir" -j "${JOBS:-2}" --target meteo_micro_bench

db_dir=$build_dir/bench-mariadb
trap 'bash "$repo/tests/harness/mariadb.sh" stop "$db_dir" >/dev/null' EXIT
bash "$repo/tests/harness/mariadb.sh" start "$db_dir"

status=0
METEO_TEST_DB_DIR=$db_dir "$build_dir/bench/micro/meteo_micro_bench" --meteo_scale="$scale" \
  --benchmark_out="$report" --benchmark_out_format=json "${defaults[@]}" "${flags[@]}" || status=$?
echo
echo "Report: $report"
echo
python3 "$repo/bench/micro/ratio_table.py" "$report"
exit "$status"
