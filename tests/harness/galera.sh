#!/usr/bin/env bash
# A private 3-node MariaDB Galera cluster on loopback, for running the integration and end-to-end
# tests against a cluster (issue 23). mariadb.sh delegates here when METEO_TEST_DB_ENGINE=galera.
#
#   galera.sh start DIR         start the cluster in DIR/node1..3 (or reuse a running one; restart
#                               the missing nodes of a partial one) and describe it in DIR/env:
#                               node1's METEO_TEST_DB_SOCKET, _PORT, _USER (so every test works
#                               unchanged), METEO_TEST_DB_NODE_SOCKETS and _NODE_PORTS (node order)
#                               and METEO_TEST_DB_ENGINE=galera
#   galera.sh stop DIR          stop every node, node3 first, so node1 leaves last and may
#                               bootstrap the next start
#   galera.sh kill-node DIR K   kill -9 node K (K = 1, 2 or 3), as a crash would
#   galera.sh start-node DIR K  restart node K: it rejoins by IST or SST; waits until it is synced
#                               and the cluster has 3 nodes again
#   galera.sh status DIR        per node: pid, wsrep_local_state_comment, wsrep_cluster_size
#
# With METEO_TEST_DB_HOST set the tests use that external server and start does nothing.
set -euo pipefail

usage() {
  echo "usage: $0 start DIR | stop DIR | status DIR | kill-node DIR K | start-node DIR K" >&2
  exit 64
}

