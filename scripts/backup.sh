#!/usr/bin/env bash
# A consistent backup of the meteo-etl database and, optionally, of its raw archive directory.
#
#   backup.sh --out DIR [--archive DIR] [--database NAME]
#             [--host HOST] [--port PORT] [--socket PATH] [--user USER] [--defaults-file FILE]
#
# Writes DIR/meteo-backup-<UTC time>/ holding
#   database.sql.gz   mariadb-dump/mysqldump --single-transaction: one snapshot of every table,
#                     views, routines and triggers, taken without locking the hourly job out
#   archive.tar.gz    the raw archive directory (when --archive is given), taken after the dump,
#                     so it holds at least every payload the dumped ledger refers to
#   backup.info       database, time, server and schema version
#   MANIFEST.sha256   sha256sum of the three, checked by restore.sh before it touches anything
# The directory is written under a .partial name and renamed when complete: a backup that died
# half way never looks like a backup.
#
# The password never goes on a command line: the client reads $MYSQL_PWD, or give an option file
# (--defaults-file, mode 0600, with a [client] password = ... line). Connection defaults come from
# the options, else $MYSQL_HOST / $MYSQL_TCP_PORT / $MYSQL_UNIX_PORT / $MYSQL_USER as the client
# itself reads them, else its own defaults. The database defaults to $METEO_DB_NAME, else "meteo".
# Exit codes: 0 done, 64 usage, 69 server unreachable or dump failed, 74 output not writable.
set -euo pipefail
umask 077  # the dump holds every reading: readable by its owner only

usage() {
  sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 64
}

fail() {
  echo "backup.sh: $2" >&2
  exit "$1"
}

out=""
archive=""
database=${METEO_DB_NAME:-meteo}
connection=()
defaults_file=""
while [[ $# -gt 0 ]]; do
  case $1 in
    --out) out=${2:?}; shift 2 ;;
    --archive) archive=${2:?}; shift 2 ;;
    --database) database=${2:?}; shift 2 ;;
    --host) connection+=("--host=${2:?}"); shift 2 ;;
    --port) connection+=("--port=${2:?}"); shift 2 ;;
    --socket) connection+=("--socket=${2:?}"); shift 2 ;;
    --user) connection+=("--user=${2:?}"); shift 2 ;;
    --defaults-file) defaults_file=${2:?}; shift 2 ;;
    -h | --help) usage ;;
    *) echo "backup.sh: unknown option $1" >&2; usage ;;
  esac
done
[[ -n $out ]] || usage
[[ $database =~ ^[A-Za-z0-9_$-]+$ ]] || fail 64 "database name '$database' is not a plain identifier"
[[ -z $archive || -d $archive ]] || fail 64 "archive directory $archive does not exist"

# Debian names the clients mariadb*; MySQL's are mysql*.
client=$(command -v mariadb || command -v mysql) || fail 69 "no mariadb or mysql client installed"
dumper=$(command -v mariadb-dump || command -v mysqldump) || fail 69 "no mariadb-dump or mysqldump"

# An option file must come first on the client's command line.
options=()
if [[ -n $defaults_file ]]; then
  [[ -r $defaults_file ]] || fail 64 "cannot read the option file $defaults_file"
  options+=("--defaults-extra-file=$defaults_file")
fi
options+=("${connection[@]}")

query() {
  "$client" "${options[@]}" --batch --skip-column-names --database="$database" -e "$1"
}

server_version=$(query "SELECT VERSION()") ||
  fail 69 "cannot reach database '$database' (see the client's message above)"
schema_version=$(query "SELECT COALESCE(MAX(version), 0) FROM schema_migrations" 2>/dev/null ||
  echo 0)

stamp=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$out" || fail 74 "cannot create $out"
target="$out/meteo-backup-$stamp"
partial="$target.partial"
[[ ! -e $target ]] || fail 74 "$target already exists"
rm -rf "$partial"
mkdir "$partial" || fail 74 "cannot create $partial"
trap 'rm -rf "$partial"' EXIT

# --single-transaction: one consistent InnoDB snapshot, no table locks held against the job.
# --no-tablespaces: MySQL 8 would otherwise need the PROCESS privilege.
if ! "$dumper" "${options[@]}" --single-transaction --routines --triggers --events \
  --no-tablespaces --hex-blob --default-character-set=utf8mb4 --skip-dump-date "$database" |
  gzip -c >"$partial/database.sql.gz"; then
  fail 69 "dumping database '$database' failed"
fi

if [[ -n $archive ]]; then
  tar -C "$archive" -czf "$partial/archive.tar.gz" . || fail 74 "cannot archive $archive"
fi

{
  echo "database=$database"
  echo "created_at=$stamp"
  echo "server_version=$server_version"
  echo "schema_version=$schema_version"
  echo "archive=$([[ -n $archive ]] && echo yes || echo no)"
} >"$partial/backup.info"

(cd "$partial" && sha256sum -- *.gz backup.info >MANIFEST.sha256) ||
  fail 74 "cannot write the manifest in $partial"
mv "$partial" "$target" || fail 74 "cannot rename $partial to $target"
trap - EXIT
echo "$target"
