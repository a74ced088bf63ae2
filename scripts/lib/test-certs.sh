#!/usr/bin/env bash
# Generates a throw-away test PKI for the TLS tests and measurements (never for production):
#   scripts/lib/test-certs.sh DIR
# writes into DIR (created if missing), every key an unencrypted P-256 PEM:
#   ca.pem                         the test root CA (trust it: --ca-file, REQUESTS_CA_BUNDLE, ssl context)
#   server.pem, server.key         a server certificate for 127.0.0.1 and localhost issued by an
#                                  intermediate CA, followed by that intermediate (a chain)
#   renewed.pem, renewed.key       another certificate for the same names from the same chain (a
#                                  different serial: what a SIGHUP reload swaps in)
#   expired.pem, expired.key       a server certificate for the same names from the same chain,
#                                  valid from 2020-01-01 to 2020-01-02
#   other-ca.pem                   an unrelated root CA that issued none of these
# Needs the openssl command-line tool (scripts/setup.sh --test installs it).
set -euo pipefail

if [ $# -ne 1 ]; then
    echo "usage: $0 DIR" >&2
    exit 2
fi
dir="$1"
mkdir -p "$dir"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

new_key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }

# A self-signed root CA: root NAME KEY CERT
root() {
    new_key "$2"
    openssl req -x509 -new -key "$2" -out "$3" -days 30 -subj "/CN=$1" \
        -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
}

# `openssl ca` signs with explicit start and end dates (an expired certificate needs a past end).
cat >"$work/ca.cnf" <<EOF
[ca]
default_ca = test
[test]
database = $work/index.txt
new_certs_dir = $work
serial = $work/serial
unique_subject = no
default_md = sha256
policy = any
copy_extensions = none
[any]
commonName = supplied
[intermediate]
basicConstraints = critical,CA:TRUE,pathlen:0
keyUsage = critical,keyCertSign,cRLSign
[server]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1,DNS:localhost
EOF
: >"$work/index.txt"
openssl rand -hex 8 >"$work/serial"

# Issues a certificate: sign NAME KEY CERT ISSUER_CERT ISSUER_KEY EXTENSIONS START END
sign() {
    new_key "$2"
    openssl req -new -key "$2" -out "$work/request.csr" -subj "/CN=$1" 2>/dev/null
    openssl ca -batch -config "$work/ca.cnf" -notext -in "$work/request.csr" -out "$3" \
        -cert "$4" -keyfile "$5" -extensions "$6" -startdate "$7" -enddate "$8" 2>/dev/null
}

start=$(date -u -d '1 day ago' +%Y%m%d%H%M%SZ)
end=$(date -u -d '30 days' +%Y%m%d%H%M%SZ)
root "Chorus Test Root CA" "$work/ca.key" "$dir/ca.pem"
sign "Chorus Test Intermediate CA" "$work/intermediate.key" "$work/intermediate.pem" \
    "$dir/ca.pem" "$work/ca.key" intermediate "$start" "$end"
for name in server renewed; do
    sign localhost "$dir/$name.key" "$work/$name.pem" \
        "$work/intermediate.pem" "$work/intermediate.key" server "$start" "$end"
    cat "$work/$name.pem" "$work/intermediate.pem" >"$dir/$name.pem"
done
sign localhost "$dir/expired.key" "$work/expired.pem" \
    "$work/intermediate.pem" "$work/intermediate.key" server 20200101000000Z 20200102000000Z
cat "$work/expired.pem" "$work/intermediate.pem" >"$dir/expired.pem"
root "Unrelated Test Root CA" "$work/other-ca.key" "$dir/other-ca.pem"
