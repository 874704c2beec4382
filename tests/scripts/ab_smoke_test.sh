#!/usr/bin/env bash
# bench/ab.sh --smoke with one build as both sides (no compiling): every case runs its rounds in
# ABBA order, every sample stores the same rows, the report carries each case's verdict marked
# "not a measurement". Fewer than 5 rounds without --smoke must be refused.
#   tests/scripts/ab_smoke_test.sh BUILD_DIR
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
build_dir=${1:?usage: ab_smoke_test.sh BUILD_DIR}
out="$build_dir/bench-ab-smoke.md"

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

status=0
bash "$repo/bench/ab.sh" --old-build-dir "$build_dir" --new-build-dir "$build_dir" --rounds 3 \
  --out "$build_dir/bench-ab-refused.md" 2>/dev/null || status=$?
[[ $status -eq 64 ]] || fail "--rounds 3 without --smoke exited $status, not 64 (refused)"

rm -f "$out"
bash "$repo/bench/ab.sh" --smoke --old-build-dir "$build_dir" --new-build-dir "$build_dir" \
  --out "$out" || fail "ab.sh --smoke exited $?"
[[ -s $out ]] || fail "no report in $out"

grep -q '^\*\*Smoke run of the script: not a measurement.\*\*$' "$out" || fail "no smoke mark"
for case in run backfill; do
  grep -q "^Verdict ($case): not a measurement (--smoke, 2 rounds); the rule would read: " "$out" ||
    fail "no verdict line for $case"
  # The samples of this case, in the order they ran: old,new then new,old.
  order=$(sed -n "/^## $case:/,/^## /p" "$out" | sed -n 's/^| \([12]\) | \(old\|new\) | .*/\1 \2/p' |
    tr '\n' ' ')
  [[ $order == "1 old 1 new 2 new 2 old " ]] || fail "$case samples ran as: $order"
done
[[ $(grep -c '^Rows and checksums (.*): equal in all 4 samples of both binaries: [1-9][0-9]* rows, [0-9a-f]\{32\}' "$out") -eq 2 ]] ||
  fail "not one line of equal checksums per case"
echo "ab.sh --smoke: report $out checked"
