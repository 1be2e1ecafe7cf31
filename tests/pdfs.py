"""Helpers for the tests of the views that render a PDF (plan/pdf.py): how many PDFs were rendered, every
render slot of the process taken, as PDF_RENDER_CONCURRENCY requests rendering at once would hold them, and
whether a PDF passes the two PDF/UA checkers and has no page without content."""

import contextlib
import logging
import subprocess
import tempfile
import threading
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from plan.pdf import render_slots

BUSY = "Many reports are being made right now, so this one could not be made. Try again in a moment."


def renders(caplog):
    """How many PDFs plan.pdf has rendered in the test (each render is logged with its time)."""
    return sum(1 for r in caplog.records if r.name == "plan.pdf" and r.getMessage().startswith("PDF rendered"))


def start_counting(caplog):
    """Empties the cache, so each test renders its first PDF, and records plan.pdf's log for renders()."""
    cache.clear()
    caplog.set_level(logging.INFO, logger="plan.pdf")


@contextlib.contextmanager
def all_render_slots_taken(release_after=None):
    """Holds every render slot of this process; with `release_after` (seconds), a timer thread gives one back
    then, as a render that ends would."""
    slots = render_slots()
    held = 0
    timer = None
    try:
        for _ in range(settings.PDF_RENDER_CONCURRENCY):
            assert slots.acquire(blocking=False), "a render slot was taken before the test"
            held += 1
        if release_after is not None:
            held -= 1
            timer = threading.Timer(release_after, slots.release)
            timer.start()
        yield
    finally:
        if timer:
            timer.join()
        for _ in range(held):
            slots.release()


def assert_busy(response):
    """A 503 with Retry-After and the plain message, in Swedish once translated (in English until then)."""
    assert response.status_code == 503
    assert response["Retry-After"] == "1"
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    with translation.override("sv"):
        message = translation.gettext(BUSY)
    assert response.content.decode() == message


def accessibility_problems(pdf):
    """What the two PDF/UA checkers find in `pdf` (bytes), as lines; none for a PDF that passes both:
    - page-validation (Rust, veraPDF's rules) with its PDF/UA-1 profile: every failed rule;
    - pdfua (pikepdf): every error, every UA-15-003 finding (table headers not tied to their cells, a warning
      there) and every rule it could not run."""
    import page
    import pdfua

    report = page.validate_pdf_bytes(pdf, profile=page.ValidationProfile.PDF_UA_1)
    problems = [f"page-validation {f.rule_id}: {f.message}" for f in report.failures]
    if not report.is_compliant and not problems:
        problems.append("page-validation: not compliant")
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:  # pdfua reads a file
        file.write(pdf)
        file.flush()
        findings = pdfua.validate(file.name)
    problems += [
        f"pdfua {f.rule_id} {f.severity.name}: {f.message}"
        for f in findings.findings
        if f.severity >= pdfua.Severity.ERROR or f.rule_id == "UA-15-003"
    ]
    problems += [
        f"pdfua {o.rule_id} not run: {o.skipped_reason}" for o in findings.skipped if o.rule_id not in PDFUA_CANNOT_RUN
    ]
    return problems


# pdfua 0.1.3's empty-heading rule asks a pikepdf Array for `is_integer`, which raises ValueError with pikepdf 9
# and 10, so it cannot run on a heading whose /K is an array: every heading WeasyPrint writes. page-validation's
# profile checks the headings.
PDFUA_CANNOT_RUN = {"UA-14-001"}


def assert_accessible_pdf(pdf, *, keep_failing=False):
    """`pdf` passes both checkers; with `keep_failing`, a PDF that fails is kept in a file the message names."""
    problems = accessibility_problems(pdf)
    if problems and keep_failing:
        with tempfile.NamedTemporaryFile(prefix="failing-", suffix=".pdf", delete=False) as file:
            file.write(pdf)
        problems.append(f"(the PDF: {file.name})")
    assert not problems, "\n".join(problems)


def page_ink(pdf, *, dpi=30):
    """For each page of `pdf` as pdftoppm renders it in grey, the share of its body (between the top and bottom
    margins of the report styles, 22 and 20 mm, so without the running header and the page number) printed on."""
    top, bottom = round(22 / 25.4 * dpi), round(20 / 25.4 * dpi)
    shares = []
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "report.pdf"
        path.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-gray", "-r", str(dpi), str(path), str(Path(directory) / "page")], check=True)
        for image in sorted(Path(directory).glob("page-*.pgm")):  # numbered with leading zeros: sorted as pages
            _magic, size, _maxval, pixels = image.read_bytes().split(b"\n", 3)
            width, height = map(int, size.split())
            body = pixels[top * width : (height - bottom) * width]
            shares.append(sum(1 for value in body if value < 200) / len(body))
    return shares
