"""A local arena member keeps their column up to date; the steering group sees it on the county matrix."""

import pytest
from playwright.sync_api import expect

from plan.models import Organisation
from tests.browser.conftest import assert_accessible, log_in, screenshot
from tests.browser.test_status_update import field
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_member_updates_a_cell_and_the_reviewer_sees_it(browser, live_server, plan, reviewer):
    member = UserFactory(
        username="lokal",
        first_name="Lars",
        last_name="Lokal",
        role="Lokal samverkansarena",
        organisation=Organisation.objects.get(slug="ostersund"),
    )
    member_page = browser.new_context(locale="sv-SE", viewport={"width": 1400, "height": 900}).new_page()
    log_in(member_page, live_server, member, next_url="/lokala-arenor/")
    member_page.get_by_role("link", name="Östersund: Ej behandlad. Öppna dess historik").first.click()
    expect(member_page.get_by_role("heading", level=1)).to_have_text("Lokal samverkansarena Östersund")
    field(member_page, "Läge").select_option(label="Antagen i lokal plan")
    field(member_page, "Hur det går, eller varför den inte antas").fill("Med i lokala planen 2025")
    field(member_page, "Kontaktperson").fill("Eva Ek")
    member_page.get_by_role("button", name="Spara").click()
    expect(member_page.get_by_role("status")).to_contain_text("Sparat: Östersund")

    page = browser.new_context(locale="sv-SE", viewport={"width": 1400, "height": 900}).new_page()
    log_in(page, live_server, reviewer, next_url="/lokala-arenor/")
    page.goto(f"{live_server.url}/lokala-arenor/")
    expect(page.get_by_role("link", name="Östersund: Antagen i lokal plan. Öppna dess historik")).to_have_count(1)
    expect(page.get_by_role("link", name="Berg: Ej behandlad. Öppna dess historik")).to_have_count(22)
    assert_accessible(page)
    screenshot(page, "local-matrix")
    page.get_by_role("link", name="Östersund: Antagen i lokal plan. Öppna dess historik").click()
    expect(page.get_by_text("Med i lokala planen 2025").first).to_be_visible()
    expect(page.get_by_role("button", name="Spara")).to_have_count(0)
    assert_accessible(page)
