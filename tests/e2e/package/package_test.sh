#!/usr/bin/env bash
# The Debian package and `cmake --install`, end to end (ctest -L package): builds the .deb with
# cpack from the build tree, reads its control data (dpkg-deb), extracts it into a scratch root
# (dpkg -x runs no maintainer script), runs the installed binary and renders the installed man
# page, checks every installed file and the paths the units name, checks the logrotate snippet
# with logrotate itself, then installs with `cmake --install --strip --prefix` and checks that the
# units follow that prefix. Nothing is installed on the machine.
# Usage: package_test.sh BUILD_DIR VERSION
set -euo pipefail

build=$(cd "$1" && pwd)
version=$2
source_dir=$(cd "$(dirname "$0")/../../.." && pwd)
scratch=$build/package-test
rm -rf "$scratch"
mkdir -p "$scratch"

failures=0
checks=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}
# expect DESCRIPTION COMMAND...: one check, which fails when COMMAND does.
expect() {
  local description=$1
  shift
  checks=$((checks + 1))
  "$@" || fail "$description"
}
# expect_run DESCRIPTION LOG COMMAND...: one check, COMMAND's output kept in LOG and shown on failure.
expect_run() {
  local description=$1 log=$2
  shift 2
  checks=$((checks + 1))
  "$@" >"$log" 2>&1 || fail "$description: $(cat "$log")"
}
contains() { grep -q -e "$2" -- "$1"; }
lacks() { ! grep -q -e "$2" -- "$1"; }
all_under() { awk -v prefix="$1" 'index($0, prefix) != 1 { print "outside: " $0; bad = 1 } END { exit bad }' "$2"; }
is_stripped() { ! readelf -S "$1" | grep -q -e '\.debug_info' -e '\.symtab'; }
# The paths of a unit's Documentation= line that are files must exist under ROOT.
documentation_exists() {
  local root=$1 unit=$2 found=0 url
  for url in $(sed -n 's/^Documentation=//p' "$unit"); do
    case $url in
      man:meteo-etl\(1\)) [ -f "$root/usr/share/man/man1/meteo-etl.1.gz" ] || return 1 ;;
      man:*) return 1 ;;
      file:*) [ -f "$root${url#file:}" ] || return 1 ;;
      *) return 1 ;;
    esac
    found=$((found + 1))
  done
  [ "$found" -gt 0 ]
}

# --- cpack -G DEB, as the README says ----------------------------------------------------------
if ! (cd "$build" && cpack -G DEB -B "$scratch/out") >"$scratch/cpack.log" 2>&1; then
  cat "$scratch/cpack.log" >&2
  echo "FAIL: cpack -G DEB" >&2
  exit 1
fi
deb=$scratch/out/meteo-etl_${version}_$(dpkg --print-architecture).deb
if [ ! -f "$deb" ]; then
  ls "$scratch/out" >&2
  echo "FAIL: no $deb" >&2
  exit 1
fi

# --- control data ------------------------------------------------------------------------------
dpkg-deb -I "$deb" >"$scratch/info"
dpkg-deb -e "$deb" "$scratch/control"
expect "Package: meteo-etl" contains "$scratch/info" '^ Package: meteo-etl$'
expect "Version: $version" contains "$scratch/info" "^ Version: $version\$"
expect "a Maintainer" contains "$scratch/info" '^ Maintainer: .*<.*@.*>'
expect "a Section" contains "$scratch/info" '^ Section: utils$'
expect "a Description" contains "$scratch/info" '^ Description: .*weather'
# dpkg-shlibdeps computed the libraries' packages: Debian's, by their sonames.
for library in libc6 libcurl4 libgeos-c libmysqlcppconn; do
  expect "Depends names $library" contains "$scratch/info" "^ Depends: .*$library"
done
expect "Depends lets postinst create the user" contains "$scratch/info" '^ Depends: .*systemd | adduser'
expect "dpkg-deb -I lists conffiles" contains "$scratch/info" ' conffiles *$'
expect "dpkg-deb -I lists postinst" contains "$scratch/info" ' postinst .*#!/bin/sh'
expect "conffiles is the configuration" \
  diff <(echo /etc/meteo-etl/meteo-etl.toml) "$scratch/control/conffiles"
for script in postinst prerm postrm; do
  expect "$script is executable" test -x "$scratch/control/$script"
  expect "bash -n $script" bash -n "$scratch/control/$script"
  expect "sh -n $script" sh -n "$scratch/control/$script"
done
expect "postinst runs systemd-sysusers" contains "$scratch/control/postinst" 'systemd-sysusers meteo-etl.conf'
expect "postinst falls back to adduser" contains "$scratch/control/postinst" 'adduser --system'

