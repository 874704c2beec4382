# shellcheck shell=bash
# Sourced by mariadb.sh and galera.sh: what a private server and a cluster node have in common.

# A zombie counts as gone: whoever adopted the daemon may be slow to reap it.
alive() {
  local pid=$1 state
  kill -0 "$pid" 2>/dev/null || return 1
  state=$(sed -n 's/.*) \(.\).*/\1/p' "/proc/$pid/stat" 2>/dev/null || true)
  [[ $state != Z ]]
}

# install_data_dir DATADIR LOG WHO: the system tables, root without a password; on failure the
# log is printed and DATADIR removed, so the next start initialises again.
install_data_dir() {
  local data=$1 log=$2 who=$3
  local as_root=()
  [[ $(id -u) -eq 0 ]] && as_root=(--user=root)
  # A temporary directory of its own: two installs at once in /tmp can remove each other's
  # temporary tables ("Unknown table 'mysql.tmp_user_sys'"), as under ctest -j.
  local tmp
  tmp="$(dirname "$data")/install-tmp"
  mkdir -p "$tmp"
  if ! mariadb-install-db --no-defaults --datadir="$data" "${as_root[@]}" --tmpdir="$tmp" \
    --auth-root-authentication-method=normal --skip-test-db >"$log" 2>&1; then
    cat "$log" >&2
    rm -rf "$data"
    echo "$who: mariadb-install-db failed" >&2
    exit 1
  fi
}

# stop_server PID WHAT: SIGTERM, then SIGKILL when the server (named WHAT in the message) still
# runs after 60 s.
stop_server() {
  local pid=$1 what=$2
  kill "$pid"
  local deadline=$((SECONDS + 60))
  while alive "$pid"; do
    if ((SECONDS >= deadline)); then
      echo "$what still running after 60 s, killing it" >&2
      kill -9 "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.2
  done
}
