"""Median server time and query count of the dashboard, the table page, the JSON export, the plan and a
strategy as of a past date, and the comparison of the revision in force with a draft of the next one, for
one database and one plan size; and how long starting that draft (copying the whole revision) takes.
Run through benchmarks/run.sh, which prepares each database.

    python benchmarks/pages.py --scale 100 --runs 15
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "plan.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from plan.models import PlanRevision, User  # noqa: E402
from plandata.demo import generate_demo_data  # noqa: E402
from plandata.loader import load_plan_file  # noqa: E402
from revisions.services import start_revision  # noqa: E402
from strategies.models import Strategy  # noqa: E402

PAGES = [
    ("dashboard", "/lagesbild/"),
    ("table", "/tabell/"),
    ("json export", "/api/plan.json"),
    ("plan as of", "/?datum=2025-06-01"),
    ("strategy as of", "/strategier/{strategy}/?datum=2025-06-01"),
    ("comparison", "/revisioner/jamfor/"),
]
FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "plan_jamtland_harjedalen.yaml"


def prepare(scale):
    call_command("migrate", verbosity=0)
    load_plan_file(FIXTURE)
    if scale > 1:
        generate_demo_data(scale)
    # A superuser, so the comparison may show the draft (plan administrators only).
    reader, _ = User.objects.update_or_create(username="benchmark", defaults={"is_superuser": True})
    current = PlanRevision.objects.in_force().get()
    if not PlanRevision.objects.filter(state=PlanRevision.State.DRAFT).exists():
        start = time.perf_counter()
        start_revision(current, label="benchmark", in_force_from=current.next_revision_due, user=reader)
        print(
            f"{connection.vendor:10} {scale:>4}x  starting the next revision took {time.perf_counter() - start:.1f} s"
        )
    client = Client()
    client.force_login(reader)
    return client, Strategy.objects.filter(revision=current).order_by("number").first().pk


def measure(client, url, runs):
    client.get(url)  # warm-up: templates compiled, connection open
    times, queries = [], set()
    for _run in range(runs):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries.add(len(captured))
    return statistics.median(times), sorted(queries)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    client, strategy = prepare(args.scale)
    for name, url in PAGES:
        median, queries = measure(client, url.format(strategy=strategy), args.runs)
        print(f"{connection.vendor:10} {args.scale:>4}x  {name:12} median {median:8.1f} ms   queries {queries}")


if __name__ == "__main__":
    main()
