#!/usr/bin/env bash
# Installs the Debian packages the app needs when they are missing.
#   system-deps.sh run    what serving needs: venv support for Python, Pango for the PDF report
#   system-deps.sh test   that, plus Chromium (browser tests) and the PostgreSQL 15 server
#                         binaries (a throwaway cluster per test run)
#   system-deps.sh screenshots   that, plus Chromium's Danish language pack (date fields) and
#                         pdftoppm (the report PDF's first page as a picture)
# As root it installs with apt-get; otherwise it says what is missing and goes on (the PDF
# report, or those tests, cannot run) — except in CI (CI=true), where anything missing fails.
set -euo pipefail

purpose="${1:-test}"
missing=()
python3 -c "import ensurepip, venv" 2>/dev/null || missing+=(python3-venv)
ldconfig -p 2>/dev/null | grep -q "libpangoft2-1.0.so.0" || missing+=(libpango-1.0-0 libpangoft2-1.0-0)
if [ "$purpose" = "test" ] || [ "$purpose" = "screenshots" ]; then
  [ -x /usr/bin/chromium ] || missing+=(chromium chromium-driver)
  compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql-15)
  # Fonts with Danish letters for Chromium's pages and screenshots.
  [ -d /usr/share/fonts/truetype/dejavu ] || missing+=(fonts-dejavu-core)
fi
if [ "$purpose" = "screenshots" ]; then
  [ -f /usr/lib/chromium/locales/da.pak ] || missing+=(chromium-l10n)
  command -v pdftoppm >/dev/null || missing+=(poppler-utils)
fi

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
