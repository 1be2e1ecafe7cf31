import datetime

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from tests.factories import PASSWORD
from tests.pages import page_text

pytestmark = pytest.mark.django_db


def log_in(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_logging_in_leads_to_the_landing_page(client, reviewer):
    response = log_in(client, reviewer.username, PASSWORD)
    assert response.status_code == 302 and response.url == "/start/"


def test_a_wrong_password_is_explained_and_the_username_kept(client, reviewer):
    response = log_in(client, reviewer.username, "fel")
    assert response.status_code == 200
    assert "Ange ett korrekt användarnamn och lösenord" in page_text(response)
    assert f'value="{reviewer.username}"' in response.content.decode()


def test_repeated_failures_lock_the_account_from_that_address_even_with_the_right_password(client, reviewer, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, reviewer.username, "fel")

    response = log_in(client, reviewer.username, PASSWORD)

    assert response.status_code == 429
    assert "För många misslyckade inloggningar" in page_text(response)
    assert client.get("/").status_code == 302  # not logged in


def test_a_few_failures_do_not_lock_anyone_out(client, reviewer, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, reviewer.username, "fel")
    assert log_in(client, reviewer.username, PASSWORD).status_code == 302


def test_logging_out_ends_the_session(client, reviewer):
    client.force_login(reviewer)
    assert client.get("/").status_code == 200
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_logout_is_not_possible_by_a_link_from_another_site(client, reviewer):
    client.force_login(reviewer)
    assert client.get("/accounts/logout/").status_code == 405


def test_a_session_expires(client, reviewer, settings):
    client.force_login(reviewer)
    assert settings.SESSION_COOKIE_AGE <= 8 * 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get("/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_csrf_is_enforced_on_writes(reviewer):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(reviewer)
    assert strict.post("/accounts/logout/").status_code == 403


def test_an_empty_login_form_says_what_is_missing(client):
    response = client.post("/accounts/login/", {"username": "", "password": ""})
    assert response.status_code == 200
    assert page_text(response).count("Detta fält måste fyllas i.") == 2


def test_a_project_leader_arriving_at_the_front_page_lands_on_their_activities(client, leader):
    response = client.post("/accounts/login/?next=/", {"username": leader.username, "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/mina-aktiviteter/"


def test_a_deeper_link_is_followed_after_login(client, leader):
    response = client.post(
        "/accounts/login/?next=/senaste-andringar/", {"username": leader.username, "password": PASSWORD}
    )
    assert response.url == "/senaste-andringar/"