# --- the files, extracted ----------------------------------------------------------------------
root=$scratch/root
dpkg -x "$deb" "$root"
doc=$root/usr/share/doc/meteo-etl
binary=$root/usr/bin/meteo-etl
expect_run "the binary runs: --version" "$scratch/version" "$binary" --version
expect "--version prints $version" contains "$scratch/version" "meteo-etl $version"
expect "the binary is stripped" is_stripped "$binary"
expect "the man page is gzipped" gzip -t "$root/usr/share/man/man1/meteo-etl.1.gz"
expect_run "man -l" "$scratch/man.txt" env MANWIDTH=80 man -l "$root/usr/share/man/man1/meteo-etl.1.gz"
expect "man -l renders the page" contains "$scratch/man.txt" 'meteo-etl'
expect "the page has a SYNOPSIS" contains "$scratch/man.txt" '^SYNOPSIS'
completion=$root/usr/share/bash-completion/completions/meteo-etl
expect "bash completion installed" test -s "$completion"
expect "bash -n on the completion" bash -n "$completion"

expected_files=(
  usr/lib/systemd/system/meteo-etl.service usr/lib/systemd/system/meteo-etl.timer
  usr/lib/systemd/system/meteo-etl-watch.service
  usr/lib/sysusers.d/meteo-etl.conf usr/lib/tmpfiles.d/meteo-etl.conf
  usr/share/doc/meteo-etl/README.md usr/share/doc/meteo-etl/deploy/README.md
  usr/share/doc/meteo-etl/examples/meteo-etl.cron usr/share/doc/meteo-etl/examples/meteo-etl.logrotate
)
for file in "$source_dir"/docs/*.md; do
  expected_files+=("usr/share/doc/meteo-etl/docs/${file##*/}")
done
for file in "$source_dir"/config/*.toml; do
  expected_files+=("usr/share/doc/meteo-etl/examples/${file##*/}")
done
while IFS= read -r file; do
  expected_files+=("usr/share/doc/meteo-etl/$file")
done < <(cd "$source_dir" && find sql -type f)
for file in "${expected_files[@]}"; do
  expect "installed: /$file" test -f "$root/$file"
done
expect "the conffile is the example configuration" \
  cmp "$source_dir/config/meteo-etl.example.toml" "$root/etc/meteo-etl/meteo-etl.toml"
# The timer is the scheduler: no cron.d or logrotate.d file, nothing else in /etc.
expect "nothing in /etc but the configuration" \
  diff <(echo etc/meteo-etl/meteo-etl.toml) <(cd "$root" && find etc -type f)

# --- the units and examples name where the package put things ------------------------------------
service=$root/usr/lib/systemd/system/meteo-etl.service
expect "ExecStart= runs /usr/bin/meteo-etl" contains "$service" '^ExecStart=/usr/bin/meteo-etl '
expect "Documentation= points at installed files" documentation_exists "$root" "$service"
expect "the timer's Documentation= too" documentation_exists "$root" "$root/usr/lib/systemd/system/meteo-etl.timer"
expect "the textfile directory is writable, if present" \
  contains "$service" '^ReadWritePaths=.* -/var/lib/prometheus/node-exporter'
expect "UMask=0022 for the published dashboard" contains "$service" '^UMask=0022$'
watch_service=$root/usr/lib/systemd/system/meteo-etl-watch.service
expect "the watch service runs /usr/bin/meteo-etl ... watch" \
  contains "$watch_service" '^ExecStart=/usr/bin/meteo-etl .* watch$'
expect "the watch service is Type=notify" contains "$watch_service" '^Type=notify$'
expect "the watch service has a watchdog" contains "$watch_service" '^WatchdogSec='
expect "the watch service reloads with SIGHUP" contains "$watch_service" '^ExecReload=/bin/kill -HUP \$MAINPID$'
expect "the watch service's Documentation= points at installed files" \
  documentation_exists "$root" "$watch_service"
# The same sandbox as the hourly service: every hardening line of one is in the other.
expect "the watch service is sandboxed like the hourly one" \
  diff <(sed -n '/^ProtectSystem=/,$p' "$service") <(sed -n '/^ProtectSystem=/,$p' "$watch_service")
for file in "$service" "$watch_service" "$root/usr/lib/systemd/system/meteo-etl.timer" "$doc/examples/meteo-etl.cron"; do
  expect "no /usr/local/ path in ${file#"$root"}" lacks "$file" '/usr/local/'
