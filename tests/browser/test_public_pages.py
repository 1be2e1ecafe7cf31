"""A visitor without an account reads the plan from the login page's link: every public page, with the
keyboard and in English, and each one accessible (axe and the Nu validator)."""

import datetime

import pytest
import time_machine
from django.core.cache import cache
from playwright.sync_api import expect

from followup import services as followup_services
from tests.browser.conftest import assert_accessible, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def published(settings, plan, plan_admin):
    settings.PUBLIC_PAGES = True
    cache.clear()
    with time_machine.travel(datetime.datetime(2026, 2, 1, 12, tzinfo=datetime.UTC), tick=True):
        followup = followup_services.followup_open(
            revision=plan, year=2025, half=0, cut_off=datetime.date(2025, 12, 31), user=plan_admin
        )
        followup_services.followup_lock(followup=followup, user=plan_admin)
    return plan


def test_a_visitor_reads_the_plan_without_an_account(page, live_server, published):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="se planen utan att logga in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(published.plan.name)
    expect(page.get_by_role("heading", name="Var planen står")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "public-overview")

    page.get_by_role("link", name="1. ").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Strategi:")
    expect(page.get_by_role("columnheader", name="Svar")).to_be_visible()
    assert_accessible(page)

    main_menu = page.get_by_role("navigation", name="Huvudmeny")
    for name, heading in [
        ("Effektmått", "Effektmått"),
        ("Lokala arenor", "Lokala samverkansarenor"),
        ("Årsrapporter", "Årsrapporter"),
        ("Öppna data", "Öppna data"),
    ]:
        main_menu.get_by_role("link", name=name).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        expect(main_menu.get_by_role("link", name=name)).to_have_attribute("aria-current", "page")
        assert_accessible(page)
    screenshot(page, "public-open-data")

    page.goto(f"{live_server.url}/offentlig/rapporter/")
    href = page.get_by_role("link", name="Uppföljning 2025 (PDF)").get_attribute("href")
    report = page.request.get(f"{live_server.url}{href}")
    assert report.status == 200 and report.headers["content-type"] == "application/pdf"
    assert report.body().startswith(b"%PDF")


def test_the_language_and_the_staff_login_are_reached_with_the_keyboard(page, live_server, published):
    page.goto(f"{live_server.url}/offentlig/effektmatt/")
    english = page.get_by_role("link", name="English")
    english.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Effect measures")
    expect(page).to_have_url(f"{live_server.url}/offentlig/effektmatt/")
    assert_accessible(page)
    page.get_by_role("link", name="Log in (staff)").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/")
