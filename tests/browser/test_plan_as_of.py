"""A reviewer looks at the plan as of a past date by keyboard, and follows it to a strategy; axe-core checked."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, log_in, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_reviewer_reaches_the_plan_of_a_past_date_by_keyboard(page, live_server, plan, reviewer):
    log_in(page, live_server, reviewer, next_url="/")
    page.goto(f"{live_server.url}/")
    date = page.locator("#id_datum")
    date.focus()
    date.fill("2025-03-12")
    date.press("Enter")

    expect(page).to_have_url(re.compile(r"/\?datum=2025-03-12$"))
    expect(page.locator(".alert-warning[role=status]")).to_contain_text("2025")
    assert_accessible(page)
    screenshot(page, "overview-as-of")

    page.get_by_role("link", name="2. Ökad kontinuitet").click()
    expect(page).to_have_url(re.compile(r"/strategier/\d+/\?datum=2025-03-12$"))
    expect(page.locator("a[href*='/uppdatera/']")).to_have_count(0)
    assert_accessible(page)
    screenshot(page, "strategy-as-of")


def test_an_invalid_date_is_announced_next_to_the_field(page, live_server, plan, reviewer):
    log_in(page, live_server, reviewer, next_url="/?datum=2025-02-30")
    page.goto(f"{live_server.url}/?datum=2025-02-30")
    expect(page.locator("#id_datum")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_datum_error")).to_be_visible()
    assert_accessible(page)
