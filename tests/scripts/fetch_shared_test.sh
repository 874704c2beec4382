#!/usr/bin/env bash
# scripts/fetch-shared.sh against a loopback mirror of the reference copies (python3's
# http.server), never the real origins: a complete fetch gives byte-identical files, a second call
# needs no network, and a corrupted download is refused and named.
# Exits 77 (skipped) when the reference copies themselves are absent.
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
reference=${METEO_SHARED_DIR:-$repo/../shared}/data
sums=$repo/scripts/shared-files.sha256
if [ ! -d "$reference" ]; then
  echo "SKIPPED: needs the reference copies in $reference: run scripts/fetch-shared.sh"
  exit 77
fi

work=$(mktemp -d)
server_pid=""
cleanup() {
  [ -z "$server_pid" ] || kill "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# A mirror laid out like shared/data: links to the reference copies, except what a case replaces.
mkdir -p "$work/mirror"
while read -r _ path; do
  mkdir -p "$work/mirror/$(dirname "$path")"
  ln -s "$reference/$path" "$work/mirror/$path"
done <"$sums"

python3 -u -m http.server 0 --bind 127.0.0.1 --directory "$work/mirror" >"$work/server.log" 2>&1 &
server_pid=$!
port=""
for _ in $(seq 100); do
  port=$(sed -n 's/.* port \([0-9]*\).*/\1/p' "$work/server.log" | head -n1)
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || fail "the mirror did not start: $(cat "$work/server.log")"
mirror=http://127.0.0.1:$port

fetch() {  # fetch DEST MIRROR: the script's exit code, its output in $work/out
  local status=0
  METEO_SHARED_MIRROR=$2 bash "$repo/scripts/fetch-shared.sh" "$1" >"$work/out" 2>&1 || status=$?
  return "$status"
}

echo "case: a complete fetch into an empty directory"
fetch "$work/dest" "$mirror" || fail "fetch exited non-zero: $(cat "$work/out")"
count=0
while read -r _ path; do
  cmp -s "$reference/$path" "$work/dest/data/$path" || fail "$path differs from the reference copy"
  count=$((count + 1))
done <"$sums"
[ "$count" -ge 8 ] || fail "only $count files listed in $sums"
(cd "$work/dest/data" && sha256sum -c --quiet "$sums") || fail "sums of the fetched tree"
[ -z "$(find "$work/dest/data" -name '.fetch-shared.*')" ] || fail "staging directory left behind"

echo "case: a second call keeps what is in place and needs no network"
fetch "$work/dest" "http://127.0.0.1:9" || fail "second call went to the network: $(cat "$work/out")"
grep -q "geo/regions.geojson: present" "$work/out" || fail "not reported present: $(cat "$work/out")"

echo "case: a corrupted download is refused and named"
rm "$work/mirror/geo/regions.geojson"
{ head -c 1000 "$reference/geo/regions.geojson"; printf 'X'; tail -c +1002 "$reference/geo/regions.geojson"; } \
  >"$work/mirror/geo/regions.geojson"
cmp -s "$reference/geo/regions.geojson" "$work/mirror/geo/regions.geojson" && fail "corruption"
status=0
fetch "$work/corrupt" "$mirror" || status=$?
[ "$status" -ne 0 ] || fail "a corrupted file was accepted: $(cat "$work/out")"
grep -q "geo/regions.geojson: SHA-256 mismatch" "$work/out" || fail "not named: $(cat "$work/out")"
[ ! -e "$work/corrupt/data/geo/regions.geojson" ] || fail "the corrupted file was left in DEST"
cmp -s "$reference/geo/departements.geojson" "$work/corrupt/data/geo/departements.geojson" ||
  fail "the good files were not kept"

echo "case: a damaged file in place is fetched again"
printf 'damaged' >"$work/dest/data/geo/departements.geojson"
fetch "$work/dest" "$mirror" || fail "refetch exited non-zero: $(cat "$work/out")"
grep -q "geo/departements.geojson: damaged" "$work/out" || fail "not reported damaged: $(cat "$work/out")"
cmp -s "$reference/geo/departements.geojson" "$work/dest/data/geo/departements.geojson" ||
  fail "the damaged file was not replaced"

echo "case: an unreachable origin fails naming the file"
status=0
fetch "$work/offline" "http://127.0.0.1:9" || status=$?
[ "$status" -ne 0 ] || fail "an unreachable mirror gave exit 0"
grep -q "geo/regions.geojson: cannot fetch http://127.0.0.1:9/geo/regions.geojson" "$work/out" ||
  fail "the unreachable file is not named: $(cat "$work/out")"

echo "PASS: fetch-shared"
