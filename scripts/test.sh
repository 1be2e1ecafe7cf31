#!/usr/bin/env bash
# The whole test suite: once on SQLite, once on a throwaway PostgreSQL server started here, with the
# browser tests in Debian's headless Chromium. Installs the Debian packages the tests need when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_PORT=${PG_PORT:-54329}

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
[ -x "$PG_BIN/initdb" ] || missing+=(postgresql-15 postgresql-client-15)
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v pdftotext >/dev/null || missing+=(poppler-utils)
command -v msgfmt >/dev/null || missing+=(gettext)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing Debian packages for the tests: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" \
    libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core shared-mime-info >/dev/null
fi

pg_dir=$(mktemp -d)
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
stop_pg() {
  as_pg "$PG_BIN/pg_ctl" -D "$pg_dir/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$pg_dir"
}
trap stop_pg EXIT
[ "$(id -u)" = 0 ] && chown postgres: "$pg_dir"
as_pg "$PG_BIN/initdb" -D "$pg_dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
as_pg "$PG_BIN/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $pg_dir -c fsync=off" start >/dev/null
psql -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -c "CREATE ROLE app LOGIN PASSWORD 'app' CREATEDB"

echo "=== Test suite on SQLite (the PostgreSQL-only concurrency tests are deselected) ==="
env -u DATABASE_URL "$PY" -m pytest -m "not postgresql_only" "$@"

echo "=== Test suite on PostgreSQL (127.0.0.1:$PG_PORT) ==="
# DEBUG=1 only keeps static files served from the finders; pytest-django runs the tests with DEBUG off.
DATABASE_URL="postgres://app:app@127.0.0.1:$PG_PORT/app" SECRET_KEY="test-only-$(date +%s%N)" DEBUG=1 \
  "$PY" -m pytest "$@"
