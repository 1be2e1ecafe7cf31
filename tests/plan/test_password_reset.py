"""Resetting a forgotten password by e-mail: Django's flow, with a limit per address and per client."""

import datetime
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from plan import password_reset
from plan.models import PasswordResetRequest
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ADDRESS = "lena.ledare@example.se"
NEW_PASSWORD = "ett-nytt-långt-lösenord"


@pytest.fixture
def account(db):
    return UserFactory(username="lena", first_name="Lena", last_name="Ledare", email=ADDRESS)


def ask_for_reset(client, email, ip="192.0.2.1"):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=ip)


def reset_link(message):
    return re.search(r"https?://\S+/accounts/reset/\S+/", message.body).group(0)


def test_the_reset_pages_are_reachable_without_logging_in(client):
    assert client.get(reverse("password_reset")).status_code == 200
    assert client.get(reverse("password_reset_done")).status_code == 200
    assert client.get(reverse("password_reset_complete")).status_code == 200
    assert client.get(reverse("password_reset_confirm", args=["MQ", "set-password"])).status_code == 200


def test_the_login_page_links_to_the_reset(client):
    assert f'href="{reverse("password_reset")}"' in client.get(reverse("login")).content.decode()


def test_it_mails_a_link_in_text_and_html_to_the_address(client, account, mailoutbox):
    response = ask_for_reset(client, ADDRESS)

    assert response.status_code == 302 and response.url == reverse("password_reset_done")
    [message] = mailoutbox
    assert message.to == [ADDRESS]
    link = reset_link(message)
    assert link.startswith("http://testserver/accounts/reset/")
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert f'href="{link}"' in html
    settings_link = "http://testserver" + reverse("notification_settings")
    assert settings_link in message.body and settings_link in html
    assert "lena" in message.body  # the username, for the password manager's memory of the person
    assert "\n" not in message.subject


def test_the_mail_is_in_the_default_language_unless_the_user_chose_another(client, account, mailoutbox):
    ask_for_reset(client, ADDRESS)
    with translation.override(settings.LANGUAGE_CODE):
        assert mailoutbox[0].subject == f"{gettext('Reset your password')} – {gettext('Planuppföljning')}"

    account.language = "en"
    account.save()
    ask_for_reset(client, ADDRESS)
    assert mailoutbox[1].subject == "Reset your password – Planuppföljning"
    assert "The link can be used once, within 60 minutes." in mailoutbox[1].body


def test_the_link_sets_a_new_password_once(client, account, mailoutbox):
    ask_for_reset(client, ADDRESS)
    link = reset_link(mailoutbox[0])

    response = client.get(link)  # Django moves the token into the session and redirects
    assert response.status_code == 302
    form_url = response.url
    assert 'name="new_password1"' in client.get(form_url).content.decode()
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302 and response.url == reverse("password_reset_complete")
    account.refresh_from_db()
    assert account.check_password(NEW_PASSWORD)

    again = client.get(link, follow=True)
    assert again.status_code == 200
    assert 'name="new_password1"' not in again.content.decode()
    assert again.context["validlink"] is False


def test_a_new_password_that_is_too_short_is_explained_next_to_its_field(client, account, mailoutbox):
    ask_for_reset(client, ADDRESS)
    form_url = client.get(reset_link(mailoutbox[0])).url

    response = client.post(form_url, {"new_password1": "kort", "new_password2": "kort"})

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_new_password2_error"' in html
    field = re.search(r'<input[^>]*name="new_password2"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in field and "id_new_password2_error" in field


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, account, mailoutbox):
    known = ask_for_reset(client, ADDRESS)
    unknown = ask_for_reset(client, "ingen.alls@example.se")

    assert (unknown.status_code, unknown.url) == (known.status_code, known.url)
    assert len(mailoutbox) == 1


@pytest.mark.parametrize("change", [{"is_active": False}, {"password": "!unusable"}], ids=["inactive", "no password"])
def test_an_account_that_cannot_log_in_with_a_password_gets_no_mail(client, account, mailoutbox, change):
    for field, value in change.items():
        setattr(account, field, value)
    account.save()

    response = ask_for_reset(client, ADDRESS)

    assert response.status_code == 302 and response.url == reverse("password_reset_done")
    assert mailoutbox == []


def test_a_malformed_address_is_explained_next_to_the_field(client, mailoutbox):
    response = ask_for_reset(client, "inte-en-adress")

    assert response.status_code == 200
    error = re.search(r'<div id="id_email_error"[^>]*>(.*?)</div>', response.content.decode()).group(1)
    assert error == "Fyll i en giltig e-postadress."  # Django's own Swedish
    assert PasswordResetRequest.objects.count() == 0


def test_requests_for_one_address_stop_after_the_limit_with_the_same_answer(client, account, mailoutbox, caplog):
    for attempt in range(password_reset.LIMIT_PER_EMAIL):
        ask_for_reset(client, ADDRESS.upper() if attempt % 2 else ADDRESS, ip=f"192.0.2.{attempt + 1}")
    assert len(mailoutbox) == password_reset.LIMIT_PER_EMAIL

    with caplog.at_level("WARNING", logger="plan.password_reset"):
        response = ask_for_reset(client, ADDRESS, ip="198.51.100.7")

    assert response.status_code == 302 and response.url == reverse("password_reset_done")
    assert len(mailoutbox) == password_reset.LIMIT_PER_EMAIL
    [record] = caplog.records
    assert record.levelname == "WARNING" and "198.51.100.7" in record.getMessage()
    assert ADDRESS not in record.getMessage()  # the log keeps no address typed by a stranger


def test_requests_from_one_client_stop_after_the_limit(client, account, mailoutbox):
    for attempt in range(password_reset.LIMIT_PER_CLIENT):
        ask_for_reset(client, f"okand{attempt}@example.se")

    response = ask_for_reset(client, ADDRESS)

    assert response.status_code == 302 and response.url == reverse("password_reset_done")
    assert mailoutbox == []
    assert ask_for_reset(client, ADDRESS, ip="203.0.113.5").status_code == 302
    assert len(mailoutbox) == 1  # another client may still ask


def test_the_limit_counts_only_the_last_hour_and_old_requests_are_removed(client, account, mailoutbox):
    an_hour_ago = timezone.now() - password_reset.WINDOW - datetime.timedelta(seconds=1)
    PasswordResetRequest.objects.bulk_create(
        PasswordResetRequest(email=ADDRESS, ip_address="192.0.2.1", requested_at=an_hour_ago)
        for _attempt in range(password_reset.LIMIT_PER_EMAIL)
    )

    ask_for_reset(client, ADDRESS)

    assert len(mailoutbox) == 1
    assert PasswordResetRequest.objects.count() == 1
