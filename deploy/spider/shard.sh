#!/usr/bin/env bash
# Shards a migrated meteo-etl database across Spider backends.
#
#   shard.sh [CLIENT_OPTION...] DATABASE SERVER...
#
# CLIENT_OPTION: mariadb client options reaching the head as an administrator (--socket=...,
# --host=..., --port=..., --user=...; the password in $MYSQL_PWD). SERVER: servers declared on
# the head with CREATE SERVER ... FOREIGN DATA WRAPPER mysql (tests/harness/spider.sh declares
# backend1 and backend2); the script reaches each backend with the account declared there.
#
# For every sharded table: the same database and the table's DDL (SHOW CREATE TABLE on the head)
# are created on every backend as InnoDB tables, then the head's table becomes a Spider table
# partitioned by KEY across the servers, one partition per server, its rows (if any) moving to
# the backends. The readings and the observations are sharded; the ledger, the aggregates, the
# regions, the region sets, the rejects and the archive stay on the head. The view reading_regions
# stays on the head and reads through the Spider tables.
#
# One partition per server, so the balance is that of MariaDB's KEY hash modulo the server count,
# which for text ids is biased modulo 2: the sensor feed's UUIDs split 2:1 across 2 partitions
# (evenly across 3 or 17). Several partitions per server would even it out, but each Spider
# partition needs a remote table of its own (two partitions naming the same remote table each
# read all of it): not done here.
#
# Foreign keys are dropped from the sharded tables: Spider enforces none, and a reading's extra
# regions live on the backend of the reading, where nothing deletes a reading (the tool never does).
# Exit codes: 64 usage, 69 a server not declared on the head, 65 a table of another engine
# than InnoDB or Spider, 1 any SQL error (the client's message names the statement).
set -euo pipefail

usage() {
  echo "usage: $0 [CLIENT_OPTION...] DATABASE SERVER..." >&2
  exit 64
}

head_options=(--no-defaults)
while [[ $# -gt 0 && $1 == --* ]]; do
  head_options+=("$1")
  shift
done
[[ $# -ge 2 ]] || usage
database=$1
shift
servers=("$@")
[[ $database =~ ^[A-Za-z0-9_]+$ ]] || {
  echo "shard.sh: database name '$database' is not a plain identifier" >&2
  exit 64
}

# The shard key of each table. reading_extra_regions is sharded by its reading's key, not its
# whole primary key, so that a reading and its extra regions land on the same backend and a
# backend's readings are whole. The order matters: the tables are converted in this order.
tables=(reading_extra_regions sensor_readings weather_observations)
declare -A shard_key=(
  [sensor_readings]="source, reading_id"
  [reading_extra_regions]="source, reading_id"
  [weather_observations]="source, dataset_id, observed_at"
)

head_sql() {
  mariadb "${head_options[@]}" --batch --skip-column-names --raw "$@"
}

# Runs SQL on the backend SERVER with the host, port and account the head has for it.
backend_sql() {
  local server=$1
  shift
  local host port user password
  IFS=$'\t' read -r host port user password < <(head_sql -e \
    "SELECT Host, Port, Username, Password FROM mysql.servers WHERE Server_name = '$server'")
  MYSQL_PWD=$password mariadb --no-defaults --host="$host" --port="$port" --user="$user" \
    --batch --skip-column-names --raw "$@"
}

sql_string() {
  printf "'%s'" "${1//\'/\'\'}"
}

for server in "${servers[@]}"; do
  [[ $server =~ ^[A-Za-z0-9_]+$ ]] || usage
  if [[ -z $(head_sql -e "SELECT 1 FROM mysql.servers WHERE Server_name = '$server'") ]]; then
    echo "shard.sh: no server $server declared on the head (CREATE SERVER)" >&2
    exit 69
  fi
done

engine_of() {
  head_sql -e "SELECT ENGINE FROM information_schema.TABLES
               WHERE TABLE_SCHEMA = '$database' AND TABLE_NAME = '$1'"
}

# Every foreign key from or to a sharded table.
drop_foreign_keys() {
  local table constraint list
  list=$(printf "'%s'," "${tables[@]}")
  list=${list%,}
  while IFS=$'\t' read -r table constraint; do
    [[ -n $table ]] || continue
    echo "shard.sh: $database.$table: dropping foreign key $constraint"
    head_sql "$database" -e "ALTER TABLE \`$table\` DROP FOREIGN KEY \`$constraint\`"
  done < <(head_sql -e "SELECT TABLE_NAME, CONSTRAINT_NAME
                         FROM information_schema.REFERENTIAL_CONSTRAINTS
                         WHERE CONSTRAINT_SCHEMA = '$database'
                           AND (TABLE_NAME IN ($list) OR REFERENCED_TABLE_NAME IN ($list))")
}

create_on_backends() {
  local table=$1 ddl charset server
  # SHOW CREATE TABLE prints "name<TAB>DDL"; --raw keeps the DDL's newlines.
  ddl=$(head_sql "$database" -e "SHOW CREATE TABLE \`$table\`")
  ddl=${ddl#*$'\t'}
  charset=$(head_sql -e "SELECT DEFAULT_CHARACTER_SET_NAME FROM information_schema.SCHEMATA
                         WHERE SCHEMA_NAME = '$database'")
  for server in "${servers[@]}"; do
    backend_sql "$server" -e "CREATE DATABASE IF NOT EXISTS \`$database\` CHARACTER SET $charset"
    backend_sql "$server" "$database" -e "$ddl"
  done
}

to_spider() {
  local table=$1 partitions="" index=0 server comment
  for server in "${servers[@]}"; do
    index=$((index + 1))
    partitions+="${partitions:+, }PARTITION p$index COMMENT = $(sql_string "srv \"$server\"")"
  done
  comment="wrapper \"mysql\", database \"$database\", table \"$table\""
  head_sql "$database" -e "ALTER TABLE \`$table\` ENGINE = SPIDER COMMENT = $(sql_string "$comment")
    PARTITION BY KEY (${shard_key[$table]}) ($partitions)"
}

[[ -n $(head_sql -e "SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '$database'") ]] || {
  echo "shard.sh: no database $database on the head" >&2
  exit 64
}
drop_foreign_keys
for table in "${tables[@]}"; do
  engine=$(engine_of "$table")
  case $engine in
    InnoDB) ;;
    SPIDER)
      echo "shard.sh: $database.$table is already a Spider table"
      continue
      ;;
    "")
      echo "shard.sh: no table $database.$table on the head: is the database migrated?" >&2
      exit 64
      ;;
    *)
      echo "shard.sh: $database.$table is a $engine table, not InnoDB" >&2
      exit 65
      ;;
  esac
  create_on_backends "$table"
  to_spider "$table"
  echo "shard.sh: $database.$table sharded by KEY (${shard_key[$table]}) across ${servers[*]}"
done
