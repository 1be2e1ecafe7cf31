# Sourced by scripts/test.sh and benchmarks/run.sh: a PostgreSQL server in a temporary directory, stopped
# when the calling script exits. Sets DATABASE_URL_PG. Needs Debian's postgresql-15 (test.sh installs it).
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_PORT=${PG_PORT:-54329}
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
DATABASE_URL_PG="postgres://app:app@127.0.0.1:$PG_PORT"
