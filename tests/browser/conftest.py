from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.factories import PASSWORD

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results"
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
    "resultTypes": ["violations"],
}


def assert_accessible(page):
    results = Axe().run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, results.generate_report()


def screenshot(page, name):
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


def log_in(page, live_server, user, next_url="/"):
    page.goto(f"{live_server.url}{next_url}")
    page.get_by_label("Användarnamn").fill(user.username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.wait_for_load_state()


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "sv-SE", "viewport": {"width": 1280, "height": 900}}
