#!/usr/bin/env bash
# Three private MariaDB servers on loopback for the Spider drills: a head with the Spider storage
# engine (Debian's mariadb-plugin-spider) and two plain InnoDB backends it reaches over TCP.
#
#   spider.sh start DIR   start DIR/head, DIR/backend1 and DIR/backend2 (each one mariadb.sh
#                         server), load Spider on the head, declare the backends to it as the
#                         servers backend1 and backend2, and describe them in DIR/env
#   spider.sh stop DIR    stop the three servers, each by its own PID (mariadb.sh stop)
#
# DIR/env: METEO_TEST_DB_SOCKET/_PORT/_USER describe the head, as mariadb.sh's env does;
# METEO_SPIDER_BACKENDS names the backends, METEO_SPIDER_<NAME>_SOCKET/_PORT describe each one.
# The servers are always private: METEO_TEST_DB_HOST is ignored.
set -euo pipefail

usage() {
  echo "usage: $0 start DIR | stop DIR" >&2
  exit 64
}

[[ $# -eq 2 ]] || usage
command=$1
dir=$2
here=$(cd "$(dirname "$0")" && pwd)
backends=(backend1 backend2)
# The account the head signs in with on each backend: loopback only, for throw-away servers.
spider_user=spider
spider_password=spider-loopback

export PATH="$PATH:/usr/sbin:/sbin"

node() {
  env -u METEO_TEST_DB_HOST bash "$here/mariadb.sh" "$1" "$dir/$2"
}

# The value of KEY in a mariadb.sh env file.
env_value() {
  sed -n "s/^$2=//p" "$dir/$1/env"
}

client() {
  local node=$1
  shift
  mariadb --no-defaults --socket="$dir/$node/mysqld.sock" --user=root --batch --skip-column-names \
    "$@"
}

# The engine is loaded once with INSTALL SONAME: mysql.plugin keeps it across restarts. Debian's
# spider.cnf does the same with plugin-load-add, but mariadb.sh starts with --no-defaults.
load_spider() {
  local status
  status=$(client head -e "SELECT PLUGIN_STATUS FROM information_schema.PLUGINS
                           WHERE PLUGIN_NAME = 'SPIDER'")
  if [[ -z $status ]]; then
    client head -e "INSTALL SONAME 'ha_spider'"
    status=$(client head -e "SELECT PLUGIN_STATUS FROM information_schema.PLUGINS
                             WHERE PLUGIN_NAME = 'SPIDER'")
  fi
  if [[ $status != ACTIVE ]]; then
    echo "spider.sh: the Spider engine is not active on the head (${status:-absent});" \
      "is mariadb-plugin-spider installed?" >&2
    exit 1
  fi
}

# Spider reads and writes the backends' tables and creates nothing there itself, but the shard
# script (deploy/spider/shard.sh) creates their databases and tables through the same account.
grant_head() {
  local backend=$1
  client "$backend" -e "CREATE USER IF NOT EXISTS '$spider_user'@'127.0.0.1'
                          IDENTIFIED BY '$spider_password';
                        GRANT ALL PRIVILEGES ON *.* TO '$spider_user'@'127.0.0.1'"
}

declare_backend() {
  local backend=$1 port=$2
  client head -e "CREATE OR REPLACE SERVER $backend FOREIGN DATA WRAPPER mysql
                    OPTIONS (HOST '127.0.0.1', PORT $port, USER '$spider_user',
                             PASSWORD '$spider_password', DATABASE '')"
}

write_env() {
  {
    printf 'METEO_TEST_DB_SOCKET=%s\nMETEO_TEST_DB_PORT=%s\nMETEO_TEST_DB_USER=root\n' \
      "$dir/head/mysqld.sock" "$(env_value head METEO_TEST_DB_PORT)"
    printf 'METEO_SPIDER_BACKENDS=%s\n' "${backends[*]}"
    local backend upper
    for backend in "${backends[@]}"; do
      upper=${backend^^}
      printf 'METEO_SPIDER_%s_SOCKET=%s\nMETEO_SPIDER_%s_PORT=%s\n' \
        "$upper" "$dir/$backend/mysqld.sock" "$upper" "$(env_value "$backend" METEO_TEST_DB_PORT)"
    done
  } >"$dir/env.new"
  mv "$dir/env.new" "$dir/env"
}

start() {
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  local backend
  for backend in "${backends[@]}"; do
    node start "$backend"
    grant_head "$backend"
  done
  node start head
  load_spider
  for backend in "${backends[@]}"; do
    declare_backend "$backend" "$(env_value "$backend" METEO_TEST_DB_PORT)"
  done
  write_env
  echo "spider.sh: Spider head on $dir/head/mysqld.sock, backends ${backends[*]}"
}

stop() {
  [[ -d $dir ]] || {
    echo "spider.sh: nothing in $dir"
    exit 0
  }
  local status=0 name
  for name in head "${backends[@]}"; do
    [[ -d $dir/$name ]] && { node stop "$name" || status=1; }
  done
  rm -f "$dir/env"
  return "$status"
}

case $command in
  start) start ;;
  stop) stop ;;
  *) usage ;;
esac
