"""Median server time and query count of each public page (PUBLIC_PAGES), from the cache and with the cache
just emptied (the first request after a change), for one database and one plan size.
Run through benchmarks/run.sh, which prepares each database.

    python benchmarks/public_pages.py --scale 100 --runs 15
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "plan.settings")
os.environ["PUBLIC_PAGES"] = "1"

import django

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from plandata.demo import generate_demo_data  # noqa: E402
from plandata.loader import load_plan_file  # noqa: E402
from strategies.models import Strategy  # noqa: E402

PAGES = [
    ("overview", "/offentlig/"),
    ("strategy", "/offentlig/strategier/1/"),
    ("measures", "/offentlig/effektmatt/"),
    ("arenas", "/offentlig/lokala-arenor/"),
    ("plan.json", "/offentlig/oppna-data/plan.json"),
    ("csv", "/offentlig/oppna-data/delaktiviteter.csv"),
]
FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "plan_jamtland_harjedalen.yaml"


def prepare(scale):
    call_command("migrate", verbosity=0)
    load_plan_file(FIXTURE)
    if scale > 1 and Strategy.objects.count() < 5 * scale:
        generate_demo_data(scale)


def measure(client, url, runs, *, cached):
    client.get(url)  # warm-up: templates compiled, connection open, the page cached
    times, queries = [], set()
    for _run in range(runs):
        if not cached:
            cache.clear()
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
    prepare(args.scale)
    client = Client()
    for name, url in PAGES:
        cold, cold_queries = measure(client, url, args.runs, cached=False)
        warm, warm_queries = measure(client, url, args.runs, cached=True)
        print(
            f"{connection.vendor:10} {args.scale:>4}x  public {name:10} cached {warm:6.1f} ms {warm_queries}"
            f"   uncached {cold:7.1f} ms {cold_queries}"
        )


if __name__ == "__main__":
    main()
