"""PDF rendering shared by the reports: HTML + CSS Paged Media through WeasyPrint, tagged PDF/UA.

A render costs one to two seconds of a server's CPU, and most PDFs can be asked for by any logged-in reader,
so every view that serves a rendered PDF goes through `pdf_response` (or `cached_pdf`):

- the bytes are kept in Django's cache under a hash of the HTML they are made from (styles and charts are
  inline, so the HTML is everything the PDF shows) and the plan's language: the same content is rendered once,
  for as long as PDF_CACHE_SECONDS;
- at most PDF_RENDER_CONCURRENCY renders run at a time in a process; a request that finds no free slot within
  PDF_RENDER_WAIT seconds gets 503 with Retry-After, not a hung worker.

Every PDF is tagged PDF/UA-1, its table headers tied to their cells (`tie_table_headers`); the tests check each
kind with two PDF/UA checkers (tests/pdfs.py, `assert_accessible_pdf`).
"""

import hashlib
import logging
import math
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

_slots_lock = threading.Lock()
_slots = {}


class RenderBusy(Exception):
    """Every render slot of the process stayed taken for PDF_RENDER_WAIT seconds."""


def render_pdf(html):
    """The PDF of an HTML document (its <html lang> and <title> become the PDF's language and title). Render
    the HTML within plan.language.plan_language(): a report is written in the plan's language. Renders every
    time: views use cached_pdf() or pdf_response()."""
    from weasyprint import HTML  # imported here: loading Pango costs a quarter of a second

    document = HTML(string=html, base_url=str(settings.BASE_DIR))
    return document.write_pdf(pdf_variant="pdf/ua-1", finisher=tie_table_headers)


def tie_table_headers(_document, pdf):
    """Gives every table header cell (TH) the /Scope PDF/UA asks for, and the structure tree the /IDTree of the
    header cells' /IDs. A WeasyPrint finisher: it edits the pydyf objects before they are written, so it costs
    no second parse of the PDF.

    WeasyPrint 70 (weasyprint/pdf/tags.py) writes an /ID on every TH and, on every TD, the /Headers of its row
    and column: `<th scope="row">` heads its row, any other <th> its column. It writes no /Scope, no /IDTree,
    and ignores the HTML `headers` and `id` attributes (its issue 2508). So a TH named in the /Headers of a TD
    of its own row heads that row (/Scope /Row); every other TH heads its column (/Scope /Column)."""
    from pydyf import Array, Dictionary

    objects = pdf.objects
    header_ids = []
    for row in objects:
        if not isinstance(row, dict) or row.get("S") != "/TR":
            continue
        cells = [objects[int(kid.split()[0])] for kid in row["K"] if isinstance(kid, bytes)]
        row_headers = set()
        for cell in cells:
            if cell.get("S") == "/TD" and "A" in cell:
                headers = cell["A"].get("Headers")
                if headers:
                    row_headers.update(header.string for header in headers)
                elif headers is not None:
                    del cell["A"]["Headers"]  # a cell without any header says nothing
        for cell in cells:
            if cell.get("S") == "/TH":
                key = cell.get("ID")
                scope = "/Row" if key is not None and key.string in row_headers else "/Column"
                cell.setdefault("A", Dictionary({"O": "/Table"}))["Scope"] = scope
                if key is not None:
                    header_ids.append((key, cell.reference))
    if header_ids:
        # A name tree of one node, its keys in order (ISO 32000-1, 7.9.6): required once an element has an /ID.
        header_ids.sort(key=lambda item: item[0].string)
        tree = Dictionary({"Names": Array(item for pair in header_ids for item in pair)})
        pdf.add_object(tree)
        objects[int(pdf.catalog["StructTreeRoot"].split()[0])]["IDTree"] = tree.reference


def cache_key(html):
    digest = hashlib.sha256(f"{settings.LANGUAGE_CODE}\n{html}".encode()).hexdigest()
    return f"pdf:{digest}"


def render_slots():
    """The process's render slots: a semaphore of PDF_RENDER_CONCURRENCY, shared by every request thread."""
    size = settings.PDF_RENDER_CONCURRENCY
    with _slots_lock:
        if size not in _slots:
            _slots[size] = threading.BoundedSemaphore(size)
        return _slots[size]


def cached_pdf(html):
    """The PDF of `html`: from the cache when the same HTML was rendered before, else rendered in a free slot
    and cached. RenderBusy when no slot frees within PDF_RENDER_WAIT seconds."""
    key = cache_key(html)
    pdf = cache.get(key)
    if pdf is not None:
        return pdf
    slots = render_slots()
    if not slots.acquire(timeout=settings.PDF_RENDER_WAIT):
        logger.warning(
            "PDF refused: all %d render slots busy for %s s", settings.PDF_RENDER_CONCURRENCY, settings.PDF_RENDER_WAIT
        )
        raise RenderBusy
    try:
        # A request that waited for its slot may find the PDF rendered meanwhile by the one it waited for.
        pdf = cache.get(key)
        if pdf is None:
            started = time.monotonic()
            pdf = render_pdf(html)
            logger.info("PDF rendered in %.2f s (%d bytes)", time.monotonic() - started, len(pdf))
            cache.set(key, pdf, settings.PDF_CACHE_SECONDS)
        return pdf
    finally:
        slots.release()


def busy_response():
    """503 for a PDF that could not be rendered now: a plain message and when to try again."""
    message = _("Many reports are being made right now, so this one could not be made. Try again in a moment.")
    response = HttpResponse(message, content_type="text/plain; charset=utf-8", status=503)
    response["Retry-After"] = str(max(1, math.ceil(settings.PDF_RENDER_WAIT)))
    return response


def pdf_response(html, filename):
    """The PDF of `html` shown inline as `filename`, or busy_response() when the servers are busy."""
    try:
        pdf = cached_pdf(html)
    except RenderBusy:
        return busy_response()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