[[ $# -ge 2 ]] || usage
command=$1
dir=$2
node_arg=${3:-}
case $command in
  start | stop | status) [[ $# -eq 2 ]] || usage ;;
  kill-node | start-node) [[ $# -eq 3 && $node_arg =~ ^[123]$ ]] || usage ;;
  *) usage ;;
esac

# shellcheck source=tests/harness/mariadb_server.sh
source "$(dirname "${BASH_SOURCE[0]}")/mariadb_server.sh"

# Debian keeps the server in sbin, which a non-login PATH may lack.
export PATH="$PATH:/usr/sbin:/sbin"

nodes=(1 2 3)
launched_pid=
provider=/usr/lib/galera/libgalera_smm.so
# Absolute: the servers run in their data directories and find the SST script by PATH.
[[ $command != start ]] || mkdir -p "$dir"
[[ ! -d $dir ]] || dir=$(cd "$dir" && pwd)
# SQL, Galera (group communication), IST and SST ports of each node, one line per node:
# "K SQL GALERA IST SST". Chosen when the whole cluster starts; a restarted node keeps its own.
ports_file="$dir/ports"

node_dir() { echo "$dir/node$1"; }
socket_of() { echo "$dir/node$1/mysqld.sock"; }

node_pid() {
  local pid_file="$dir/node$1/mysqld.pid" pid
  [[ -s $pid_file ]] || return 1
  pid=$(<"$pid_file")
  [[ $pid =~ ^[0-9]+$ ]] && alive "$pid" && echo "$pid"
}

client() {
  local node=$1
  shift
  mariadb --no-defaults --socket="$(socket_of "$node")" --user=root --batch --skip-column-names \
    --connect-timeout=2 "$@"
}

ping_node() {
  mariadb-admin --no-defaults --socket="$(socket_of "$1")" --user=root --connect-timeout=2 ping \
    >/dev/null 2>&1
}

# One wsrep status variable of node K, empty when the node does not answer.
wsrep_status() {
  client "$1" -e "SHOW GLOBAL STATUS LIKE '$2'" 2>/dev/null | cut -f2 || true
}

port_of() {  # port_of K FIELD: FIELD 2 = SQL, 3 = Galera, 4 = IST, 5 = SST
  awk -v node="$1" -v field="$2" '$1 == node { print $field }' "$ports_file"
}

# 4 distinct free ports per node, held open together so that none is handed out twice.
choose_ports() {
  python3 -c '
import socket
held = []
for _ in range(12):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); held.append(s)
ports = [s.getsockname()[1] for s in held]
for k in range(3):
    print(k + 1, *ports[4 * k:4 * k + 4])
' >"$ports_file.new"
  mv "$ports_file.new" "$ports_file"
}

# Only the bootstrap node needs system tables: a joiner with an empty data directory receives
# node1's whole state by SST before it opens InnoDB, which is quicker than a second install.
initialise() {
  local node=$1 data="$dir/node$1/data"
  mkdir -p "$(node_dir "$node")"
  [[ -d $data ]] && return 0
  if [[ $node != 1 ]]; then
    mkdir -p "$data"
    return 0
  fi
  install_data_dir "$data" "$dir/node1/install.log" galera.sh
}

# State transfers (SST) copy a data directory with rsync. As root, rsync's daemon on the joiner
# runs as nobody, who cannot write the root-owned data directory, and the server puts its own
# directory (/usr/bin, where rsync is) first on the SST script's PATH. So, as root, the nodes
# use a custom SST method, rsync_as_root: Debian's rsync script with an rsync first on its PATH
# whose daemon keeps the server's user.
sst_method=rsync
sst_scripts() {
  [[ $(id -u) -eq 0 ]] || return 0
  sst_method=rsync_as_root
  local rsync
  rsync=$(command -v rsync) || {
    echo "galera.sh: rsync is missing (the SST method)" >&2
    exit 1
  }
  mkdir -p "$dir/bin"
  cat >"$dir/bin/rsync" <<EOF
#!/bin/sh
case " \$* " in
  *" --daemon "*) exec $rsync --dparam=uid=root --dparam=gid=root "\$@" ;;
esac
exec $rsync "\$@"
EOF
  cat >"$dir/bin/wsrep_sst_rsync_as_root" <<EOF
#!/bin/sh
PATH="$dir/bin:\$PATH" exec wsrep_sst_rsync "\$@"
EOF
  chmod +x "$dir/bin/rsync" "$dir/bin/wsrep_sst_rsync_as_root"
}

cluster_address() {
  local node addresses=()
  for node in "${nodes[@]}"; do addresses+=("127.0.0.1:$(port_of "$node" 3)"); done
  local IFS=,
  echo "gcomm://${addresses[*]}"
}

# launch K [--wsrep-new-cluster]
launch() {
  local node=$1
  shift
  local home
  home=$(node_dir "$node")
  local as_root=()
  [[ $(id -u) -eq 0 ]] && as_root=(--user=root)
  local sql galera ist sst
  sql=$(port_of "$node" 2)
  galera=$(port_of "$node" 3)
  ist=$(port_of "$node" 4)
  sst=$(port_of "$node" 5)
  # mariadb.sh's speed-ups (durability on a crash traded for speed; each node has two copies
  # elsewhere), its binary log and its buffer pool. Galera itself needs row events,
  # interleaved auto-increment locks and a provider; every address is on loopback, each port its
  # own. rsync SST needs no account on the donor.
  PATH="$dir/bin:$PATH" setsid mariadbd --no-defaults --datadir="$home/data" --socket="$home/mysqld.sock" \
    --port="$sql" --bind-address=127.0.0.1 "${as_root[@]}" --pid-file="$home/mysqld.pid" \
    --log-error="$home/error.log" \
    --log-bin="$home/data/binlog" --binlog-format=ROW --server-id=1 --sync-binlog=0 \
    --binlog-expire-logs-seconds=86400 --skip-name-resolve \
    --innodb-buffer-pool-size="${METEO_MARIADB_BUFFER_POOL:-256M}" \
    --innodb-flush-log-at-trx-commit=2 --innodb-doublewrite=0 \
    --innodb-autoinc-lock-mode=2 \
    --wsrep-on=ON --wsrep-provider="$provider" --wsrep-cluster-name=meteo_test \
    --wsrep-cluster-address="$(cluster_address)" --wsrep-node-name="node$node" \
    --wsrep-node-address="127.0.0.1:$galera" --wsrep-node-incoming-address="127.0.0.1:$sql" \
    --wsrep-provider-options="gmcast.listen_addr=tcp://127.0.0.1:$galera;ist.recv_addr=127.0.0.1:$ist;gcache.size=128M" \
    --wsrep-sst-method="$sst_method" --wsrep-sst-receive-address="127.0.0.1:$sst" "$@" \
    </dev/null >/dev/null 2>&1 &
  launched_pid=$!  # setsid execs (a background job leads no group): this is mariadbd
}

fail_with_logs() {
  echo "galera.sh: $1" >&2
  local node
  for node in "${nodes[@]}"; do
    [[ -f $dir/node$node/error.log ]] || continue
    echo "--- $dir/node$node/error.log (last 60 lines):" >&2
    tail -n 60 "$dir/node$node/error.log" >&2 || true
  done
  exit 1
}

# wait_until_synced K SIZE SECONDS PID: node K (process PID) answers, is ready and synced, and
# sees SIZE nodes.
wait_until_synced() {
  local node=$1 size=$2 deadline=$((SECONDS + $3)) pid=$4
  while true; do
    if ping_node "$node" && [[ $(wsrep_status "$node" wsrep_ready) == ON &&
      $(wsrep_status "$node" wsrep_local_state_comment) == Synced &&
      $(wsrep_status "$node" wsrep_cluster_size) == "$size" ]]; then
      return 0
    fi
    alive "$pid" || fail_with_logs "node$node exited while starting"
    ((SECONDS < deadline)) || fail_with_logs "node$node was not synced in a cluster of $size within $3 s"
    sleep 0.3
  done
}

running_nodes() {
  local node running=()
  for node in "${nodes[@]}"; do node_pid "$node" >/dev/null && running+=("$node"); done
  echo "${running[@]}"
}

# Galera lets only a node whose grastate.dat says safe_to_bootstrap: 1 (the last to leave a clean
# shutdown) start a new cluster. When none does (every node crashed), node1 bootstraps: this is
# test data, and losing the last transactions of a crash is acceptable here, not in production.
bootstrap_node() {
  local node
  for node in "${nodes[@]}"; do
    if grep -qs '^safe_to_bootstrap: *1' "$dir/node$node/data/grastate.dat"; then
      echo "$node"
      return 0
    fi
  done
  if [[ -f $dir/node1/data/grastate.dat ]]; then
    echo "galera.sh: no node is safe to bootstrap (a crash?); forcing node1" >&2
    sed -i 's/^safe_to_bootstrap:.*/safe_to_bootstrap: 1/' "$dir/node1/data/grastate.dat"
  fi
  echo 1
}

# Anonymous accounts would shadow root@localhost for some clients: remove every one. DROP USER
# replicates, so node1 suffices.
drop_anonymous_users() {
  local host
  while IFS= read -r host; do
    client 1 -e "DROP USER ''@'${host//\'/\'\'}'"
  done < <(client 1 -e "SELECT host FROM mysql.user WHERE user = ''")
}

write_env() {
  local node sockets=() ports=()
  for node in "${nodes[@]}"; do
    sockets+=("$(socket_of "$node")")
    ports+=("$(port_of "$node" 2)")
  done
  {
    printf 'METEO_TEST_DB_SOCKET=%s\nMETEO_TEST_DB_PORT=%s\nMETEO_TEST_DB_USER=root\n' \
      "$(socket_of 1)" "$(port_of 1 2)"
    printf 'METEO_TEST_DB_NODE_SOCKETS=%s\nMETEO_TEST_DB_NODE_PORTS=%s\n' "${sockets[*]}" "${ports[*]}"
    printf 'METEO_TEST_DB_ENGINE=galera\n'
  } >"$dir/env.new"
  mv "$dir/env.new" "$dir/env"
}

cluster_is_whole() {
  local node
  for node in "${nodes[@]}"; do
    [[ $(wsrep_status "$node" wsrep_cluster_size) == 3 &&
      $(wsrep_status "$node" wsrep_ready) == ON ]] || return 1
  done
}

start() {
  if [[ -n ${METEO_TEST_DB_HOST:-} ]]; then
    echo "galera.sh: using the external server $METEO_TEST_DB_HOST"
    exit 0
  fi
  if [[ -f $dir/mysqld.pid ]] && alive "$(<"$dir/mysqld.pid")" 2>/dev/null; then
    echo "galera.sh: a single server (mariadb.sh) runs in $dir; stop it first" >&2
    exit 1
  fi
  local running node
  running=$(running_nodes)
  if [[ $running == "1 2 3" ]] && cluster_is_whole && [[ -s $dir/env ]]; then
    echo "galera.sh: reusing the cluster running in $dir"
    exit 0
  fi
  rm -f "$dir/env"
  local first
  sst_scripts
  if [[ -z $running ]]; then
    choose_ports
    for node in "${nodes[@]}"; do initialise "$node"; done
    first=$(bootstrap_node)
    launch "$first" --wsrep-new-cluster
    wait_until_synced "$first" 1 60 "$launched_pid"
    running=$first
  fi
  # Joiners one at a time: a donor serves one SST at a time, and each waits for the last.
  local size
  size=$(wc -w <<<"$running")
  for node in "${nodes[@]}"; do
    [[ " $running " == *" $node "* ]] && continue
    initialise "$node"
    launch "$node"
    size=$((size + 1))
    wait_until_synced "$node" "$size" 180 "$launched_pid"
  done
  for node in "${nodes[@]}"; do wait_until_synced "$node" 3 60 "$(node_pid "$node")"; done
  drop_anonymous_users
  write_env
  echo "galera.sh: Galera cluster of 3 in $dir; node1 on $(socket_of 1) and" \
    "127.0.0.1:$(port_of 1 2) (pids $(for n in "${nodes[@]}"; do node_pid "$n"; done | xargs))"
}

# stop_node K: SIGTERM, then SIGKILL after 60 s, as mariadb.sh stops its server.
stop_node() {
  local node=$1 pid
  pid=$(node_pid "$node") || return 0
  stop_server "$pid" "galera.sh: node$node ($pid)"
  echo "galera.sh: stopped node$node ($pid)"
}

stop() {
  if [[ -z $(running_nodes) ]]; then
    echo "galera.sh: no cluster node running in $dir"
    rm -f "$dir/env"
    exit 0
  fi
  rm -f "$dir/env"
  # One at a time, node1 last: the last node to leave is the one safe to bootstrap.
  local node
  for node in 3 2 1; do stop_node "$node"; done
}

kill_node() {
  local node=$1 pid
  if ! pid=$(node_pid "$node"); then
    echo "galera.sh: node$node is not running"
    exit 0
  fi
  kill -9 "$pid"
  while alive "$pid"; do sleep 0.1; done
  echo "galera.sh: killed node$node ($pid)"
}

start_node() {
  local node=$1
  [[ -s $ports_file ]] || {
    echo "galera.sh: no cluster in $dir (start it first)" >&2
    exit 1
  }
  if node_pid "$node" >/dev/null; then
    echo "galera.sh: node$node is already running"
    exit 0
  fi
  local running
  running=$(running_nodes)
  if [[ -z $running ]]; then
    echo "galera.sh: no node of $dir is running, so node$node has no cluster to join;" \
      "use galera.sh start" >&2
    exit 1
  fi
  sst_scripts
  initialise "$node"
  launch "$node"
  wait_until_synced "$node" $(($(wc -w <<<"$running") + 1)) 180 "$launched_pid"
  echo "galera.sh: node$node rejoined (pid $(node_pid "$node"))"
}

status() {
  local node pid
  for node in "${nodes[@]}"; do
    if pid=$(node_pid "$node"); then
      printf 'node%s pid %s state %s cluster_size %s\n' "$node" "$pid" \
        "$(wsrep_status "$node" wsrep_local_state_comment)" \
        "$(wsrep_status "$node" wsrep_cluster_size)"
    else
      printf 'node%s down\n' "$node"
    fi
  done
}

case $command in
  start) start ;;
  stop) stop ;;
  status) status ;;
  kill-node) kill_node "$node_arg" ;;
  start-node) start_node "$node_arg" ;;
esac
