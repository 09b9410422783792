#!/usr/bin/env bash
# Installs what the test suite needs from Debian when it is missing: Chromium (browser
# tests) and the PostgreSQL 15 server binaries (a throwaway cluster per test run).
# As root it installs with apt-get; otherwise it says what is missing, and the tests skip
# those parts — except in CI (CI=true), where a missing browser or database fails the run.
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium chromium-driver)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql-15)
# Fonts with Danish letters for screenshots and PDFs.
[ -d /usr/share/fonts/truetype/dejavu ] || missing+=(fonts-dejavu-core)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  echo "Installing from Debian: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "Missing Debian packages: ${missing[*]}" >&2
  echo "Install them with: sudo apt-get install ${missing[*]}" >&2
  if [ "${CI:-}" = "true" ]; then
    exit 1
  fi
fi
