"""Logging in through an identity provider, at the level of HTTP: the application against a real provider."""

import datetime
import logging
from urllib.parse import urlsplit

import pytest
import requests
from django.contrib.auth.models import Group

from plan.models import Organisation, User
from sso.models import Identity
from tests.factories import UserFactory
from tests.sso.oidc_provider import Provider

REGION_HSA = "SE2321000214-abcd"


def start(client, provider_id="region"):
    response = client.get(f"/accounts/oidc/{provider_id}/login/")
    assert response.status_code == 302, response.content
    return response["Location"]


def authorize(authorize_url, sub):
    response = requests.post(authorize_url, data={"sub": sub}, allow_redirects=False, timeout=10)
    assert response.status_code == 302, response.text
    return response.headers["Location"]


def log_in(client, sub):
    callback = authorize(start(client), sub)
    parts = urlsplit(callback)
    return client.get(f"{parts.path}?{parts.query}")


@pytest.fixture
def person(provider):
    provider.set_user(
        "anna-123", given_name="Anna", family_name="Andersson", email="anna@regionjh.se", hsa_org=REGION_HSA
    )
    return "anna-123"


def test_the_first_login_creates_the_user_with_the_mapped_organisation(client, plan, provider, person):
    response = log_in(client, person)
    assert response.status_code == 302
    identity = Identity.objects.get(provider="region", subject=person)
    user = identity.user
    assert (user.first_name, user.last_name, user.email) == ("Anna", "Andersson", "anna@regionjh.se")
    assert user.organisation == Organisation.objects.get(slug="region-jh")
    assert not user.has_usable_password()
    assert not user.groups.exists()
    # Without a role: only the page that says access is waiting.
    page = client.get("/", follow=True)
    assert page.redirect_chain[-1][0] == "/behorighet-saknas/"
    assert "Din behörighet väntar" in page.content.decode()


def test_a_later_login_updates_name_and_email_but_never_the_roles(client, plan, provider, person):
    log_in(client, person)
    user = User.objects.get(identities__subject=person)
    user.groups.add(Group.objects.get(name="Projektledare"))
    client.logout()
    provider.set_user(person, given_name="Anna", family_name="Berg", email="anna.berg@regionjh.se", hsa_org=REGION_HSA)
    log_in(client, person)
    user.refresh_from_db()
    assert (user.last_name, user.email) == ("Berg", "anna.berg@regionjh.se")
    assert set(user.groups.values_list("name", flat=True)) == {"Projektledare"}
    assert User.objects.filter(identities__provider="region").count() == 1


@pytest.mark.parametrize(
    "claims, message",
    [
        ({"email": "x@kommun.se", "hsa_org": "SE9999999999"}, "Din organisation ingår inte"),
        ({"email": "x@kommun.se"}, "(hsa_org saknas)"),
    ],
)
def test_claims_that_give_no_organisation_are_refused_and_create_nobody(
    client, plan, provider, claims, message, caplog
):
    provider.set_user("okand", **claims)
    users = User.objects.count()
    with caplog.at_level(logging.WARNING, logger="sso"):
        response = log_in(client, "okand")
    assert response.status_code == 403
    assert message in response.content.decode()
    assert "Login through region refused" in caplog.text
    assert User.objects.count() == users and not Identity.objects.exists()


def test_an_email_of_another_account_is_refused(client, plan, provider, person):
    UserFactory(username="lokal", email="anna@regionjh.se")
    response = log_in(client, person)
    assert response.status_code == 403
    assert "används redan av ett annat konto" in response.content.decode()
    assert not Identity.objects.exists()


def test_a_deactivated_user_gets_no_access(client, plan, provider, person):
    log_in(client, person)
    user = User.objects.get(identities__subject=person)
    user.is_active = False
    user.save()
    client.logout()
    response = log_in(client, person)
    assert response.status_code == 403
    assert "avstängt" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("fault", ["nonce", "audience", "wrong_keys", "state"])
def test_a_token_that_does_not_check_out_is_refused(client, plan, provider, person, fault, caplog):
    setattr(provider.faults, fault, True if fault == "wrong_keys" else "inte-den-ratta")
    with caplog.at_level(logging.WARNING, logger="sso"):
        response = log_in(client, person)
    assert response.status_code == 400
    assert "Inloggningen kunde inte bekräftas" in response.content.decode()
    assert "Login through region refused" in caplog.text
    assert not Identity.objects.exists() and "_auth_user_id" not in client.session


def test_a_replayed_callback_is_refused(client, plan, provider, person):
    callback = authorize(start(client), person)
    parts = urlsplit(callback)
    assert client.get(f"{parts.path}?{parts.query}").status_code == 302
    client.logout()
    response = client.get(f"{parts.path}?{parts.query}")
    assert response.status_code == 400
    assert Identity.objects.count() == 1


def test_an_expired_token_is_refused(client, plan, settings):
    with Provider(access_token_max_age=datetime.timedelta(minutes=-10)) as expired:
        settings.OIDC_PROVIDERS = [expired.settings()]
        expired.set_user("anna-123", email="anna@regionjh.se", hsa_org=REGION_HSA)
        response = log_in(client, "anna-123")
    assert response.status_code == 400
    assert not Identity.objects.exists()


def test_a_provider_that_is_down_or_slow_gets_a_clear_page(client, plan, provider, caplog):
    provider.faults.delay = 3
    with caplog.at_level(logging.WARNING, logger="sso"):
        response = client.get("/accounts/oidc/region/login/")
    assert response.status_code == 502
    assert "svarar inte just nu" in response.content.decode()
    provider.faults.delay = 0
    provider.stop_answering()
    response = client.get("/accounts/oidc/region/login/")
    assert response.status_code == 502
    assert "cannot be reached" in caplog.text
