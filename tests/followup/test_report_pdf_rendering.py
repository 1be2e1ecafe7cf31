"""The draft report's PDF is rendered once per content, and a server rendering too many PDFs answers 503."""

import datetime
import io

import pytest
from django.core.cache import cache
from pypdf import PdfReader

from followup import services
from followup.models import FollowUp
from followup.report import render_report_html
from plan.models import PlanRevision
from plan.pdf import cache_key
from tests.pdfs import all_render_slots_taken, assert_busy, renders, start_counting

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def counting(caplog):
    start_counting(caplog)


def open_followup(year, admin):
    revision = PlanRevision.objects.in_force().get()
    return services.followup_open(revision=revision, year=year, half=0, cut_off=datetime.date(year, 12, 31), user=admin)


@pytest.fixture
def followup(plan, plan_admin):
    return open_followup(2025, plan_admin)


def url(followup):
    return f"/uppfoljningar/{followup.pk}/rapport.pdf"


def pdf_text(pdf):
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())


def test_it_renders_a_draft_once_and_serves_the_same_bytes_again(reviewer_client, followup, caplog):
    first = reviewer_client.get(url(followup))
    second = reviewer_client.get(url(followup))

    assert first.status_code == second.status_code == 200
    assert second["Content-Type"] == "application/pdf"
    assert second["Content-Disposition"] == 'inline; filename="uppfoljning-2025-utkast.pdf"'
    assert renders(caplog) == 1
    assert second.content == first.content
    html = render_report_html(services.followup_content(followup), draft=True)
    assert cache.get(cache_key(html)) == first.content


def test_a_change_in_the_content_gives_a_new_pdf(reviewer_client, followup, plan_admin, caplog):
    before = reviewer_client.get(url(followup)).content
    services.followup_save_texts(
        followup=followup, user=plan_admin, summary="Året gick bra i hela länet.", narratives={}
    )

    after = reviewer_client.get(url(followup)).content

    assert renders(caplog) == 2
    assert after != before
    assert "Året gick bra i hela länet." in pdf_text(after) and "Året gick bra" not in pdf_text(before)


def test_a_request_beyond_the_limit_gets_503_with_retry_after_and_renders_nothing(
    reviewer_client, followup, settings, caplog
):
    settings.PDF_RENDER_WAIT = 0.2
    with all_render_slots_taken():
        assert_busy(reviewer_client.get(url(followup)))
    assert renders(caplog) == 0
    assert "PDF refused: all 2 render slots busy" in caplog.text

    assert reviewer_client.get(url(followup)).status_code == 200  # slots free again
    assert renders(caplog) == 1


def test_a_request_waits_for_a_slot_that_frees_within_the_wait(reviewer_client, followup, settings, caplog):
    settings.PDF_RENDER_CONCURRENCY, settings.PDF_RENDER_WAIT = 1, 10
    with all_render_slots_taken(release_after=0.3):
        response = reviewer_client.get(url(followup))
    assert response.status_code == 200 and renders(caplog) == 1


def test_a_cached_pdf_is_served_even_when_every_slot_is_taken(reviewer_client, followup, settings):
    settings.PDF_RENDER_WAIT = 0
    pdf = reviewer_client.get(url(followup)).content
    with all_render_slots_taken():
        response = reviewer_client.get(url(followup))
    assert response.status_code == 200 and response.content == pdf


def test_locking_while_the_servers_are_busy_gets_503_and_saves_nothing(client, plan_admin, settings):
    settings.PDF_RENDER_WAIT = 0
    followup = open_followup(2024, plan_admin)
    client.force_login(plan_admin)
    with all_render_slots_taken():
        assert_busy(client.post(f"/uppfoljningar/{followup.pk}/las/"))
    followup = FollowUp.objects.get(pk=followup.pk)
    assert (followup.state, followup.report_pdf, followup.content) == ("open", None, None)

    client.post(f"/uppfoljningar/{followup.pk}/las/")
    assert FollowUp.objects.get(pk=followup.pk).state == "locked"
