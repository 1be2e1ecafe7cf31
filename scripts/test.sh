#!/usr/bin/env bash
# The whole test suite: once on SQLite, once on a throwaway PostgreSQL server started here, with the
# browser tests in Debian's headless Chromium, which check every page with axe and the W3C Nu HTML checker (vnu, fetched
# by scripts/vnu.sh). Installs the Debian packages the tests need when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
[ -x /usr/lib/postgresql/15/bin/initdb ] || missing+=(postgresql-15 postgresql-client-15)
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v pdftotext >/dev/null || missing+=(poppler-utils)
command -v msgfmt >/dev/null || missing+=(gettext)
ldconfig -p | grep -q "libpangoft2-1.0" || missing+=(libpango-1.0-0 libpangoft2-1.0-0)
[ -d /usr/share/fonts/truetype/dejavu ] || missing+=(fonts-dejavu-core)
command -v java >/dev/null || missing+=(default-jre-headless)  # runs the Nu HTML checker (scripts/vnu.sh)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing Debian packages for the tests: ${missing[*]}"
  as_root apt-get update -qq
  as_root mkdir -p /usr/share/man/man1  # Debian's slim images lack it and the JRE's postinst fails without it
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" \
    libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core shared-mime-info >/dev/null
fi

echo "=== Lint and format (ruff, configured in pyproject.toml) ==="
.venv/bin/ruff check .
.venv/bin/ruff format --check .

source scripts/vnu.sh
source scripts/throwaway-postgres.sh

echo "=== Test suite on SQLite (the PostgreSQL-only concurrency tests are deselected) ==="
env -u DATABASE_URL "$PY" -m pytest -m "not postgresql_only" "$@"

echo "=== Test suite on PostgreSQL ($DATABASE_URL_PG) ==="
# DEBUG=1 only keeps static files served from the finders; pytest-django runs the tests with DEBUG off.
# TEST_PG_DATA and TEST_PG_BIN let tests/operations stop and start this server and dump its databases.
TEST_PG_DATA="$pg_dir/data" TEST_PG_BIN="$PG_BIN" \
  DATABASE_URL="$DATABASE_URL_PG/app" SECRET_KEY="test-only-$(date +%s%N)" SITE_URL=http://testserver DEBUG=1 \
  "$PY" -m pytest "$@"
