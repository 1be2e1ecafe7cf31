"""A plan administrator plans Fredagsgruppen's meetings and records a decision in Chromium; the meeting pack,
the settings and the password reset are accessible."""

import datetime
import re
import subprocess

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from meetings.models import Decision, Meeting
from plan.models import Forum
from tests.browser.conftest import assert_accessible, log_in, screenshot
from tests.browser.test_status_update import field

pytestmark = pytest.mark.django_db(transaction=True)


def numbered(subactivity):
    """A delaktivitet as the decision form and the meeting page name it: "2.3.1 Name"."""
    activity = subactivity.activity
    return f"{activity.strategy.number}.{activity.number}.{subactivity.number} {subactivity.name}"


def test_an_administrator_plans_a_meeting_and_records_a_decision_on_a_delaktivitet(
    page, live_server, plan, plan_admin, subactivity
):
    log_in(page, live_server, plan_admin, next_url="/forum/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Forum och möten")
    assert_accessible(page)
    page.get_by_role("link", name="Fredagsgruppen", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fredagsgruppen")
    form = page.get_by_role("region", name="Planera ett möte")
    expect(page.get_by_role("region", name="Planera en serie möten")).to_be_visible()
    assert_accessible(page)

    # A meeting in the past: the error is tied to the date field, and nothing is created.
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    field(form, "Datum").fill(yesterday.isoformat())
    field(form, "Tid").fill("10:00")
    form.get_by_role("button", name="Planera mötet").click()  # locators are lazy: they find the new page's form
    expect(field(form, "Datum")).to_have_attribute("aria-invalid", "true")
    expect(field(form, "Datum")).to_have_accessible_description(re.compile("Mötet kan inte ligga bakåt i tiden."))
    expect(form.get_by_role("alert")).to_contain_text("Datum: Mötet kan inte ligga bakåt i tiden.")
    assert not Meeting.objects.exists()
    assert_accessible(page)

    # A series without an end.
    series = page.get_by_role("region", name="Planera en serie möten")
    field(series, "Första mötet").fill((timezone.localdate() + datetime.timedelta(days=14)).isoformat())
    series.get_by_role("button", name="Planera serien").click()
    expect(field(series, "Sista datum")).to_have_accessible_description(
        re.compile("Ange datumet då serien slutar: en serie behöver ett slut.")
    )
    assert not Meeting.objects.exists()

    # A week ahead, typed in and sent with the keyboard.
    day = timezone.localdate() + datetime.timedelta(days=7)
    field(form, "Datum").fill(day.isoformat())
    field(form, "Tid").fill("10:00")
    field(form, "Plats eller länk").fill("Rum Storsjön")
    field(form, "Plats eller länk").press("Enter")
    expect(page.get_by_role("status").filter(has_text="är planerat")).to_have_text(f"Mötet {day} 10:00 är planerat.")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Fredagsgruppen: {day} 10:00")
    meeting = Meeting.objects.get()
    assert (meeting.forum.slug, meeting.place) == ("fredagsgruppen", "Rum Storsjön")
    assert timezone.localtime(meeting.starts_at) == timezone.make_aware(
        datetime.datetime.combine(day, datetime.time(10))
    )
    expect(page.get_by_role("heading", name="Flytta eller ställ in mötet")).to_be_visible()
    assert_accessible(page)

    decisions = page.get_by_role("region", name="Beslut")
    decisions.get_by_text("Protokollför ett beslut", exact=True).click()
    decisions.get_by_role("textbox", name=re.compile("^Beslut")).fill("Handlingsplanen för fasta kontakter antas.")
    field(decisions, "Berörda delaktiviteter").select_option(label=numbered(subactivity))
    decisions.get_by_role("button", name="Protokollför beslutet").click()
    expect(page.get_by_role("status")).to_have_text("Beslutet är protokollfört.")
    expect(decisions.get_by_role("listitem")).to_contain_text("Handlingsplanen för fasta kontakter antas.")
    assert list(Decision.objects.get().subactivities.all()) == [subactivity]
    screenshot(page, "meeting-decision")

    decisions.get_by_role("link", name=numbered(subactivity)).click()
    expect(page).to_have_url(f"{live_server.url}/delaktiviteter/{subactivity.pk}/historik/")
    history = page.get_by_role("region", name="Beslut")
    expect(history).to_contain_text("Handlingsplanen för fasta kontakter antas.")
    history.get_by_role("link", name=f"Fredagsgruppen {day}").click()
    expect(page).to_have_url(f"{live_server.url}/moten/{meeting.pk}/")


def test_the_meeting_pack_page_and_pdf_and_the_settings(page, live_server, plan, plan_admin, subactivity, tmp_path):
    forum = Forum.objects.get(slug="fredagsgruppen")
    starts_at = timezone.make_aware(
        datetime.datetime.combine(timezone.localdate() + datetime.timedelta(days=7), datetime.time(9))
    )
    meeting = Meeting.objects.create(forum=forum, starts_at=starts_at, place="Rum Storsjön")
    day = timezone.localtime(starts_at).date()

    log_in(page, live_server, plan_admin, next_url=f"/moten/{meeting.pk}/")
    page.get_by_role("link", name="Mötesunderlag", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Mötesunderlag: Fredagsgruppen {day} 09:00")
    assert_accessible(page)
    screenshot(page, "meeting-pack")

    response = page.request.get(f"{live_server.url}/moten/{meeting.pk}/underlag.pdf")
    assert response.ok
    assert response.headers["content-type"] == "application/pdf"
    pdf = tmp_path / "underlag.pdf"
    pdf.write_bytes(response.body())
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert f"Mötesunderlag: Fredagsgruppen {day}" in " ".join(text.split())

    page.goto(f"{live_server.url}/installningar/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mina inställningar")
    expect(page.get_by_role("checkbox")).to_have_count(2)
    assert_accessible(page)


def test_the_password_reset_is_accessible_when_logged_out(page, live_server, plan):
    page.goto(f"{live_server.url}/accounts/password_reset/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Återställ lösenord")
    assert_accessible(page)
    page.get_by_role("textbox").fill("planadmin@example.se")
    page.get_by_role("button", name="Skicka länken").click()
    expect(page).to_have_url(f"{live_server.url}/accounts/password_reset/done/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Titta i din e-post")
    assert_accessible(page)
