#!/usr/bin/env bash
# Prints the benchmarks' figures: pages at 1x, 10x and 100x the real plan, the public pages at 1x and 100x, the PDF report at 1x and 10x, and the
# reminders for the 100x plan at 100 and 500 users, on SQLite and on a throwaway PostgreSQL server. Not part of
# `make test`; run after `make install`:
#     bash benchmarks/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
source scripts/throwaway-postgres.sh

# Production-like settings: DEBUG off, static files collected, no HTTPS redirect for the in-process client.
export SITE_URL=https://plan.example.se DEBUG=0 SECRET_KEY="benchmark-only-$(date +%s%N)" ALLOWED_HOSTS=testserver SECURE_SSL_REDIRECT=0
DATABASE_URL="sqlite:///$pg_dir/collect.sqlite3" "$PY" manage.py collectstatic --noinput -v0

for scale in 1 10 100; do
  DATABASE_URL="sqlite:///$pg_dir/bench-$scale.sqlite3" "$PY" benchmarks/pages.py --scale "$scale"
  psql -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -c "CREATE DATABASE bench_$scale OWNER app"
  DATABASE_URL="$DATABASE_URL_PG/bench_$scale" "$PY" benchmarks/pages.py --scale "$scale"
done

for scale in 1 10; do
  DATABASE_URL="sqlite:///$pg_dir/report-$scale.sqlite3" "$PY" benchmarks/report.py --scale "$scale"
done

DATABASE_URL="sqlite:///$pg_dir/reminders.sqlite3" "$PY" benchmarks/reminders.py --scale 100
psql -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -c "CREATE DATABASE bench_reminders OWNER app"
DATABASE_URL="$DATABASE_URL_PG/bench_reminders" "$PY" benchmarks/reminders.py --scale 100
for db in "sqlite:///$pg_dir/bench-100.sqlite3" "$DATABASE_URL_PG/bench_100"; do DATABASE_URL="$db" "$PY" benchmarks/bulk.py --scale 100; done  # the 100x databases of pages.py
for scale in 1 100; do  # the public pages, on the databases of pages.py
  DATABASE_URL="sqlite:///$pg_dir/bench-$scale.sqlite3" "$PY" benchmarks/public_pages.py --scale "$scale"
  DATABASE_URL="$DATABASE_URL_PG/bench_$scale" "$PY" benchmarks/public_pages.py --scale "$scale"
done
