"""Logging out of both, roles from a group claim, the login page with and without local passwords, the
admin's view of a user's provider, and the providers configured from the environment."""

import os
import subprocess
import sys
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings as django_settings

from plan.models import User
from sso.models import Identity
from tests.factories import PASSWORD, UserFactory
from tests.sso.test_sso_flow import REGION_HSA, log_in


def test_logging_out_ends_the_session_and_the_providers(client, plan, provider):
    provider.set_user("anna", email="anna@regionjh.se", hsa_org=REGION_HSA)
    log_in(client, "anna")
    id_token = client.session["sso_id_token"]
    response = client.post("/accounts/logout/")
    assert "_auth_user_id" not in client.session
    end = urlsplit(response["Location"])
    assert f"{end.scheme}://{end.netloc}{end.path}" == f"{provider.url}/oauth2/end_session"
    query = parse_qs(end.query)
    assert query["id_token_hint"] == [id_token]
    assert query["post_logout_redirect_uri"] == ["http://testserver/accounts/login/"]


def test_a_local_logout_goes_back_to_the_login_page(client, plan, provider):
    client.force_login(UserFactory(username="lokal"))
    assert client.post("/accounts/logout/")["Location"] == "/accounts/login/"


def test_roles_mapped_from_a_group_claim_are_added_at_login(client, plan, provider, settings):
    settings.OIDC_PROVIDERS = [
        provider.settings(role_claim="groups", role_map={"plan-projektledare": "Projektledare", "x": "Okänd"})
    ]
    provider.set_user("per", email="per@regionjh.se", hsa_org=REGION_HSA, groups=["plan-projektledare", "x"])
    log_in(client, "per")
    user = User.objects.get(identities__subject="per")
    assert set(user.groups.values_list("name", flat=True)) == {"Projektledare"}
    assert client.get("/mina-aktiviteter/").status_code == 200


def test_the_login_page_offers_the_providers_and_without_local_passwords_only_them(client, plan, provider, settings):
    html = client.get("/accounts/login/").content.decode()
    assert "Logga in med Regionens inloggning" in html and 'name="password"' in html
    settings.LOCAL_LOGIN = False
    html = client.get("/accounts/login/").content.decode()
    assert "Logga in med Regionens inloggning" in html and 'name="password"' not in html
    UserFactory(username="lokal")
    assert client.post("/accounts/login/", {"username": "lokal", "password": PASSWORD}).status_code == 403
    assert "_auth_user_id" not in client.session
    assert client.get("/accounts/password_reset/").status_code == 404


def test_the_admin_shows_each_users_provider_and_subject(client, plan, provider, plan_admin):
    provider.set_user("anna", email="anna@regionjh.se", hsa_org=REGION_HSA)
    log_in(client, "anna")
    user = Identity.objects.get(subject="anna").user
    client.force_login(plan_admin)
    assert "region" in client.get("/admin/plan/user/").content.decode()
    page = client.get(f"/admin/plan/user/{user.pk}/change/").content.decode()
    assert "anna" in page and "region" in page


def run_check(env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("OIDC_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from django.conf import settings; print(settings.OIDC_PROVIDERS)",
        ],
        cwd=django_settings.BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
    )


def test_a_provider_is_configured_from_the_environment_alone():
    result = run_check(
        {
            "OIDC_PROVIDERS": "entra",
            "OIDC_ENTRA_NAME": "Microsoft Entra ID",
            "OIDC_ENTRA_DISCOVERY_URL": "https://login.microsoftonline.com/tenant/v2.0/.well-known/openid-configuration",
            "OIDC_ENTRA_CLIENT_ID": "abc",
            "OIDC_ENTRA_CLIENT_SECRET": "hemligt",
            "OIDC_ENTRA_ORGANISATION_CLAIM": "tid",
            "OIDC_ENTRA_ROLE_CLAIM": "groups",
            "OIDC_ENTRA_ROLE_MAP": "g1=Projektledare,g2=Granskare",
        }
    )
    assert result.returncode == 0, result.stderr
    assert "'name': 'Microsoft Entra ID'" in result.stdout
    assert "'role_map': {'g1': 'Projektledare', 'g2': 'Granskare'}" in result.stdout


@pytest.mark.parametrize("missing", ["OIDC_ENTRA_CLIENT_SECRET", "OIDC_ENTRA_ORGANISATION_CLAIM"])
def test_a_provider_missing_a_setting_stops_the_start(missing):
    env = {
        "OIDC_PROVIDERS": "entra",
        "OIDC_ENTRA_DISCOVERY_URL": "https://idp.example.se",
        "OIDC_ENTRA_CLIENT_ID": "abc",
        "OIDC_ENTRA_CLIENT_SECRET": "hemligt",
        "OIDC_ENTRA_ORGANISATION_CLAIM": "tid",
    }
    del env[missing]
    result = run_check(env)
    assert result.returncode != 0
    assert missing in result.stderr


def test_the_admin_logs_in_through_the_applications_login_page(client, settings):
    settings.LOCAL_LOGIN = False
    response = client.get("/admin/login/?next=/admin/plan/user/")
    assert response["Location"] == "/accounts/login/?next=/admin/plan/user/"
    assert client.post("/admin/login/", {"username": "x", "password": "y"}).status_code == 302
