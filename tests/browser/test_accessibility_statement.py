"""The accessibility statement, from the footer of the login page, without logging in."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_statement_is_reached_from_the_login_pages_footer_and_is_accessible(page, live_server, plan):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="Tillgänglighetsredogörelse").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tillgänglighetsredogörelse")
    expect(
        page.get_by_role("link", name="report it to DIGG").or_(page.get_by_role("link", name="anmäla det till DIGG"))
    ).to_have_attribute("href", "https://www.digg.se/tdosanmalan")
    assert_accessible(page)
