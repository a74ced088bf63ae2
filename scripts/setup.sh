#!/usr/bin/env bash
# Installs what building, serving and testing Chorus need on a fresh Debian machine:
# the system libraries (libssl, zlib, jemalloc) and, with --test, what the tests use: the Python
# test clients, the fossil and xdelta3 binaries the delta codecs are cross-checked against, PostgreSQL (the
# storage tests start a throw-away cluster with scripts/lib/start-postgres.sh) and Redis (the
# ChorusRedis and cluster tests start a throw-away server with scripts/lib/start-redis.sh).
# Safe to run again: it installs only what is missing.
set -euo pipefail

# libsqlite3-dev: GRDB links the system SQLite (the default history store).
system_packages=(libssl-dev zlib1g-dev libjemalloc-dev libsqlite3-dev)
if [ "${1:-}" = "--test" ]; then
  # The history store tests and benchmarks run against a real PostgreSQL as well as SQLite.
  system_packages+=(postgresql)
  # The Redis client and the cluster adapter are tested against a real redis-server.
  system_packages+=(redis-server)
  # The TLS tests and scripts/tls-fanout.sh make their test CA with the openssl tool (scripts/lib/test-certs.sh).
  system_packages+=(openssl)
  # The VCDIFF (RFC 3284) delta encoder is cross-checked against the xdelta3 decoder.
  system_packages+=(xdelta3)
  # The console and HTML report tests drive a real browser: Chromium headless through chromedriver (Selenium).
  system_packages+=(chromium chromium-driver)
fi
missing=()
for package in "${system_packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ "${1:-}" = "--test" ]; then
  # The delta tests cross-check our Fossil delta codec against the real fossil binary.
  if ! command -v fossil >/dev/null 2>&1; then
    echo "setup: installing fossil (delta cross-check)"
    sudo_cmd=""
    [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq fossil >/dev/null
  fi
  # cryptography: the push fakes verify JWTs and decrypt Web Push payloads (Tests/python/push_fakes.py).
  # sockudo-python: Sockudo's own client SDK, run unchanged against chorus serve; vcdiff-decoder: an
  # independent VCDIFF decoder the delta encoder is cross-checked against (the SDK depends on it too).
  # xmlschema: `chorus load`'s JUnit XML is validated against the JUnit schema (Tests/python/junit.xsd).
  # selenium: drives Chromium in the console and HTML report tests (Tests/python/browser.py).
  python_packages=(pusher websockets pytest sockudo-http-python==2.2.0 sockudo-python==2.2.0 vcdiff-decoder cryptography xmlschema selenium)
  if ! python3 -c 'import pusher, websockets, pytest, sockudo_http_python, sockudo_python, vcdiff_decoder, cryptography, xmlschema, selenium' >/dev/null 2>&1; then
    echo "setup: installing Python test clients: ${python_packages[*]}"
    python3 -m pip install --quiet --disable-pip-version-check "${python_packages[@]}"
  fi
fi
