"""Nothing is readable without logging in: every URL of the app, as an anonymous visitor."""

import pytest
from django.urls import reverse

from activities.models import Activity
from strategies.models import Strategy

pytestmark = pytest.mark.django_db


def app_urls():
    return [
        reverse("overview"),
        reverse("strategy_detail", args=[Strategy.objects.first().pk]),
        reverse("activity_detail", args=[Activity.objects.first().pk]),
    ]


def test_every_page_redirects_anonymous_visitors_to_login(client):
    for url in app_urls():
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith("/accounts/login/?next="), url


def test_every_page_is_readable_for_any_logged_in_user(reviewer_client):
    for url in app_urls():
        assert reviewer_client.get(url).status_code == 200, url


def test_the_admin_requires_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response.url


def test_the_login_page_is_public(client):
    assert client.get("/accounts/login/").status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        reverse("password_reset"),
        reverse("password_reset_done"),
        reverse("password_reset_confirm", args=["MQ", "set-password"]),
        reverse("password_reset_complete"),
    ],
)
def test_the_password_reset_pages_are_public(client, url):
    assert client.get(url).status_code == 200
