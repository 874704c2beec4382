#!/usr/bin/env bash
# Without ../shared (a fresh clone, CI before scripts/fetch-shared.sh), the tests that read the
# reference data report themselves skipped with the way to get it: never failed, never passed.
#   shared_absent_skips.sh MIN_SKIPPED TEST_BINARY [GTEST_ARGS...]
# Runs the binary with METEO_SHARED_DIR pointing at an empty directory and checks that it exits 0,
# that nothing failed, and that at least MIN_SKIPPED tests were skipped for that reason.
set -euo pipefail

min_skipped=$1
binary=$2
shift 2

empty=$(mktemp -d)
trap 'rm -rf "$empty"' EXIT

status=0
METEO_SHARED_DIR=$empty "$binary" "$@" >"$empty/out" 2>&1 || status=$?
cat "$empty/out"
fail() {
  echo "FAIL: $(basename "$binary") without shared data: $*" >&2
  exit 1
}
[ "$status" -eq 0 ] || fail "exited $status"
! grep -q '^\[  FAILED  \]' "$empty/out" || fail "tests failed instead of skipping"
skipped=$(grep -c '^\[  SKIPPED \] [A-Za-z].* ([0-9]* ms)$' "$empty/out" || true)
reasons=$(grep -c "needs $empty/data/.*: run scripts/fetch-shared.sh" "$empty/out" || true)
[ "$skipped" -ge "$min_skipped" ] || fail "$skipped tests skipped, expected at least $min_skipped"
[ "$reasons" -ge "$skipped" ] || fail "$reasons skip reasons for $skipped skipped tests"
echo "PASS: $skipped tests of $(basename "$binary") skipped, each naming the missing file"
