"""The yearly report's PDF as accessible and tidy as the pages: both PDF/UA checkers pass it, its table headers
are tied to their cells, no page is without content, an empty narrative is said once and the totals once."""

import datetime
import io

import pikepdf
import pytest
from django.core.management import call_command
from django.http import HttpResponse
from django.utils import translation
from pypdf import PdfReader

from followup import services
from followup.models import FollowUp
from followup.report import render_report_html, render_report_pdf
from plan.models import Forum, PlanRevision
from strategies.models import Strategy
from tests.pages import page_text
from tests.pdfs import accessibility_problems, page_ink

pytestmark = pytest.mark.django_db


def sv(message, **values):
    """`message` in Swedish once translated (in English until then)."""
    with translation.override("sv"):
        return translation.gettext(message) % values if values else translation.gettext(message)


def pdf_text(pdf):
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())


def structure_elements(pdf, role):
    """Every structure element of `role` ("/TR" …) in the PDF's structure tree, in order."""
    found = []

    def walk(element):
        if isinstance(element, pikepdf.Array):
            for kid in element:
                walk(kid)
        elif isinstance(element, pikepdf.Dictionary) and "/S" in element:
            if element.S == role:
                found.append(element)
            if "/K" in element:
                walk(element.K)

    walk(pdf.Root.StructTreeRoot.K)
    return found


def test_the_demo_report_passes_both_checkers_and_has_no_page_without_content(settings):
    settings.EMBEDDED_DEMO = True
    call_command("load_demo_users", stdout=io.StringIO())
    call_command("load_demo_followup", stdout=io.StringIO())
    pdf = bytes(FollowUp.objects.get(year=2024).report_pdf)

    assert accessibility_problems(pdf) == []
    # pdftoppm's pages in grey: each holds more than a name or a dash between its running header and footer
    # (the arenas' narratives once left a page with "Östersund –" alone, 0.06 % of it printed on).
    ink = page_ink(pdf)
    assert len(ink) == len(PdfReader(io.BytesIO(pdf)).pages)
    assert [page for page, share in enumerate(ink, start=1) if share < 0.005] == []
    text = pdf_text(pdf)
    assert text.count(sv("Taken up, per arena")) == 1  # the matrix's totals once, after its last row
    assert text.count(sv("No narrative for the period.")) == 1  # no arena wrote one in the demo
    assert "Östersund –" not in text


def test_every_header_cell_heads_its_row_or_its_column_and_the_data_cells_name_theirs(plan, plan_admin):
    revision = PlanRevision.objects.in_force().get()
    followup = services.followup_open(
        revision=revision, year=2025, half=0, cut_off=datetime.date(2025, 12, 31), user=plan_admin
    )
    with pikepdf.open(io.BytesIO(render_report_pdf(services.followup_content(followup)))) as pdf:
        ids = {str(key) for key in pikepdf.NameTree(pdf.Root.StructTreeRoot.IDTree).keys()}
        rows = structure_elements(pdf, "/TR")
        assert len(rows) > 100
        for row in rows:
            cells = list(row.K)
            headers = [cell for cell in cells if cell.S == "/TH"]
            data = [cell for cell in cells if cell.S == "/TD"]
            for header in headers:
                assert str(header.ID) in ids
                # <th scope="row"> beside data cells heads its row; a row of headers heads the columns below.
                assert header.A.Scope == ("/Row" if data else "/Column")
            for cell in data:
                assert {str(key) for key in cell.A.get("/Headers", [])} <= ids


def test_a_header_cell_without_a_scope_fails_the_check():
    """The check finds what WeasyPrint alone writes: header cells with an /ID but no /Scope."""
    from plan.pdf import render_pdf

    html = (
        '<html lang="sv"><head><title>Tabell</title></head><body><table>'
        '<thead><tr><th scope="col">Arena</th><th scope="col">Antagna</th></tr></thead>'
        '<tbody><tr><th scope="row">Berg</th><td>3</td></tr></tbody></table></body></html>'
    )
    pdf = render_pdf(html)
    assert accessibility_problems(pdf) == []
    with pikepdf.open(io.BytesIO(pdf)) as document:
        for header in structure_elements(document, "/TH"):
            del header.A.Scope
        unscoped = io.BytesIO()
        document.save(unscoped)

    assert [p for p in accessibility_problems(unscoped.getvalue()) if p.startswith("pdfua UA-15-003")]


def test_an_empty_narrative_is_left_out_and_the_arenas_without_one_are_named_once(plan, plan_admin):
    revision = PlanRevision.objects.in_force().get()
    followup = services.followup_open(
        revision=revision, year=2025, half=0, cut_off=datetime.date(2025, 12, 31), user=plan_admin
    )
    second = Strategy.objects.get(revision=revision, number=2)
    ostersund = Forum.objects.get(slug="lokal-ostersund")
    services.followup_save_texts(
        followup=followup,
        user=plan_admin,
        summary="",
        narratives={second: {"went_well": "De fasta kontakterna kom på plats.", "late_and_why": "", "next_steps": ""}},
        arena_narratives={ostersund: "Östersund har antagit sin lokala plan."},
    )

    content = services.followup_content(followup)
    text = page_text(HttpResponse(render_report_html(content)))

    assert f"{sv('What went well')} De fasta kontakterna kom på plats." in text
    assert text.count(sv("What went well")) == 1 and sv("What comes next") not in text
    assert text.count(sv("No narrative for the period.")) == 4  # strategies 1, 3, 4 and 5
    assert "Östersund Östersund har antagit sin lokala plan." in text
    others = ", ".join(name for name in content["local_arenas"]["arenas"] if name != "Östersund")
    assert text.count(sv("No narrative for the period from %(arenas)s.", arenas=others)) == 1
    assert " –" not in text.split(sv("The arenas' narratives"), 1)[1]
