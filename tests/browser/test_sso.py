"""Logging in through the region's identity provider in Chromium: the first login and the waiting page, a project
leader's login, status update and logout at both ends, and the refusals a person can meet."""

import re

import pytest
from playwright.sync_api import expect

from plan.models import Organisation, User
from sso.models import Identity
from tests.browser.conftest import assert_accessible, screenshot
from tests.browser.test_status_update import field, open_update_form
from tests.conftest import SUBACTIVITY
from tests.factories import UserFactory
from tests.sso.oidc_provider import Provider

pytestmark = pytest.mark.django_db(transaction=True)

REGION_HSA = "SE2321000214-1234"


@pytest.fixture
def provider(settings):
    """The same provider as tests/sso/conftest.py's, which a sibling package cannot see."""
    with Provider() as running:
        settings.OIDC_PROVIDERS = [running.settings()]
        settings.OIDC_TIMEOUT = 2
        yield running


def start_login(page, live_server):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="Logga in med Regionens inloggning").click()


def authorize(page, sub):
    """At the provider's authorize page: the subject typed in and sent."""
    page.locator("input[name=sub]").fill(sub)
    page.get_by_role("button", name="Authorize", exact=True).click()


def sso_log_in(page, live_server, sub):
    start_login(page, live_server)
    authorize(page, sub)
    page.wait_for_url(re.compile(rf"^{re.escape(live_server.url)}/"))
    page.wait_for_load_state()


def test_the_first_login_creates_the_user_and_shows_the_waiting_page(page, live_server, plan, provider):
    provider.set_user("ny-person", given_name="Nina", family_name="Ny", email="nina@regionjh.se", hsa_org=REGION_HSA)
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.get_by_role("link", name="Logga in med Regionens inloggning")).to_be_visible()
    assert_accessible(page)

    sso_log_in(page, live_server, "ny-person")
    expect(page).to_have_url(f"{live_server.url}/behorighet-saknas/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Din behörighet väntar")
    expect(page.locator("main")).to_contain_text("Nina Ny (Region Jämtland Härjedalen)")
    assert_accessible(page)
    screenshot(page, "sso-access-pending")

    # Without a role, the plan stays out of sight: the start page sends back to the waiting page.
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/behorighet-saknas/")
    expect(page.locator("main")).not_to_contain_text(SUBACTIVITY)

    user = User.objects.get(identities__subject="ny-person")
    assert user.organisation == Organisation.objects.get(slug="region-jh")
    assert (user.first_name, user.email) == ("Nina", "nina@regionjh.se")
    assert not user.groups.exists()


def test_a_project_leader_logs_in_updates_a_status_and_logs_out_at_both_ends(
    page, live_server, plan, provider, subactivity, leader
):
    Identity.objects.create(user=leader, provider="region", subject="pl-1")
    provider.set_user("pl-1", given_name="Lena", family_name="Ledare", email="lena@regionjh.se", hsa_org=REGION_HSA)

    sso_log_in(page, live_server, "pl-1")
    page.get_by_role("link", name="Mina aktiviteter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mina aktiviteter")
    open_update_form(page)
    field(page, "Status").select_option(label="Klar")
    field(page, "Kommentar").fill("Antagen i Fredagsgruppen")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("status")).to_have_text(f"Sparat: ”{SUBACTIVITY}” har nu status ”Klar”.")

    # Logging out ends the application's session, then the provider's (RP-initiated logout), then back here.
    page.get_by_role("button", name="Logga ut").click()
    page.wait_for_url(f"{provider.url}/oauth2/end_session**")
    page.get_by_role("button", name="End session").click()
    page.wait_for_url(re.compile(rf"^{re.escape(live_server.url)}/accounts/login/(\?state=[^&]+)?$"))
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    expect(page.get_by_role("link", name="Logga in med Regionens inloggning")).to_be_visible()


@pytest.mark.parametrize(
    "case, message",
    [
        ("no-organisation", "Din organisation ingår inte"),
        ("nonce", "Inloggningen kunde inte bekräftas"),
        ("state", "Inloggningen kunde inte bekräftas"),
        ("down", "Regionens inloggning svarar inte just nu"),
        ("email-taken", "används redan av ett annat konto"),
    ],
)
def test_a_refused_login_explains_itself_in_swedish_and_changes_nobody(
    page, live_server, plan, provider, case, message
):
    other = UserFactory(username="lokal", email="person@regionjh.se")
    provider.set_user(
        "person",
        given_name="Per",
        email="person@regionjh.se" if case == "email-taken" else "per@regionjh.se",
        hsa_org="SE9999999999" if case == "no-organisation" else REGION_HSA,
    )
    if case in ("nonce", "state"):
        setattr(provider.faults, case, "fel")
    if case == "down":
        provider.stop_answering()
    users = list(User.objects.values_list("pk", "username", "email", "first_name").order_by("pk"))

    start_login(page, live_server)
    if case != "down":
        authorize(page, "person")
    expect(page.get_by_role("heading", level=1)).to_have_text("Du är inte inloggad")
    expect(page.get_by_role("alert")).to_contain_text(message)
    expect(page.get_by_role("link", name="Tillbaka till inloggningen")).to_be_visible()
    if case == "no-organisation":
        assert_accessible(page)
        screenshot(page, "sso-refused")

    assert list(User.objects.values_list("pk", "username", "email", "first_name").order_by("pk")) == users
    assert not Identity.objects.exists()
    other.refresh_from_db()
    assert other.email == "person@regionjh.se"
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
