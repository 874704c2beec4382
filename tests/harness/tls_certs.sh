#!/usr/bin/env bash
# Throw-away certificates for the database TLS tests:
#
#   tls_certs.sh DIR   writes DIR/ca.pem (a CA), DIR/server-cert.pem and DIR/server-key.pem (signed
#                      by it, valid for 127.0.0.1 and localhost) and DIR/other-ca.pem (an unrelated
#                      CA that must not verify the server)
set -euo pipefail

[[ $# -eq 1 ]] || { echo "usage: $0 DIR" >&2; exit 64; }
dir=$1
mkdir -p "$dir"
cd "$dir"

new_ca() {
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$1-key.pem" -out "$1.pem" -days 2 \
    -subj "/CN=meteo-etl test $1" 2>/dev/null
}

new_ca ca
new_ca other-ca
openssl req -newkey rsa:2048 -nodes -keyout server-key.pem -out server.csr \
  -subj "/CN=127.0.0.1" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' >server.ext
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 2 \
  -extfile server.ext -out server-cert.pem 2>/dev/null
rm -f server.csr server.ext ca.srl
# The server runs as this user and reads its key; nobody else needs to.
chmod 600 ./*-key.pem
