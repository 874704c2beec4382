#!/usr/bin/env bash
# tests/harness/galera.sh end to end, in a directory of its own: the cluster starts with 3 synced
# nodes, a row written on node1 is read on node3, node2 killed (kill -9) misses a write and
# rejoins with it, a stopped cluster starts again from the node safe to bootstrap and keeps its
# rows, and stop leaves no node running. Prints its wall time.
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
galera="$repo/tests/harness/galera.sh"
dir=$(mktemp -d "${TMPDIR:-/tmp}/meteo-galera-test.XXXXXX")
started=$SECONDS
# Three servers: a small buffer pool each is plenty for a handful of rows.
export METEO_MARIADB_BUFFER_POOL=${METEO_MARIADB_BUFFER_POOL:-64M}

cleanup() {
  bash "$galera" stop "$dir" >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*" >&2
  bash "$galera" status "$dir" >&2 || true
  exit 1
}

on_node() {
  local node=$1
  shift
  mariadb --no-defaults --socket="$dir/node$node/mysqld.sock" --user=root --batch \
    --skip-column-names "$@"
}

env_value() { sed -n "s/^$1=//p" "$dir/env"; }

node_pids() { cat "$dir"/node{1,2,3}/mysqld.pid; }

bash "$galera" start "$dir" || fail "start exited $?"
[[ $(env_value METEO_TEST_DB_ENGINE) == galera ]] || fail "env names no galera engine"
[[ $(env_value METEO_TEST_DB_SOCKET) == "$dir/node1/mysqld.sock" ]] || fail "env is not node1's"
[[ $(env_value METEO_TEST_DB_NODE_SOCKETS | wc -w) -eq 3 ]] || fail "not 3 node sockets in env"
[[ $(env_value METEO_TEST_DB_NODE_PORTS | wc -w) -eq 3 ]] || fail "not 3 node ports in env"
for node in 1 2 3; do
  [[ $(on_node "$node" -e "SELECT @@wsrep_on") == 1 ]] || fail "wsrep is off on node$node"
  size=$(on_node "$node" -e "SHOW STATUS LIKE 'wsrep_cluster_size'" | cut -f2)
  [[ $size == 3 ]] || fail "node$node sees a cluster of $size"
done
[[ -z $(on_node 1 -e "SELECT host FROM mysql.user WHERE user = ''") ]] ||
  fail "anonymous users left"

on_node 1 -e "CREATE DATABASE harness; CREATE TABLE harness.t (id INT PRIMARY KEY);
  INSERT INTO harness.t VALUES (1)"
[[ $(on_node 3 -e "SELECT COUNT(*) FROM harness.t") == 1 ]] || fail "node3 lacks node1's row"

bash "$galera" kill-node "$dir" 2 || fail "kill-node exited $?"
on_node 1 -e "INSERT INTO harness.t VALUES (2)"
bash "$galera" start-node "$dir" 2 || fail "start-node exited $?"
[[ $(on_node 2 -e "SELECT GROUP_CONCAT(id ORDER BY id) FROM harness.t") == 1,2 ]] ||
  fail "node2 rejoined without the row written while it was down"

bash "$galera" start "$dir" | grep -q "reusing the cluster" || fail "a running cluster not reused"

pids=$(node_pids)
bash "$galera" stop "$dir" || fail "stop exited $?"
for pid in $pids; do  # a zombie is gone: whoever adopted the daemon may be slow to reap it
  [[ $(sed -n 's/.*) \(.\).*/\1/p' "/proc/$pid/stat" 2>/dev/null) =~ ^Z?$ ]] ||
    fail "node process $pid survived stop"
done
grep -q '^safe_to_bootstrap: 1' "$dir/node1/data/grastate.dat" || fail "node1 did not leave last"

bash "$galera" start "$dir" || fail "the restart of the stopped cluster exited $?"
[[ $(on_node 3 -e "SELECT COUNT(*) FROM harness.t") == 2 ]] || fail "rows lost over a restart"
bash "$galera" stop "$dir" >/dev/null

echo "galera.sh: start, replication, kill-node/start-node, stop and restart checked in" \
  "$((SECONDS - started)) s"
