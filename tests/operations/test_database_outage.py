"""The database server stopped under the application and started again (docs/OPERATIONS.md): meanwhile a page
answers at once with a short Swedish page saying the service is unavailable (503, Retry-After) and /healthz
answers 503; once the server is back, the same user's next request works, with nothing restarted."""

import logging
import os
import re
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager

import pytest
import requests
from django.conf import settings
from django.db import close_old_connections, connection
from django.test import Client
from django.urls import reverse

pytestmark = [pytest.mark.postgresql_only, pytest.mark.django_db(transaction=True)]

SWEDISH_PAGE = [
    '<html lang="sv">',
    "<title>Tillfälligt otillgänglig – Planuppföljning</title>",
    "Planuppföljning är tillfälligt otillgänglig",
    "Tjänsten når inte sin databas just nu",
]


def assert_the_unavailable_page(status, headers, text):
    assert status == 503
    assert headers["Retry-After"] == "30"
    assert "no-store" in headers["Cache-Control"]
    assert headers["Content-Type"].startswith("text/html")
    for part in SWEDISH_PAGE:
        assert part in text, part
    assert "Traceback" not in text and "OperationalError" not in text


def get(client, url):
    """A request as a WSGI server runs it: around it, Django's request_started and request_finished check a kept
    connection and close a broken one, which the test client leaves out (for tests inside one transaction)."""
    close_old_connections()
    response = client.get(url)
    close_old_connections()
    return response


def test_a_page_says_so_in_swedish_while_the_database_is_down_and_works_again_once_it_is_back(
    plan, reviewer, postgres_server, caplog
):
    client, load_balancer = Client(raise_request_exception=False), Client()
    client.force_login(reviewer)
    overview = reverse("overview")
    assert get(client, overview).status_code == 200  # the connection is open when the server stops

    with postgres_server.stopped():
        caplog.clear()
        started = time.monotonic()
        page = get(client, overview)  # the connection the server ended
        waited = time.monotonic() - started
        health = get(load_balancer, "/healthz")  # a new connection, refused
        errors = [record for record in caplog.records if record.levelno >= logging.ERROR]

    assert_the_unavailable_page(page.status_code, page.headers, page.content.decode())
    assert waited < 1, waited
    assert (health.status_code, health.content, health["Content-Type"]) == (
        503,
        b"database unavailable",
        "text/plain; charset=utf-8",
    )
    # Each request logged once, with the error.
    assert [(record.name, record.getMessage().split(":")[0]) for record in errors] == [
        ("plan.health", "The database is unavailable"),
        ("plan.health", "Health check"),
    ]
    assert errors[0].exc_info and errors[0].getMessage() == f"The database is unavailable: GET {overview}"

    assert get(client, overview).status_code == 200
    assert get(load_balancer, "/healthz").content == b"ok"


# Production as behind the TLS proxy: the proxy says the request came over HTTPS (BEHIND_TLS_PROXY=1).
OVER_HTTPS = {"X-Forwarded-Proto": "https"}


@contextmanager
def production_server():
    """gunicorn with production settings on the test database: DEBUG off, persistent connections with health
    checks (DB_CONN_MAX_AGE's default), one worker, so every request meets the same connection. Yields its URL
    and its log (standard error)."""
    db = connection.settings_dict
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "SECRET_KEY": settings.SECRET_KEY,  # the test's sessions are valid there
        "SITE_URL": "http://127.0.0.1",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DEBUG": "0",
        "BEHIND_TLS_PROXY": "1",
    }
    command = [sys.executable, "-m", "gunicorn", "plan.wsgi:application", "--bind", "127.0.0.1:0"]
    with tempfile.TemporaryFile("a+") as log:  # appended to by gunicorn, read here
        server = subprocess.Popen(command, cwd=settings.BASE_DIR, env=env, stdout=log, stderr=log)
        try:
            for _attempt in range(100):
                log.seek(0)
                if listening := re.search(r"Listening at: (http://\S+)", log.read()):
                    break
                if server.poll() is not None:
                    break
                time.sleep(0.1)
            if not listening:
                log.seek(0)
                pytest.fail(f"gunicorn did not start within 10 seconds: {log.read()}")
            yield listening.group(1), log
        finally:
            server.terminate()
            server.wait(timeout=10)


def test_a_production_server_recovers_by_itself(plan, reviewer, postgres_server):
    client = Client()
    client.force_login(reviewer)
    cookies = {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value}
    with production_server() as (url, log):

        def page():
            return requests.get(f"{url}{reverse('plan_json')}", cookies=cookies, headers=OVER_HTTPS, timeout=30)

        def health():
            # As a load balancer asks: over plain HTTP (not redirected to HTTPS), without a session.
            return requests.get(f"{url}/healthz", allow_redirects=False, timeout=30)

        assert page().status_code == 200
        assert (health().status_code, health().text) == (200, "ok")

        # A restart between two requests: the health check of the kept connection fails, and a new one is made.
        postgres_server.stop()
        postgres_server.start()
        assert page().status_code == 200

        with postgres_server.stopped():
            started = time.monotonic()
            unavailable = page()
            waited = time.monotonic() - started
            health_meanwhile = health()
        assert_the_unavailable_page(unavailable.status_code, unavailable.headers, unavailable.text)
        assert waited < 1, waited
        assert (health_meanwhile.status_code, health_meanwhile.text) == (503, "database unavailable")

        back = page()
        assert back.status_code == 200 and back.json()["format_version"] == 1
        assert health().text == "ok"

        log.seek(0)
        lines = log.read().splitlines()
    # Each request logged once: the page with its traceback, the check with its reason.
    errors = [line for line in lines if " ERROR " in line]
    assert len(errors) == 2 and all("plan.health" in line for line in errors), lines
    assert f"The database is unavailable: GET {reverse('plan_json')}" in errors[0]
    assert "Health check: the database does not answer" in errors[1]
    assert any(line.startswith("Traceback") for line in lines)
