#!/usr/bin/env bash
# A private MariaDB server for the integration and end-to-end tests.
#
#   mariadb.sh start DIR   initialise DIR/data once, start the server (or reuse a running one) and
#                          describe it in DIR/env (METEO_TEST_DB_SOCKET, _PORT, _USER)
#   mariadb.sh start DIR TLS_DIR   the same, serving TLS with TLS_DIR/ca.pem, server-cert.pem and
#                          server-key.pem (see tls_certs.sh)
#   mariadb.sh stop DIR    stop the server started in DIR
#
# With METEO_TEST_DB_HOST set the tests use that external server and start does nothing.
# With METEO_TEST_DB_ENGINE=galera, start and stop run a 3-node Galera cluster in DIR instead
# (galera.sh), whose node1 the tests use unchanged. stop stops whichever runs in DIR.
set -euo pipefail

usage() {
  echo "usage: $0 start DIR [TLS_DIR] | stop DIR" >&2
  exit 64
}

[[ $# -eq 2 || ($# -eq 3 && $1 == start) ]] || usage
command=$1
dir=$2
tls_dir=${3:-}

# shellcheck source=tests/harness/mariadb_server.sh
source "$(dirname "${BASH_SOURCE[0]}")/mariadb_server.sh"

# Debian keeps the server in sbin, which a non-login PATH may lack.
export PATH="$PATH:/usr/sbin:/sbin"

pid_file="$dir/mysqld.pid"
socket="$dir/mysqld.sock"

server_pid() {
  [[ -s $pid_file ]] || return 1
  local pid
  pid=$(<"$pid_file")
  [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

client() {
  mariadb --no-defaults --socket="$socket" --user=root --batch --skip-column-names "$@"
}

ping_server() {
  mariadb-admin --no-defaults --socket="$socket" --user=root --connect-timeout=2 ping \
    >/dev/null 2>&1
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# A node of galera.sh's cluster alive in DIR.
cluster_running() {
  local node pid
  for node in 1 2 3; do
    [[ -s $dir/node$node/mysqld.pid ]] || continue
    pid=$(<"$dir/node$node/mysqld.pid")
    [[ $pid =~ ^[0-9]+$ ]] && alive "$pid" && return 0
  done
  return 1
}

galera() {
  bash "$(dirname "${BASH_SOURCE[0]}")/galera.sh" "$@"
}

initialise() {
  [[ -d $dir/data ]] && return 0
  install_data_dir "$dir/data" "$dir/install.log" mariadb.sh
}

launch() {
  local port=$1
  local as_root=()
  [[ $(id -u) -eq 0 ]] && as_root=(--user=root)
  local tls=()
  [[ -n $tls_dir ]] && tls=(--ssl-ca="$tls_dir/ca.pem" --ssl-cert="$tls_dir/server-cert.pem"
    --ssl-key="$tls_dir/server-key.pem")
  # The speed-ups trade durability on a crash for speed; none changes SQL semantics. The binary
  # log stays on, as on MySQL 8 by default and on any replicated server: with it, InnoDB takes
  # the share locks that can make concurrent loads wait or deadlock, and the tests must see them.
  # The server keeps its default character set (latin1): the schema must never rely on it.
  # METEO_MARIADB_BUFFER_POOL: benchmarks size the buffer pool to their data, as a server would.
  setsid mariadbd --no-defaults --datadir="$dir/data" --socket="$socket" --port="$port" \
    --bind-address=127.0.0.1 "${as_root[@]}" --pid-file="$pid_file" --log-error="$dir/error.log" \
    --log-bin="$dir/data/binlog" --binlog-format=ROW --server-id=1 --sync-binlog=0 \
    --binlog-expire-logs-seconds=86400 --skip-name-resolve \
    --innodb-buffer-pool-size="${METEO_MARIADB_BUFFER_POOL:-256M}" \
    --innodb-flush-log-at-trx-commit=2 --innodb-doublewrite=0 "${tls[@]}" \
    </dev/null >/dev/null 2>&1 &
}

wait_until_up() {
  local deadline=$((SECONDS + 60))
  until ping_server; do
    if ((SECONDS >= deadline)); then
      echo "mariadb.sh: the server did not answer within 60 s; $dir/error.log:" >&2
      cat "$dir/error.log" >&2 || true
      exit 1
    fi
    sleep 0.2
  done
}

# Anonymous accounts would shadow root@localhost for some clients: remove every one.
drop_anonymous_users() {
  local host
  while IFS= read -r host; do
    client -e "DROP USER ''@'${host//\'/\'\'}'"
  done < <(client -e "SELECT host FROM mysql.user WHERE user = ''")
}

write_env() {
  local port=$1
  printf 'METEO_TEST_DB_SOCKET=%s\nMETEO_TEST_DB_PORT=%s\nMETEO_TEST_DB_USER=root\n' \
    "$socket" "$port" >"$dir/env.new"
  mv "$dir/env.new" "$dir/env"
}

start() {
  if [[ -n ${METEO_TEST_DB_HOST:-} ]]; then
    echo "mariadb.sh: using the external server $METEO_TEST_DB_HOST"
    exit 0
  fi
  if [[ ${METEO_TEST_DB_ENGINE:-} == galera ]]; then
    if [[ -n $tls_dir ]]; then
      echo "mariadb.sh: the Galera cluster serves no TLS; unset METEO_TEST_DB_ENGINE" >&2
      exit 64
    fi
    galera start "$dir"  # it refuses when a single server runs in DIR
    exit 0
  fi
  if cluster_running; then
    echo "mariadb.sh: a Galera cluster runs in $dir; stop it first or set" \
      "METEO_TEST_DB_ENGINE=galera to use it" >&2
    exit 1
  fi
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  pid_file="$dir/mysqld.pid"
  socket="$dir/mysqld.sock"
  if server_pid >/dev/null && ping_server && [[ -s $dir/env ]]; then
    echo "mariadb.sh: reusing the server running in $dir"
    exit 0
  fi
  initialise
  local port
  port=$(free_port)
  launch "$port"
  wait_until_up
  drop_anonymous_users
  write_env "$port"
  echo "mariadb.sh: MariaDB on $socket and 127.0.0.1:$port (pid $(server_pid))"
}

stop() {
  local pid
  if cluster_running; then
    galera stop "$dir"
    server_pid >/dev/null || exit 0
  fi
  if ! pid=$(server_pid); then
    echo "mariadb.sh: no server running in $dir"
    exit 0
  fi
  stop_server "$pid" "mariadb.sh: server $pid"
  rm -f "$dir/env"
  echo "mariadb.sh: stopped server $pid"
}

case $command in
  start) start ;;
  stop) stop ;;
  *) usage ;;
esac
