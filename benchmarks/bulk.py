"""Preview and apply of the table's export, edited with a new status on every row, uploaded back by a plan
administrator (plan/bulk.py, activities/bulk.py): server time, peak Python memory (tracemalloc) and SQL queries,
for 35, 350 and 3,500 rows (the real plan's, the 10x plan's and the 100x plan's number of delaktiviteter) in
the 100x plan, through Django's test client. The queries must not grow per row; the aim is a preview under 2 s
and an apply under 5 s at 3,500 rows. Run through benchmarks/run.sh, which prepares each database, or on its
own (a throwaway SQLite file):

    python benchmarks/bulk.py --scale 100 --rows 35 350 3500
"""

import argparse
import io
import os
import re
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "plan.settings")
if not os.environ.get("DATABASE_URL"):  # never the embedded demo's db.sqlite3
    SCRATCH = tempfile.TemporaryDirectory()
    os.environ["DATABASE_URL"] = f"sqlite:///{SCRATCH.name}/bulk.sqlite3"
os.environ.setdefault("SECRET_KEY", "benchmark-only")
os.environ.setdefault("SITE_URL", "https://plan.example.se")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

import django

django.setup()

import openpyxl  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402

from activities.models import SubActivity  # noqa: E402
from plan.models import PlanRevision, User  # noqa: E402
from plan.roles import Role  # noqa: E402
from plandata.demo import generate_demo_data  # noqa: E402
from plandata.loader import load_plan_file  # noqa: E402

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "plan_jamtland_harjedalen.yaml"
URL = "/delaktiviteter/ladda-upp/"
STATUSES = [value for value, _label in SubActivity.Status.choices]


def prepare(scale):
    call_command("migrate", verbosity=0)
    load_plan_file(FIXTURE)
    revision = PlanRevision.objects.in_force().get()
    if scale > 1 and SubActivity.objects.filter(activity__strategy__revision=revision).count() < 35 * scale:
        generate_demo_data(scale)
    admin, _ = User.objects.get_or_create(username="bench-admin", defaults={"first_name": "Bänk"})
    admin.groups.add(Group.objects.get(name=Role.PLAN_ADMIN))
    client = Client()
    client.force_login(admin)
    return client, SubActivity.objects.filter(activity__strategy__revision=revision).count()


def edited_export(client, rows):
    """The table's XLSX export as the page gives it, cut to its first `rows` rows, each with another status."""
    response = client.get("/tabell/?_export=xlsx")
    assert response.status_code == 200, response.status_code
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.active
    headers = [cell.value for cell in sheet[1]]
    status = headers.index("Status") + 1
    if sheet.max_row > rows + 1:
        sheet.delete_rows(rows + 2, sheet.max_row - rows - 1)
    by_label = {str(label): value for value, label in SubActivity.Status.choices}
    for row in range(2, rows + 2):
        value = by_label[sheet.cell(row, status).value]
        sheet.cell(row, status).value = STATUSES[(STATUSES.index(value) + 1) % len(STATUSES)]
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def post(client, data, *, memory=False):
    """(response, seconds, queries, peak MB) of one POST; the peak only when `memory` (tracemalloc slows it)."""
    if memory:
        tracemalloc.start()
    with CaptureQueriesContext(connection) as captured:
        start = time.perf_counter()
        response = client.post(URL, data)
        seconds = time.perf_counter() - start
    peak = 0.0
    if memory:
        peak = tracemalloc.get_traced_memory()[1] / (1024 * 1024)
        tracemalloc.stop()
    return response, seconds, len(captured), peak


def preview(client, content, **kwargs):
    result = post(client, {"sheet": SimpleUploadedFile("delaktiviteter.xlsx", content)}, **kwargs)
    response = result[0]
    assert response.status_code == 200, response.content.decode()[-2000:]
    return result


def counts(preview_response):
    """{outcome: rows} as the preview page says them (the test client keeps no context outside tests)."""
    page = preview_response.content.decode()
    found = re.findall(r'<li class="list-inline-item"><strong>(\d+)</strong> ([^<]+)</li>', page)
    return {label.strip(): int(number) for number, label in found}


def apply(client, preview_response, **kwargs):
    page = preview_response.content.decode()
    upload = re.search(r'name="upload" value="(\d+)"', page).group(1)
    fingerprint = re.search(r'name="fingerprint" value="([0-9a-f]+)"', page).group(1)
    data = {"apply": "1", "upload": upload, "fingerprint": fingerprint}
    result = post(client, data, **kwargs)
    assert result[0].status_code == 302, result[0].status_code
    return result


def measure(client, rows, runs):
    """Preview: median time of `runs`, then one run for its memory. Apply: one timed run, then (on the next
    edited export) one run for its memory."""
    content = edited_export(client, rows)
    previews = [preview(client, content) for _run in range(runs)]
    response = previews[-1][0]
    expected = {"kommer att ändras": rows, "oförändrade": 0, "avvisade": 0}
    assert counts(response) == expected, counts(response)
    preview_memory = preview(client, content, memory=True)[3]
    _, apply_s, apply_q, _ = apply(client, response)
    second = preview(client, edited_export(client, rows))[0]
    apply_memory = apply(client, second, memory=True)[3]
    return {
        "rows": rows,
        "kb": len(content) / 1024,
        "preview_s": statistics.median(p[1] for p in previews),
        "preview_q": "/".join(str(q) for q in sorted({p[2] for p in previews})),
        "preview_mb": preview_memory,
        "apply_s": apply_s,
        "apply_q": apply_q,
        "apply_mb": apply_memory,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--rows", type=int, nargs="+", default=[35, 350, 3500])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():  # run on its own: static files not collected
        storages = {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
        override_settings(STORAGES=storages).enable()
    start = time.perf_counter()
    client, total = prepare(args.scale)
    took = time.perf_counter() - start
    vendor = f"{connection.vendor:10} {args.scale:>4}x"
    print(f"{vendor}  {total} delaktiviteter, set up in {took:.0f} s")
    results = [measure(client, rows, args.runs) for rows in sorted(args.rows) if rows <= total]
    print(f"{vendor}   rows     kB  preview s  queries  peak MB    apply s  queries  peak MB")
    for r in results:
        print(
            f"{vendor}  {r['rows']:5} {r['kb']:6.0f} {r['preview_s']:10.2f} {r['preview_q']:>8} {r['preview_mb']:8.1f}"
            f" {r['apply_s']:10.2f} {r['apply_q']:8} {r['apply_mb']:8.1f}"
        )
    small, large = results[0], results[-1]
    same = "yes" if small["preview_q"] == large["preview_q"] else "NO"
    extra = large["apply_q"] - small["apply_q"]
    per_query = f"one more per {(large['rows'] - small['rows']) / extra:.0f} rows" if extra else "the same"
    print(
        f"{vendor}  {small['rows']} -> {large['rows']} rows: preview queries the same: {same}"
        f" ({small['preview_q']} -> {large['preview_q']}); apply queries {small['apply_q']} -> {large['apply_q']}"
        f" ({per_query}: the UPDATE and history INSERT batches)."
        f" Aims at {large['rows']} rows: preview < 2 s {'met' if large['preview_s'] < 2 else 'MISSED'},"
        f" apply < 5 s {'met' if large['apply_s'] < 5 else 'MISSED'}"
    )


if __name__ == "__main__":
    main()
