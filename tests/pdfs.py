"""Helpers for the tests of the views that render a PDF (plan/pdf.py): how many PDFs were rendered, and every
render slot of the process taken, as PDF_RENDER_CONCURRENCY requests rendering at once would hold them."""

import contextlib
import logging
import threading

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