done
cron_binary=$(awk '!/^#/ && NF { print $7; exit }' "$doc/examples/meteo-etl.cron")
expect "the cron line runs the installed binary ($cron_binary)" test -x "$root$cron_binary"
sysusers_user=$(awk '$1 == "u" { print $2 }' "$root/usr/lib/sysusers.d/meteo-etl.conf")
expect "sysusers.d creates the service's User=" contains "$service" "^User=$sysusers_user\$"
expect "tmpfiles.d makes the state directory" \
  contains "$root/usr/lib/tmpfiles.d/meteo-etl.conf" "^d /var/lib/meteo-etl 0755 $sysusers_user "
if command -v systemd-analyze >/dev/null 2>&1; then
  # Copies whose ExecStart= runs the extracted binary (nothing is installed here); MANPATH lets
  # the man:meteo-etl(1) of Documentation= resolve to the extracted page.
  mkdir -p "$scratch/units"
  sed "s#^ExecStart=/usr/bin/#ExecStart=$root/usr/bin/#" "$service" >"$scratch/units/meteo-etl.service"
  sed "s#^ExecStart=/usr/bin/#ExecStart=$root/usr/bin/#" "$watch_service" \
    >"$scratch/units/meteo-etl-watch.service"
  cp "$root/usr/lib/systemd/system/meteo-etl.timer" "$scratch/units/"
  expect_run "systemd-analyze verify" "$scratch/verify.log" env MANPATH="$root/usr/share/man" \
    systemd-analyze verify "$scratch/units/meteo-etl.service" "$scratch/units/meteo-etl.timer" \
    "$scratch/units/meteo-etl-watch.service"
fi

# --- logrotate: the installed snippet as is, then a real rotation of a scratch copy --------------
if command -v logrotate >/dev/null 2>&1; then
  logrotate_conf=$doc/examples/meteo-etl.logrotate
  expect_run "logrotate -d" "$scratch/logrotate.debug" \
    logrotate -d -s "$scratch/logrotate.state" "$logrotate_conf"
  expect "logrotate read the log pattern" contains "$scratch/logrotate.debug" '/var/log/meteo-etl/\*\.log'
  expect "logrotate saw no error" lacks "$scratch/logrotate.debug" '^error'
  mkdir -p "$scratch/log"
  sed "s#/var/log/meteo-etl/#$scratch/log/#" "$logrotate_conf" >"$scratch/logrotate.conf"
  echo '{"level":"info","message":"hour loaded"}' >"$scratch/log/meteo-etl.log"
  expect "logrotate -f rotates" logrotate -f -s "$scratch/logrotate.state" "$scratch/logrotate.conf"
  expect "the rotated log keeps its lines" contains "$scratch/log/meteo-etl.log.1" 'hour loaded'
  expect "the log is truncated in place" test -f "$scratch/log/meteo-etl.log" -a ! -s "$scratch/log/meteo-etl.log"
else
  fail "logrotate is missing: run scripts/install-deps.sh"
fi

# --- apt would install it: its dependencies resolve on this machine (simulation only) -------------
if command -v apt-get >/dev/null 2>&1; then
  (cd "$scratch/out" && apt-get install -s "./${deb##*/}") >"$scratch/apt.log" 2>&1 || true
  expect "apt install ./meteo-etl_*.deb resolves (apt-get -s)" contains "$scratch/apt.log" '^Inst meteo-etl '
fi

# --- cmake --install --strip --prefix: the units follow the prefix, /etc is left alone -----------
prefix=$scratch/prefix
expect_run "cmake --install --strip --prefix" "$scratch/install.log" \
  cmake --install "$build" --strip --prefix "$prefix"
expect "cmake --install --strip strips" is_stripped "$prefix/bin/meteo-etl"
expect_run "the installed binary runs" "$scratch/prefix-version" "$prefix/bin/meteo-etl" --version
expect "the unit runs the binary under --prefix" \
  contains "$prefix/lib/systemd/system/meteo-etl.service" "^ExecStart=$prefix/bin/meteo-etl "
expect "the unit documents the README under --prefix" \
  contains "$prefix/lib/systemd/system/meteo-etl.service" "file:$prefix/share/doc/meteo-etl/README.md"
expect "the README is there" test -f "$prefix/share/doc/meteo-etl/README.md"
expect "the cron example names the binary under --prefix" \
  contains "$prefix/share/doc/meteo-etl/examples/meteo-etl.cron" " $prefix/bin/meteo-etl "
expect "cmake --install writes no configuration" test ! -e "$prefix/etc" -a ! -e "$prefix/etc/meteo-etl"
expect "cmake --install wrote nothing outside --prefix" all_under "$prefix/" "$build/install_manifest.txt"

if [ "$failures" -gt 0 ]; then
  echo "package test: $failures of $checks checks failed (scratch: $scratch)" >&2
  exit 1
fi
echo "package test: all $checks checks passed"
