#!/usr/bin/env bash
# Old vs new meteo-etl, alternated on one server: did a change slow the 1M-reading path? Each
# round runs both binaries on the same input, old,new on odd rounds and new,old on even ones (ABBA,
# so that a drift of the machine or the server does not favour one side), and the verdict compares
# the median wall time of each binary over the rounds. Cases:
#   run       sensor `run --hour 2026-11-22T06` of N readings from one meteo-sensor-sim (seed 42,
#             the same bytes every GET);
#   backfill  Toulouse `backfill --from --to` of S stations x D days from one meteo-portal-sim.
# Per sample: a fresh database, `migrate` and `regions load` with that binary (untimed), then the
# timed command under /usr/bin/time -v: wall seconds, peak RSS, the stage gauges of its metrics
# file. The stored rows must be N (run); the checksum of region_hourly_temperature (and of
# station_hourly_weather for backfill), without updated_at, must be the same in every sample of
# both binaries: any difference stops the script with an error.
#
#   bench/ab.sh (--old REV | --old-build-dir DIR) (--new REV | --new-build-dir DIR)
#               [--rounds 5] [--records 1000000] [--buffer-pool 6G] [--cases "run backfill"]
#               [--stations 45] [--days 30] [--out build-ab/ab-results.md] [--smoke] [--keep-work]
#
# A REV is exported (git archive) into build-ab/<sha>/src and built Release there (meteo-etl
# only; the simulators from --new), so uncommitted edits never end up in a measurement. A build
# dir is used as it is (ctest passes build/ for both sides). --rounds below 5 is refused: a ratio
# is the median of at least 5 interleaved samples. --smoke lifts that rule for a check of the
# script itself (defaults: 2 rounds, 2000 readings, 2 stations x 2 days, a 256M buffer pool) and
# marks the output "not a measurement".
#
# Verdict per case, on new/old of the median wall times: <= 1.02 pass; 1.02-1.05 rerun with
# --rounds 9; above, look at the per-stage medians for the stage that moved. Run it on an idle
# machine (check `uptime`). The exit status is 0 when every sample ran and agreed, whatever the
# verdict; nonzero when a sample failed or the binaries stored different rows.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"

old_rev=""
new_rev=""
old_dir=""
new_dir=""
rounds=""
records=""
buffer_pool=""
stations=""
days=""
cases="run backfill"
out="$repo/build-ab/ab-results.md"
smoke=false
keep_work=false
while [[ $# -gt 0 ]]; do
  case $1 in
    --old) old_rev=${2:?}; shift 2 ;;
    --new) new_rev=${2:?}; shift 2 ;;
    --old-build-dir) old_dir=${2:?}; shift 2 ;;
    --new-build-dir) new_dir=${2:?}; shift 2 ;;
    --rounds) rounds=${2:?}; shift 2 ;;
    --records) records=${2:?}; shift 2 ;;
    --buffer-pool) buffer_pool=${2:?}; shift 2 ;;
    --cases) cases=${2:?}; shift 2 ;;
    --stations) stations=${2:?}; shift 2 ;;
    --days) days=${2:?}; shift 2 ;;
    --out) out=${2:?}; shift 2 ;;
    --smoke) smoke=true; shift ;;
    --keep-work) keep_work=true; shift ;;
    -h | --help) usage ;;
    *) echo "ab.sh: unknown option $1" >&2; usage ;;
  esac
done
# Options given win over the smoke defaults.
if $smoke; then
  : "${rounds:=2}" "${records:=2000}" "${stations:=2}" "${days:=2}" "${buffer_pool:=256M}"
else
  # A 1M-reading run and its indexes fit in 6G: the server is sized to its data (docs/benchmarks.md).
  : "${rounds:=5}" "${records:=1000000}" "${stations:=45}" "${days:=30}" "${buffer_pool:=6G}"
fi
for n in "$rounds" "$records" "$stations" "$days"; do
  [[ $n =~ ^[1-9][0-9]*$ ]] || { echo "ab.sh: not a positive integer: $n" >&2; exit 64; }
done
if ((rounds < 5)) && ! $smoke; then
  echo "ab.sh: --rounds $rounds: a ratio is the median of at least 5 interleaved samples" \
    "(--smoke checks the script with fewer, and is not a measurement)" >&2
  exit 64
