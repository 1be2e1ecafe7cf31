#!/usr/bin/env bash
# A load test: gunicorn (3 workers, production settings) on a throwaway PostgreSQL server with the plan at
# SCALE times its size (default 100), and USERS simulated users (default 50) of benchmarks/locustfile.py for
# DURATION seconds (default 60), on this machine. The users log in as one plan administrator, or with ACCOUNTS=n
# as n accounts in turn: project leaders, reviewers and local-arena members of every organisation, one in ten a
# plan administrator (the page cache keeps pages per kind of reader). Prints locust's figures per page and in all. Not part of `make test`:
#     bash benchmarks/load.sh            # or: SCALE=1 USERS=10 bash benchmarks/load.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
SCALE=${SCALE:-100} USERS=${USERS:-50} DURATION=${DURATION:-60} APP_PORT=${APP_PORT:-8765} ACCOUNTS=${ACCOUNTS:-1}
"$PY" -m pip install --quiet "locust==2.47.*"
source scripts/throwaway-postgres.sh

export DATABASE_URL="$DATABASE_URL_PG/load" SITE_URL=http://127.0.0.1:$APP_PORT DEBUG=0 \
  SECRET_KEY="load-only-$(date +%s%N)" ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=0 AXES_FAILURE_LIMIT=1000
psql -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -c "CREATE DATABASE load OWNER app"
"$PY" manage.py migrate --noinput -v0
"$PY" manage.py collectstatic --noinput -v0
"$PY" manage.py load_plan >/dev/null
if [ "$SCALE" -gt 1 ]; then "$PY" manage.py generate_demo_data --scale "$SCALE"; fi
ids=$("$PY" manage.py shell -v0 -c "
from activities.models import Activity
from plan.models import User
from strategies.models import Strategy
from django.contrib.auth.models import Group
from plan.models import Organisation
from plan.roles import Role
if $ACCOUNTS == 1:
    user, _ = User.objects.update_or_create(username='benchmark', defaults={'is_superuser': True, 'is_staff': True})
    user.set_password('benchmark-password-1'); user.save()
organisations = list(Organisation.objects.order_by('pk'))
roles = [Role.PROJECT_LEADER, Role.REVIEWER, Role.LOCAL_ARENA, Role.PROJECT_LEADER, Role.REVIEWER] * 2
roles[-1] = Role.PLAN_ADMIN  # one in ten
for n in range($ACCOUNTS if $ACCOUNTS > 1 else 0):
    user, _ = User.objects.update_or_create(
        username=f'benchmark-{n}', defaults={'organisation': organisations[n % len(organisations)]}
    )
    user.groups.set([Group.objects.get(name=roles[n % len(roles)])])
    user.set_password('benchmark-password-1'); user.save()
print(','.join(str(pk) for pk in Strategy.objects.filter(revision__state='in_force').values_list('pk', flat=True)[:20]))
print(','.join(str(pk) for pk in Activity.objects.filter(strategy__revision__state='in_force').values_list('pk', flat=True)[:200]))
")
export LOAD_ACCOUNTS=$ACCOUNTS LOAD_STRATEGIES=$(echo "$ids" | sed -n 1p) LOAD_ACTIVITIES=$(echo "$ids" | sed -n 2p)

.venv/bin/gunicorn plan.wsgi:application --bind "127.0.0.1:$APP_PORT" --workers 3 --log-level warning &
app=$!
trap 'kill $app 2>/dev/null; wait $app 2>/dev/null; stop_pg' EXIT
for _ in $(seq 50); do curl -sf -o /dev/null "http://127.0.0.1:$APP_PORT/healthz" && break; sleep 0.2; done

echo "=== $USERS users ($ACCOUNTS accounts), think time 0.1-0.5 s, ${DURATION} s, plan at ${SCALE}x, gunicorn 3 workers, PostgreSQL ==="
# --reset-stats: the figures start once every user has been started (and logged in: a password check is
# deliberately slow, about 0.3 s of CPU), so they are those of the users reading pages.
.venv/bin/locust -f benchmarks/locustfile.py --headless -u "$USERS" -r 10 -t "${DURATION}s" --reset-stats \
  --host "http://127.0.0.1:$APP_PORT" --only-summary --csv "$pg_dir/load" 2>&1 | grep -v "^\s*$" | tail -n 40
ps -o rss= --ppid "$app" | awk '{ all += $1; if ($1 > most) most = $1 }
  END { printf "gunicorn workers after the run (pages in their caches): largest %.0f MiB, all %.0f MiB resident\n", most / 1024, all / 1024 }'
"$PY" - "$pg_dir/load_stats.csv" <<'PY'
import csv, sys
rows = {r["Name"]: r for r in csv.DictReader(open(sys.argv[1]))}
total = rows["Aggregated"]
print(f"in all: {float(total['Requests/s']):.1f} requests/s, median {total['50%']} ms, p95 {total['95%']} ms, "
      f"{total['Failure Count']} failures of {total['Request Count']}")
PY
