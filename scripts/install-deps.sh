#!/usr/bin/env bash
# Installs every build, test and runtime dependency from Debian's packages. Idempotent: when all
# packages are present it does nothing (and needs no network).
set -euo pipefail

packages=(
  build-essential cmake pkg-config clang-format
  libcurl4-openssl-dev nlohmann-json3-dev libgeos-dev libmysqlcppconn-dev zlib1g-dev libssl-dev
  libspdlog-dev libfmt-dev libcli11-dev libtomlplusplus-dev libcpp-httplib-dev libcsv-dev
  libxgboost-dev  # src/analysis: the boosted trees of `analyze impact` and `analyze normalise`
  libsimdjson-dev  # src/sources: the on-demand parser of the sensor feed's payload
  libeigen3-dev  # src/forecast: the least squares of the temperature forecast's linear model
  libsystemd-dev  # `watch` under systemd: sd_notify (Type=notify, READY, WATCHDOG, STOPPING)
  libhowardhinnant-date-dev tzdata  # src/aggregate: the stations' local days (GCC 12 has no tzdb)
  libgtest-dev libgmock-dev libbenchmark-dev
  mariadb-server mariadb-client python3 curl ca-certificates chromium
  mariadb-plugin-spider  # tests/harness/spider.sh, deploy/spider: the readings sharded by Spider
  openssl  # tests/harness/tls_certs.sh: the database TLS test's throw-away CA
  time  # bench/e2e.sh: /usr/bin/time -v for wall time and peak RSS
  rsync  # bench/e2e.sh --commit: syncs the export by content; tests/harness/galera.sh: its SST
  galera-4  # tests/harness/galera.sh: the wsrep provider of the 3-node test cluster (issue 23)
  iproute2  # tests/harness/galera.sh: the rsync SST script needs ss (or lsof) to watch its port
  clang libclang-rt-dev  # scripts/fuzz.sh: libFuzzer and the sanitizer runtimes (a Recommends)
  dpkg-dev man-db logrotate  # ctest -L package: dpkg-shlibdeps for cpack, man -l, logrotate -d
  ccache  # CMakeLists.txt: the compiler launcher, so a fresh clone reuses the last build's objects
)

# The dashboard page is assembled with npm; any Node.js with npm will do (Debian's when none).
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "install-deps: installing ${missing[*]}"
$sudo apt-get update -q
# policy-rc.d-style environments refuse to start services; the tests start their own server.
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
