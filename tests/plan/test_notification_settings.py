"""My settings: a user changes their own e-mail address, language and e-mail choices, and nobody else's."""

import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils.translation import gettext

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("notification_settings")


def settings_data(**changes):
    return {"email": "ny.adress@example.se", "language": "en", "reminder_emails": "", **changes}


@pytest.fixture
def other_user(db):
    return UserFactory(username="granne", email="granne@example.se", language="", reminder_emails=True)


def test_it_shows_the_own_settings(reviewer_client, reviewer):
    reviewer.email = "granskare@example.se"
    reviewer.save()

    response = reviewer_client.get(URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="granskare@example.se"' in html
    for name in ("email", "language", "reminder_emails", "meeting_pack_emails"):
        assert f'for="id_{name}"' in html, name  # a label for each field


def test_it_saves_the_own_settings_and_says_so(reviewer_client, reviewer, other_user):
    response = reviewer_client.post(URL, settings_data(meeting_pack_emails="on"))

    assert response.status_code == 302 and response.url == URL
    reviewer.refresh_from_db()
    assert (reviewer.email, reviewer.language, reviewer.reminder_emails, reviewer.meeting_pack_emails) == (
        "ny.adress@example.se",
        "en",
        False,
        True,
    )
    assert [str(m) for m in get_messages(response.wsgi_request)] == [gettext("Your settings are saved.")]


def test_it_changes_nobody_else_and_nothing_else(reviewer_client, reviewer, other_user):
    before = (reviewer.username, reviewer.first_name, reviewer.is_staff, reviewer.is_active)

    reviewer_client.post(URL, settings_data(id=other_user.pk, username="kapad", is_staff="on", is_superuser="on"))

    other_user.refresh_from_db()
    assert (other_user.email, other_user.language, other_user.reminder_emails) == ("granne@example.se", "", True)
    reviewer.refresh_from_db()
    assert (reviewer.username, reviewer.first_name, reviewer.is_staff, reviewer.is_active) == before
    assert not reviewer.is_superuser
    assert reviewer.email == "ny.adress@example.se"


def test_a_malformed_address_is_explained_next_to_the_field_and_nothing_is_saved(reviewer_client, reviewer):
    response = reviewer_client.post(URL, settings_data(email="inte-en-adress"))

    assert response.status_code == 200
    html = response.content.decode()
    error = re.search(r'<div id="id_email_error"[^>]*>(.*?)</div>', html).group(1)
    assert error == "Fyll i en giltig e-postadress."  # Django's own Swedish
    field = re.search(r'<input[^>]*name="email"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in field and "id_email_error" in field
    reviewer.refresh_from_db()
    assert reviewer.language == ""


def test_the_default_language_may_be_chosen_again(reviewer_client, reviewer):
    reviewer.language = "en"
    reviewer.save()

    reviewer_client.post(URL, settings_data(language=""))

    reviewer.refresh_from_db()
    assert reviewer.language == ""


def test_an_unknown_language_is_refused(reviewer_client, reviewer):
    response = reviewer_client.post(URL, settings_data(language="de"))

    assert response.status_code == 200 and 'id="id_language_error"' in response.content.decode()


def test_the_page_requires_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_a_write_needs_the_csrf_token(reviewer):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(reviewer)
    assert strict.post(URL, settings_data()).status_code == 403


def test_every_page_links_to_it_from_the_menu(reviewer_client):
    assert f'href="{URL}"' in reviewer_client.get(reverse("overview")).content.decode()
