"""A reviewer reads the plan in Chromium: overview → strategy → activity, keyboard and axe-core checked."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, log_in, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_reviewer_reads_the_plan_from_overview_to_activity_history(page, live_server, plan, reviewer):
    log_in(page, live_server, reviewer)
    expect(page).to_have_url(f"{live_server.url}/lagesbild/")  # a reviewer lands on the dashboard
    page.get_by_role("link", name="Planen", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Gemensam plan för primärvårdsnivå i Jämtland Härjedalen")
    expect(page.get_by_text("5 strategier med 16 aktiviteter och 35 delaktiviteter.")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "overview")

    page.get_by_role("link", name="2. Ökad kontinuitet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Strategi: Ökad kontinuitet")
    expect(page.get_by_role("cell", name="Vid psykisk ohälsa övergång till vuxenblivande")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "strategy")

    page.get_by_role("link", name="Säkerställa kontinuitet för personer med funktionsnedsättning").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Säkerställa kontinuitet för personer med funktionsnedsättning"
    )
    expect(page.get_by_role("heading", name="Ändringshistorik")).to_be_visible()
    expect(page.get_by_text("Skapad: Rutin för läkarmedverkan vid LSS-boenden")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "activity")


def test_the_skip_link_is_the_first_stop_for_keyboard_users(page, live_server, plan, reviewer):
    log_in(page, live_server, reviewer)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Hoppa till innehållet")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()


def test_the_login_page_is_accessible_and_rejects_a_wrong_password(page, live_server, plan, reviewer):
    page.goto(f"{live_server.url}/")
    assert_accessible(page)
    page.get_by_label("Användarnamn").fill(reviewer.username)
    page.get_by_label("Lösenord").fill("fel-lösenord")
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.get_by_label("Användarnamn")).to_have_value(reviewer.username)
