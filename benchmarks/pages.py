"""Median server time, CPU time, peak memory and query count of the logged-in pages (the dashboard, the table
and its exports, the JSON export, the overview, a strategy and an activity, my activities, recent changes, effect
measures, the local arenas, the follow-ups and an open follow-up, the plan and a strategy as of a past date, and
the comparison of the revision in force with a draft of the next one), each rendered (the cache emptied before
each request, as after a change) and served from the page cache (plan/caching.py); and of the public pages
rendered, for one database and one plan size; and how long starting that draft (copying the whole revision)
takes. Run through benchmarks/run.sh, which prepares each database; a database already prepared for the same
scale is reused as it is.

    python benchmarks/pages.py --scale 100 --runs 15
    python benchmarks/pages.py --scale 100 --only json,strategy   # names containing these words
"""

import argparse
import datetime
import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "plan.settings")
os.environ["PUBLIC_PAGES"] = "1"

import django

django.setup()

from django.core.cache import caches  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from activities.models import Activity  # noqa: E402
from followup.models import FollowUp  # noqa: E402
from followup.services import followup_open  # noqa: E402
from plan.models import PlanRevision, User  # noqa: E402
from plandata.demo import generate_demo_data  # noqa: E402
from plandata.loader import load_plan_file  # noqa: E402
from revisions.services import start_revision  # noqa: E402
from strategies.models import Strategy  # noqa: E402

PAGES = [
    ("dashboard", "/lagesbild/"),
    ("table", "/tabell/"),
    ("table csv", "/tabell/?_export=csv"),
    ("table xlsx", "/tabell/?_export=xlsx"),
    ("json export", "/api/plan.json"),
    ("overview", "/"),
    ("strategy", "/strategier/{strategy}/"),
    ("activity", "/aktiviteter/{activity}/"),
    ("my activities", "/mina-aktiviteter/"),
    ("recent changes", "/senaste-andringar/"),
    ("measures", "/effektmatt/"),
    ("local arenas", "/lokala-arenor/"),
    ("follow-ups", "/uppfoljningar/"),
    ("follow-up", "/uppfoljningar/{followup}/"),
    ("plan as of", "/?datum=2025-06-01"),
    ("strategy as of", "/strategier/{strategy}/?datum=2025-06-01"),
    ("comparison", "/revisioner/jamfor/"),
]
# Cached until the data changes (publicsite/caching.py); measured with the cache emptied, as after a change.
PUBLIC_PAGES = [
    ("public overview", "/offentlig/"),
    ("public strategy", "/offentlig/strategier/1/"),
    ("public measures", "/offentlig/effektmatt/"),
    ("public arenas", "/offentlig/lokala-arenor/"),
    ("public json", "/offentlig/oppna-data/plan.json"),
    ("public csv", "/offentlig/oppna-data/delaktiviteter.csv"),
]
FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "plan_jamtland_harjedalen.yaml"


def prepare(scale):
    call_command("migrate", verbosity=0)
    load_plan_file(FIXTURE)
    # The last copy generate_demo_data(scale) adds: a database prepared before for this scale is kept.
    if scale > 1 and not Activity.objects.in_force().filter(name__endswith=f"(exempel {scale - 1})").exists():
        generate_demo_data(scale)
    # A superuser, so the comparison may show the draft (plan administrators only).
    reader, _ = User.objects.update_or_create(username="benchmark", defaults={"is_superuser": True})
    current = PlanRevision.objects.in_force().get()
    if not PlanRevision.objects.filter(state=PlanRevision.State.DRAFT).exists():
        with transaction.atomic():  # once with tracemalloc, which slows it, and rolled back
            tracemalloc.start()
            start_revision(current, label="benchmark", in_force_from=current.next_revision_due, user=reader)
            peak = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
            transaction.set_rollback(True)
        start = time.perf_counter()
        start_revision(current, label="benchmark", in_force_from=current.next_revision_due, user=reader)
        print(
            f"{connection.vendor:10} {scale:>4}x  starting the next revision took {time.perf_counter() - start:.1f} s"
            f" (peak {peak:.0f} MiB)"
        )
    # An open follow-up, whose page builds its content from the plan on each request.
    followup = FollowUp.objects.filter(revision=current, state=FollowUp.State.OPEN).first()
    if followup is None:
        year = timezone.localdate().year - 1
        cut_off = datetime.date(year, 12, 31)
        followup = followup_open(revision=current, year=year, half=0, cut_off=cut_off, user=reader)
    client = Client()
    client.force_login(reader)
    strategy = Strategy.objects.filter(revision=current).order_by("number").first()
    ids = {
        "strategy": strategy.pk,
        "activity": strategy.activities.order_by("number").first().pk,
        "followup": followup.pk,
    }
    return client, ids


def clear_caches():
    for cache in caches.all():
        cache.clear()


def measure(client, url, runs, *, cached):
    """(median time, median CPU time of this process, the query counts seen) of `runs` requests, with the cache
    emptied before each unless `cached`: the CPU time leaves out the database server's work and the waits of a
    busy machine, so it compares changes to the Python side."""
    client.get(url)  # warm-up: templates compiled, connection open, the page in the cache
    times, cpu_times, queries = [], [], set()
    for _run in range(runs):
        if not cached:
            clear_caches()
        with CaptureQueriesContext(connection) as captured:
            start, start_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
            cpu_times.append((time.process_time() - start_cpu) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries.add(len(captured))
    return statistics.median(times), statistics.median(cpu_times), sorted(queries)


def peak_memory(client, url):
    """The most memory Python held at once while rendering the page once, in MiB (tracemalloc slows the request:
    not timed)."""
    clear_caches()
    tracemalloc.start()
    try:
        client.get(url)
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--only", default="", help="comma-separated words; only the pages whose names hold one")
    args = parser.parse_args()
    client, ids = prepare(args.scale)
    words = [word for word in args.only.split(",") if word]
    pages = [(name, url, True) for name, url in PAGES] + [(name, url, False) for name, url in PUBLIC_PAGES]
    for name, url, staff in pages:
        if words and not any(word in name for word in words):
            continue
        url = url.format(**ids)
        median, cpu, queries = measure(client, url, args.runs, cached=False)
        line = (
            f"{connection.vendor:10} {args.scale:>4}x  {name:16} rendered {median:7.1f} ms (cpu {cpu:6.1f} ms,"
            f" peak {peak_memory(client, url):5.1f} MiB) queries {queries}"
        )
        if staff:
            median, cpu, queries = measure(client, url, args.runs, cached=True)
            line += f"   from the cache {median:5.1f} ms (cpu {cpu:4.1f} ms) queries {queries}"
        print(line)


if __name__ == "__main__":
    main()
