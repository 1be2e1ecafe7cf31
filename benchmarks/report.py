"""PDF generation time of the follow-up report for the real plan and the 10x plan (median of several runs,
page count, peak memory), beside the time Debian's Chromium takes to print the same HTML. Run through
benchmarks/run.sh.

    python benchmarks/report.py --scale 10 --runs 5
"""

import argparse
import datetime
import io
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "plan.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from activities.models import Activity  # noqa: E402
from followup.content import build_content  # noqa: E402
from followup.models import FollowUp  # noqa: E402
from followup.report import render_report_html, render_report_pdf  # noqa: E402
from plan.models import PlanRevision  # noqa: E402
from plandata.demo import generate_demo_data  # noqa: E402
from plandata.loader import load_plan_file  # noqa: E402
from tests.chromium import CHROMIUM as CHROMIUM_BINARY  # noqa: E402
from tests.chromium import CHROMIUM_FLAGS  # noqa: E402

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "plan_jamtland_harjedalen.yaml"
CHROMIUM = [CHROMIUM_BINARY, *CHROMIUM_FLAGS, "--no-pdf-header-footer"]


def timed(function, runs):
    times, result = [], None
    for _run in range(runs):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def traced_peak(function):
    """The most memory Python held at once during one call, in MiB (tracemalloc slows the call: not timed)."""
    tracemalloc.start()
    try:
        function()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    load_plan_file(FIXTURE)
    # The last copy generate_demo_data(scale) adds: a database prepared before for this scale is kept.
    prepared = Activity.objects.in_force().filter(name__endswith=f"(exempel {args.scale - 1})").exists()
    if args.scale > 1 and not prepared:
        generate_demo_data(args.scale)
    revision = PlanRevision.objects.in_force().get()
    followup, _ = FollowUp.objects.get_or_create(
        revision=revision, year=2025, defaults={"cut_off": datetime.date(2025, 12, 31)}
    )

    content_time, content = timed(lambda: build_content(followup), args.runs)
    render_report_pdf(content)  # warm-up: fonts and Pango loaded once per process
    pdf_time, pdf = timed(lambda: render_report_pdf(content), args.runs)
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    peak = traced_peak(lambda: render_report_pdf(content))
    max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux

    with tempfile.TemporaryDirectory() as directory:
        html_path, pdf_path = Path(directory) / "report.html", Path(directory) / "chromium.pdf"
        html_path.write_text(render_report_html(content), encoding="utf-8")
        command = [*CHROMIUM, f"--user-data-dir={directory}/profile", f"--print-to-pdf={pdf_path}", html_path.as_uri()]
        chromium_time, _ = timed(lambda: subprocess.run(command, capture_output=True, check=True), args.runs)
        chromium_pages = len(PdfReader(pdf_path).pages)

    print(
        f"report {args.scale:>3}x  content {content_time * 1000:7.0f} ms   WeasyPrint {pdf_time:6.2f} s ({pages} pages,"
        f" peak {peak:.0f} MiB traced, process max RSS {max_rss:.0f} MiB)"
        f"   Chromium --print-to-pdf {chromium_time:6.2f} s ({chromium_pages} pages)   median of {args.runs}"
    )


if __name__ == "__main__":
    main()
