#!/usr/bin/env bash
# The micro-benchmarks (bench/micro): builds meteo_micro_bench in Release, starts a private
# MariaDB for the writer benchmarks (they migrate a scratch database of their own on it, as the
# integration tests do), runs every benchmark, then prints the ratio tables (Markdown): each
# figure the median (min..max) of its repetitions, each ratio the median of the per-pair ratios
# (bench/micro/ratio_table.py).
#
#   bench/micro.sh [--scale full|tiny] [--out REPORT.json] [--rows ROWS.md]
#                  [-- GOOGLE_BENCHMARK_FLAGS...]
#
# e.g. bench/micro.sh -- --benchmark_filter=BM_Match --benchmark_repetitions=7
# --rows: the ratio rows in bench/e2e.sh's 8 columns, for one combined table. Exits nonzero when
# a benchmark failed, or at full scale when a goal's verdict is ambiguous (the goal inside the
# spread of the pair ratios). The tiny scale is a check of the script, not a measurement.
# BUILD_DIR (default build-micro) is the Release build; the server lives in BUILD_DIR/bench-mariadb
# and is stopped on exit. With METEO_TEST_DB_HOST set, that external server is used instead.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${BUILD_DIR:-$repo/build-micro}
scale=full
report=
rows_args=()
flags=()
while (($#)); do
  case $1 in
    --scale) scale=$2; shift 2 ;;
    --out) report=$2; shift 2 ;;
    --rows) rows_args=(--rows "$2"); shift 2 ;;
    --) shift; flags=("$@"); break ;;
    *) echo "usage: $0 [--scale full|tiny] [--out REPORT.json] [--rows ROWS.md] [-- benchmark flags]" >&2
       exit 64 ;;
  esac
done
report=${report:-$build_dir/micro-bench-$scale.json}
# At full size: 2 s per measurement, 5 repetitions of each benchmark in a random interleaved
# order (a drift of the shared machine, or the writer's first batches on a cold buffer pool,
# then favours no benchmark), every repetition kept in the report: ratio_table.py pairs the i-th
# repetition of a component with its baseline's. Flags after -- come later and win.
if [[ $scale == tiny ]]; then
  defaults=(--benchmark_min_time=0.01 --benchmark_repetitions=2
    --benchmark_enable_random_interleaving=true)
else
  defaults=(--benchmark_min_time=2 --benchmark_repetitions=5
    --benchmark_enable_random_interleaving=true)
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
tables=0
python3 "$repo/bench/micro/ratio_table.py" "$report" "${rows_args[@]}" || tables=$?
((status != 0)) || status=$tables
exit "$status"
