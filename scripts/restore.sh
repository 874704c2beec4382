#!/usr/bin/env bash
# Recreates the meteo-etl database (and the raw archive) from a directory written by backup.sh.
#
#   restore.sh BACKUP_DIR [--database NAME] [--archive DIR] [--force]
#              [--host HOST] [--port PORT] [--socket PATH] [--user USER] [--defaults-file FILE]
#
# 1. Checks MANIFEST.sha256 first: a corrupt or incomplete backup changes nothing.
# 2. Creates the database (default: the one named in backup.info) and loads the dump. A database
#    that exists and holds tables is refused unless --force, which drops it first.
# 3. With --archive DIR, unpacks archive.tar.gz there. A non-empty DIR is refused unless --force,
#    which moves it aside to DIR.replaced-<UTC time> (nothing is deleted).
# The dump's DEFINER clauses are dropped, so the restoring account owns the views and needs no
# SUPER/SET_USER privilege. The password never goes on a command line: $MYSQL_PWD or an option
# file, as for backup.sh. Exit codes: 0 done, 64 usage, 65 backup corrupt or incomplete,
# 69 server unreachable or load failed, 73 target exists (use --force), 74 archive not writable.
# Stop the cron job while restoring: a run in between would load into a half-restored database.
set -euo pipefail

usage() {
  sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 64
}

fail() {
  echo "restore.sh: $2" >&2
  exit "$1"
}

backup=""
database=""
archive=""
force=false
connection=()
defaults_file=""
while [[ $# -gt 0 ]]; do
  case $1 in
    --database) database=${2:?}; shift 2 ;;
    --archive) archive=${2:?}; shift 2 ;;
    --force) force=true; shift ;;
    --host) connection+=("--host=${2:?}"); shift 2 ;;
    --port) connection+=("--port=${2:?}"); shift 2 ;;
    --socket) connection+=("--socket=${2:?}"); shift 2 ;;
    --user) connection+=("--user=${2:?}"); shift 2 ;;
    --defaults-file) defaults_file=${2:?}; shift 2 ;;
    -h | --help) usage ;;
    -*) echo "restore.sh: unknown option $1" >&2; usage ;;
    *) [[ -z $backup ]] || usage; backup=$1; shift ;;
  esac
done
[[ -n $backup ]] || usage
[[ -d $backup ]] || fail 64 "$backup is not a directory"

[[ -s $backup/MANIFEST.sha256 ]] || fail 65 "$backup has no MANIFEST.sha256: not a complete backup"
(cd "$backup" && sha256sum --check --strict --quiet MANIFEST.sha256) ||
  fail 65 "$backup does not match its manifest: corrupt or altered, nothing restored"
for file in database.sql.gz backup.info; do
  grep -q " $file\$" "$backup/MANIFEST.sha256" || fail 65 "the manifest does not cover $file"
done

info() {
  sed -n "s/^$1=//p" "$backup/backup.info" | head -n 1
}
[[ -n $database ]] || database=$(info database)
[[ $database =~ ^[A-Za-z0-9_$-]+$ ]] || fail 64 "database name '$database' is not a plain identifier"
if [[ -n $archive && $(info archive) != yes ]]; then
  fail 64 "--archive given but $backup holds no archive"
fi

client=$(command -v mariadb || command -v mysql) || fail 69 "no mariadb or mysql client installed"
options=()
if [[ -n $defaults_file ]]; then
  [[ -r $defaults_file ]] || fail 64 "cannot read the option file $defaults_file"
  options+=("--defaults-extra-file=$defaults_file")
fi
options+=("${connection[@]}")

sql() {
  "$client" "${options[@]}" --batch --skip-column-names "$@"
}

tables=$(sql -e "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = '$database'") ||
  fail 69 "cannot reach the server (see the client's message above)"
if [[ $tables -gt 0 ]]; then
  $force || fail 73 "database '$database' exists and holds $tables table(s): use --force to replace it"
  sql -e "DROP DATABASE \`$database\`" || fail 69 "cannot drop database '$database'"
fi
sql -e "CREATE DATABASE IF NOT EXISTS \`$database\` CHARACTER SET utf8mb4" ||
  fail 69 "cannot create database '$database'"

# shellcheck disable=SC2016 # the backquotes are SQL's, not the shell's
if ! gzip -dc "$backup/database.sql.gz" | sed -e 's/DEFINER=`[^`]*`@`[^`]*`//g' |
  sql --default-character-set=utf8mb4 --database="$database"; then
  fail 69 "loading the dump into '$database' failed; the database is incomplete: restore again"
fi
echo "restore.sh: database '$database' restored from $backup"

if [[ -n $archive ]]; then
  parent=$(dirname "$archive")
  mkdir -p "$parent" || fail 74 "cannot create $parent"
  unpacked=$(mktemp -d "$parent/.restore.XXXXXX") || fail 74 "cannot write in $parent"
  trap 'rm -rf "$unpacked"' EXIT
  tar -C "$unpacked" -xzf "$backup/archive.tar.gz" || fail 74 "cannot unpack the archive"
  if [[ -e $archive ]] && [[ -n $(ls -A "$archive") ]]; then
    $force || fail 73 "archive directory $archive is not empty: use --force to move it aside"
    aside="$archive.replaced-$(date -u +%Y%m%dT%H%M%SZ)"
    mv "$archive" "$aside" || fail 74 "cannot move $archive aside"
    echo "restore.sh: the previous archive is in $aside"
  elif [[ -e $archive ]]; then
    rmdir "$archive" || fail 74 "cannot replace the empty directory $archive"
  fi
  mv "$unpacked" "$archive" || fail 74 "cannot move the unpacked archive to $archive"
  trap - EXIT
  echo "restore.sh: archive restored to $archive"
fi
