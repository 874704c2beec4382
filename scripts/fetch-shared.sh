#!/usr/bin/env bash
# Fetches the reference data the tests read (DEST/data/..., DEST defaulting to ../shared beside
# the repository) from the public origins named in each PROVENANCE.md, and accepts a file only
# when its SHA-256 matches scripts/shared-files.sha256 (the sums of the reference copies).
#   scripts/fetch-shared.sh [DEST]
# A file already in place with the right sum is kept, so a second call needs no network.
# METEO_SHARED_MIRROR=URL fetches URL/<path> instead of the origins (a tree laid out like
# DEST/data): the tests serve the reference copies from loopback that way.
# Exits 1 naming every file that could not be fetched or whose sum differs; such a file is not
# left in DEST.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
dest=${1:-$repo/../shared}
sums=$repo/scripts/shared-files.sha256
mirror=${METEO_SHARED_MIRROR:-}

# Where each file comes from (see DEST/data/*/PROVENANCE.md). Pinned commits where the
# provenance names one; france-geojson's is its master branch, held still by the sums.
origin_url() {
  local github=https://raw.githubusercontent.com geo=gregoiredavid/france-geojson/master
  case "$1" in
    geo/communes-31-haute-garonne.geojson)
      echo "$github/$geo/departements/31-haute-garonne/communes-31-haute-garonne.geojson" ;;
    geo/*) echo "$github/$geo/${1#geo/}" ;;
    laposte/singleGeoJson-11.json)
      echo "$github/raohammad/iote2epoc/a8b2c302b7801ff51564ef021bc4738bff2d3568/data/singleGeoJson-11.json" ;;
    toulouse/catalog-v1-search-q-meteo.json)
      echo "$github/clementbosc/toulouse-meteo-data/eacbcf03fa55132ac4f023cb3cff8b45c9220231/datasets.json" ;;
    toulouse/stations-meteo-en-place.exports.json)
      echo "$github/bollic/point/c1560e2d50810cb40c76ea70a3e3dea0e1c3c4cc/stations-meteo-en-place.json" ;;
    atmo/Mesure_72h_Region_Occitanie_Polluants_Principaux.csv)
      echo "$github/MegDie/occpollution/e303a2d530ef8cc6de0bf10c5df20dda0d9c2c27/Mesure_72h_Region_Occitanie_Polluants_Principaux.csv" ;;
    *) return 1 ;;
  esac
}

url_of() {
  if [ -n "$mirror" ]; then echo "${mirror%/}/$1"; else origin_url "$1"; fi
}

mkdir -p "$dest/data"
data=$(cd "$dest/data" && pwd)
# Downloads land in a staging tree inside DEST (same file system: the move into place is a
# rename), removed whatever happens.
staging=$(mktemp -d "$data/.fetch-shared.XXXXXX")
trap 'rm -rf "$staging"' EXIT

failed=()
fetched=()
while read -r sum path; do
  [ -n "$path" ] || continue
  if [ -f "$data/$path" ] && echo "$sum  $path" | (cd "$data" && sha256sum -c --status -); then
    echo "fetch-shared: $path: present"
    continue
  fi
  if [ -e "$data/$path" ]; then
    echo "fetch-shared: $path: damaged (SHA-256 differs): removed, fetching it again" >&2
    rm -f "$data/$path"
  fi
  if ! url=$(url_of "$path"); then
    echo "fetch-shared: $path: no origin known for it" >&2
    failed+=("$path")
    continue
  fi
  mkdir -p "$staging/$(dirname "$path")"
  if ! curl --fail --silent --show-error --location --retry 3 --connect-timeout 20 \
      -o "$staging/$path" "$url"; then
    echo "fetch-shared: $path: cannot fetch $url" >&2
    failed+=("$path")
    continue
  fi
  if ! echo "$sum  $path" | (cd "$staging" && sha256sum -c --strict --quiet -) >&2; then
    echo "fetch-shared: $path: SHA-256 mismatch for $url (expected $sum): refused" >&2
    failed+=("$path")
    continue
  fi
  mkdir -p "$data/$(dirname "$path")"
  chmod 0644 "$staging/$path"
  mv -f "$staging/$path" "$data/$path"
  fetched+=("$path")
  echo "fetch-shared: $path: fetched from $url"
done <"$sums"

if [ ${#failed[@]} -gt 0 ]; then
  echo "fetch-shared: ${#failed[@]} file(s) not in $data: ${failed[*]}" >&2
  exit 1
fi
echo "fetch-shared: $data complete (${#fetched[@]} fetched)"
