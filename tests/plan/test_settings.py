import os
import subprocess
import sys

import pytest
from django.conf import settings

PRODUCTION_ENV = {
    "DATABASE_URL": "postgres://planuppfoljning:secret@db.example.se:5432/planuppfoljning",
    "SECRET_KEY": "x7#Qm2!vR9pL$kW4zT8&nB1^cY6@fH3*jD5%gS0(aE-uN+oP)iK=",
    "ALLOWED_HOSTS": "planuppfoljning.example.se",
    "DEBUG": "0",
    "SITE_URL": "https://planuppfoljning.example.se",
}


def run_manage(*args, env):
    # The tests' own DJANGO_ALLOW_ASYNC_UNSAFE (for Playwright) must not reach a production check.
    ignored = {*PRODUCTION_ENV, "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in ignored}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
    )


def test_the_deployment_check_passes_with_production_values():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_its_address_for_the_links_in_e_mail():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SITE_URL"}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "SITE_URL must be set" in result.stderr


def test_a_malformed_boolean_fails_loudly():
    result = run_manage("check", env={"DEBUG": "kanske"})
    assert result.returncode != 0
    assert "DEBUG must be 1/0" in result.stderr


@pytest.mark.parametrize("name", ["SESSION_COOKIE_HTTPONLY", "CSRF_COOKIE_HTTPONLY", "LANGUAGE_COOKIE_HTTPONLY"])
def test_cookies_are_not_readable_by_scripts(name):
    assert getattr(settings, name) is True


def test_every_page_requires_login_by_default():
    assert "django.contrib.auth.middleware.LoginRequiredMiddleware" in settings.MIDDLEWARE
    assert "django.middleware.csrf.CsrfViewMiddleware" in settings.MIDDLEWARE


def test_in_production_every_cookie_is_secure_http_only_and_same_site():
    names = [
        f"{kind}_COOKIE_{flag}"
        for kind in ("SESSION", "CSRF", "LANGUAGE")
        for flag in ("SECURE", "HTTPONLY", "SAMESITE")
    ]
    code = f"from django.conf import settings; print([getattr(settings, n) for n in {names!r}])"
    result = run_manage("shell", "-c", code, env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == str([True, True, "Lax"] * 3)