fi
for side in old new; do
  rev_var=${side}_rev dir_var=${side}_dir
  if [[ -z ${!rev_var}${!dir_var} || (-n ${!rev_var} && -n ${!dir_var}) ]]; then
    echo "ab.sh: give either --$side REV or --$side-build-dir DIR" >&2
    exit 64
  fi
done
read -r -a case_list <<<"$cases"
[[ ${#case_list[@]} -gt 0 ]] || { echo "ab.sh: --cases is empty" >&2; exit 64; }
for c in "${case_list[@]}"; do
  [[ $c =~ ^(run|backfill)$ ]] || { echo "ab.sh: unknown case $c" >&2; exit 64; }
done

require_tools /usr/bin/time python3 mariadb md5sum
[[ -z $old_rev$new_rev ]] || require_tools git rsync

# ---- Build -----------------------------------------------------------------------------------------

declare -A build_of label_of sha_of
# resolve_side SIDE REV DIR: the build dir of one side, and the commit to build there if any.
resolve_side() {
  local side=$1 rev=$2 dir=$3
  if [[ -n $dir ]]; then
    [[ -d $dir ]] || die "--$side-build-dir $dir is not a directory"
    build_of[$side]=$(cd "$dir" && pwd)
    label_of[$side]="build dir ${build_of[$side]}"
    return
  fi
  # Resolved once: a branch may move while the benchmark runs.
  sha_of[$side]=$(git -C "$repo" rev-parse --verify --quiet --short=12 "$rev^{commit}") ||
    die "--$side $rev is not a commit"
  label_of[$side]="$rev = ${sha_of[$side]} (clean export)"
  build_of[$side]="$repo/build-ab/${sha_of[$side]}/build"
}
resolve_side old "$old_rev" "$old_dir"
resolve_side new "$new_rev" "$new_dir"
# The simulators come from the new side only, so both binaries face the same simulator.
if [[ -n ${sha_of[new]:-} ]]; then
  export_commit "${sha_of[new]}" "$repo/build-ab/${sha_of[new]}/src"
  build_release "$repo/build-ab/${sha_of[new]}/src" "${build_of[new]}" \
    meteo-etl meteo-sensor-sim meteo-portal-sim
fi
# The same commit on both sides (the noise floor) is built once.
if [[ -n ${sha_of[old]:-} && ${sha_of[old]} != "${sha_of[new]:-}" ]]; then
  export_commit "${sha_of[old]}" "$repo/build-ab/${sha_of[old]}/src"
  build_release "$repo/build-ab/${sha_of[old]}/src" "${build_of[old]}" meteo-etl
fi
sensor_sim="${build_of[new]}/meteo-sensor-sim"
portal_sim="${build_of[new]}/meteo-portal-sim"
for b in "${build_of[old]}/meteo-etl" "${build_of[new]}/meteo-etl" "$sensor_sim" "$portal_sim"; do
  [[ -x $b ]] || die "$b is not built"
done

# ---- Samples ---------------------------------------------------------------------------------------

# Beside the report: a build dir given may be someone else's, and stays as it is.
mkdir -p "$(dirname "$out")"
start_server "$(cd "$(dirname "$out")" && pwd)" ab-work "$buffer_pool"

hour="2026-11-22T06"
declare -A walls rsses stage_runs stage_names sample_rows reference
# The tables a case's checksum covers: what the tool computes from what it stored.
declare -A checked_tables=([run]="region_hourly_temperature"
  [backfill]="region_hourly_temperature station_hourly_weather")

# table_checksum DATABASE TABLE: md5 of its rows without updated_at, in key order.
table_checksum() {
  local columns
  columns=$(sql -e "SELECT GROUP_CONCAT(CONCAT('\`', column_name, '\`') ORDER BY ordinal_position)
    FROM information_schema.columns
    WHERE table_schema = '$1' AND table_name = '$2' AND column_name <> 'updated_at'")
  [[ -n $columns && $columns != NULL ]] || die "no table $1.$2"
  sql -e "SELECT $columns FROM \`$1\`.\`$2\` ORDER BY 1, 2, 3" | md5sum | cut -c1-32
}

# sample CASE ROUND SIDE: one timed run of SIDE's binary into a fresh database.
sample() {
  local case=$1 round=$2 side=$3
  local name="$case-$round-$side" db="ab_$case"
  local config="$work/$name.toml" prom="$work/$name.prom"
  bin="${build_of[$side]}/meteo-etl"
  sql -e "DROP DATABASE IF EXISTS \`$db\`"
  rm -rf "$work/archive"
  local rows
  if [[ $case == run ]]; then
    write_sensor_config "$config" "$db" "$work/archive" "$sim_url"  # metrics in $prom
    prepare_database "$config" fr-regions
    measure "$name" "$bin" --config "$config" run --hour "$hour" --source sensors
    rows=$(sql -e "SELECT COUNT(*) FROM \`$db\`.sensor_readings")
    [[ $rows -eq $records ]] || die "$name stored $rows readings, not $records"
  else
    write_stations_config "$config" "$db" "$work/archive" "$prom"
    prepare_database "$config" toulouse-communes
    measure "$name" "$bin" --config "$config" backfill --from "${portal_from%:00:00Z}" \
      --to "${portal_now%:00:00Z}" --source toulouse-stations
    rows=$(sql -e "SELECT COUNT(*) FROM \`$db\`.weather_observations")
    local datasets
    datasets=$(sql -e "SELECT COUNT(DISTINCT dataset_id) FROM \`$db\`.weather_observations")
    [[ $datasets -eq $stations ]] || die "$name stored observations of $datasets stations, not $stations"
  fi
  local sums="" table
  for table in ${checked_tables[$case]}; do
    sums+="${sums:+ }$(table_checksum "$db" "$table")"
  done
  # Every sample of both binaries must store the same rows as the first one.
  local fingerprint="$rows rows, $sums"
  : "${reference[$case]:=$fingerprint}"
  [[ $fingerprint == "${reference[$case]}" ]] ||
    die "$name stored other rows than the first $case sample: $fingerprint against" \
      "${reference[$case]} (${checked_tables[$case]}; --keep-work keeps its database)"

  walls[$case,$side]+=" $seconds"
  rsses[$case,$side]+=" $rss_mb"
  local stage value stages_text=""
  if [[ -s $prom ]]; then
    while read -r stage value; do
      [[ " ${stage_names[$case]:-} " == *" $stage "* ]] || stage_names[$case]+=" $stage"
      stage_runs[$case,$side,$stage]+=" $value"
      stage_runs[$case,$round,$side,$stage]=$value
    done < <(stage_values "$prom")
    stages_text=$(stage_seconds "$prom")
  fi
  sample_rows[$case]+="$round $side $seconds $rss_mb $rows"$'\n'
  log "$case round $round $side: $seconds s, peak RSS $rss_mb MB${stages_text:+, stages (s): $stages_text}"
  sql -e "DROP DATABASE \`$db\`"
  rm -rf "$work/archive"
}

for case in "${case_list[@]}"; do
  if [[ $case == run ]]; then
    log "run: $records readings, $rounds rounds"
    start_sensor_sim "$records" 42
  else
    log "backfill: $stations stations x $days days, $rounds rounds"
    start_portal_sim "$stations" "$days"
  fi
  for ((round = 1; round <= rounds; round++)); do
    for side in $(pair_order "$round" old new); do sample "$case" "$round" "$side"; done
  done
  stop_sim
done

# ---- Report ----------------------------------------------------------------------------------------

# Three decimals: the verdict's thresholds are 1.02 and 1.05.
ratio3() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.3f", a / b; else printf "-" }'; }

# report_case CASE: every sample, the medians, the ratio and the verdict.
report_case() {
  local case=$1 stage side
  local -a stages
  read -r -a stages <<<"${stage_names[$case]:-}"
  echo
  if [[ $case == run ]]; then
    echo "## run: sensor \`run\` of $records readings, $rounds rounds"
  else
    echo "## backfill: Toulouse \`backfill\` of $stations stations x $days days, $rounds rounds"
  fi
  echo
  echo "Samples in the order they ran (wall s, peak RSS MB, stage gauges s):"
  echo
  local header="| round | binary | wall s | peak RSS MB | rows |" rule="|---:|---|---:|---:|---:|"
  for stage in "${stages[@]}"; do header+=" $stage |"; rule+="---:|"; done
  echo "$header"
  echo "$rule"
  local round wall rss rows line
  while read -r round side wall rss rows; do
    line="| $round | $side | $wall | $rss | $rows |"
    for stage in "${stages[@]}"; do
      line+=" $(awk -v s="${stage_runs[$case,$round,$side,$stage]:--}" \
        'BEGIN { if (s == "-") printf "-"; else printf "%.3f", s }') |"
    done
    echo "$line"
  done <<<"${sample_rows[$case]%$'\n'}"
  echo
  echo "| binary | median wall s | wall min-max | median peak RSS MB | RSS min-max |"
  echo "|---|---:|---|---:|---|"
  local -A median
  local wall_stats rss_stats
  for side in old new; do
    read -r -a wall_stats <<<"$(stats "${walls[$case,$side]}")"
    read -r -a rss_stats <<<"$(stats "${rsses[$case,$side]}" 1)"
    median[$side]=${wall_stats[0]}
    echo "| $side: ${label_of[$side]} | ${wall_stats[0]} | ${wall_stats[1]}-${wall_stats[2]} |" \
      "${rss_stats[0]} | ${rss_stats[1]}-${rss_stats[2]} |"
  done
  local r moved="" most=""
  r=$(ratio3 "${median[new]}" "${median[old]}")
  if [[ ${#stages[@]} -eq 0 ]]; then
    echo
    echo "Stage gauges: none written by this command."
  else
    echo
    echo "| stage | old median s | new median s | new/old |"
    echo "|---|---:|---:|---:|"
    local -a old_stats new_stats
    for stage in "${stages[@]}"; do
      read -r -a old_stats <<<"$(stats "${stage_runs[$case,old,$stage]:-0}")"
      read -r -a new_stats <<<"$(stats "${stage_runs[$case,new,$stage]:-0}")"
      echo "| $stage | ${old_stats[0]} | ${new_stats[0]} | $(ratio3 "${new_stats[0]}" "${old_stats[0]}") |"
      # The stage that gained the most seconds, for the verdict "look at the stages".
      local gain
      gain=$(awk -v a="${new_stats[0]}" -v b="${old_stats[0]}" 'BEGIN { printf "%.3f", a - b }')
      if [[ -z $most ]] || above "$gain" "$most"; then most=$gain moved=$stage; fi
    done
  fi
  echo
  echo "new/old, median wall time: **$r**"
  echo
  echo "Rows and checksums (${checked_tables[$case]// /, } without updated_at, ORDER BY 1, 2, 3):" \
    "equal in all $((2 * rounds)) samples of both binaries: ${reference[$case]}."
  echo
  local verdict
  if at_most "$r" 1.02; then
    verdict="pass (new/old $r <= 1.02)"
  elif at_most "$r" 1.05; then
    verdict="unclear (new/old $r in 1.02-1.05): rerun with --rounds 9"
  else
    verdict="slower (new/old $r > 1.05): find the stage that moved${moved:+ (most seconds gained: $moved, +$most s)}"
  fi
  if $smoke; then
    echo "Verdict ($case): not a measurement (--smoke, $rounds rounds); the rule would read: $verdict"
  else
    echo "Verdict ($case): $verdict"
  fi
}

{
  echo "# meteo-etl A/B: old vs new, alternated (ABBA), median of $rounds rounds"
  echo
  if $smoke; then
    echo "**Smoke run of the script: not a measurement.**"
    echo
  fi
  echo "- old: ${label_of[old]}"
  echo "- new: ${label_of[new]}"
  echo "- simulators from the new side; one server for every sample; a fresh database per sample"
  for case in "${case_list[@]}"; do report_case "$case"; done
  echo
  echo "Machine:"
  describe_machine "$buffer_pool"
  describe_compiler "${build_of[new]}"
  for side in old new; do
    echo "- $side: $("${build_of[$side]}/meteo-etl" --version | head -n 1)," \
      "$(cache_value "${build_of[$side]}" CMAKE_BUILD_TYPE) build"
  done
  describe_date
} >"$work/report.md"
cp "$work/report.md" "$out"
cat "$work/report.md"
log "results written to $out"
