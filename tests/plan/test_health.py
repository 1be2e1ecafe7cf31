"""/healthz, for load balancers (README.md, "Health check"): 200 "ok" without login when the application and its
database answer, 503 when the database does not (tests/operations/test_database_outage.py stops a real one)."""

import json
import os
import socket
import subprocess
import sys

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def test_it_answers_ok_without_login_and_sets_no_cookie(client):
    response = client.get("/healthz")
    assert (response.status_code, response.content) == (200, b"ok")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies


def test_it_answers_a_head_request_and_refuses_a_post(client):
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405


def run_in_production(script, directory, **env):
    """Runs `script` in `manage.py shell` with production settings (DEBUG off, so HTTPS redirects on), on an
    empty SQLite file in `directory` unless DATABASE_URL is given; returns the JSON it prints last."""
    production = {
        "DATABASE_URL": f"sqlite:///{directory / 'empty.sqlite3'}",
        "SECRET_KEY": "x7#Qm2!vR9pL$kW4zT8&nB1^cY6@fH3*jD5%gS0(aE-uN+oP)iK=",
        "ALLOWED_HOSTS": "plan.example.se",
        "SITE_URL": "https://plan.example.se",
        "DEBUG": "0",
        **env,
    }
    clean = {k: v for k, v in os.environ.items() if k not in {*production, "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=settings.BASE_DIR,
        env={**clean, **production},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


ASK = """
import json, time
from django.conf import settings
from django.test import Client
def ask(url, host="plan.example.se"):
    started = time.monotonic()
    response = Client(HTTP_HOST=host).get(url)
    return [response.status_code, response.content.decode()[:40], round(time.monotonic() - started, 1)]
print(json.dumps({"OPTIONS": settings.DATABASES["default"]["OPTIONS"], "health": ask("/healthz"),
                  "page": ask("/"), "by address": ask("/healthz", host="10.1.2.3")}))
"""


def test_in_production_it_answers_over_plain_http_to_a_host_it_serves(tmp_path):
    found = run_in_production(ASK, tmp_path)
    # A load balancer checks over HTTP; every other page is redirected to HTTPS.
    assert found["health"][:2] == [200, "ok"]
    assert found["page"][0] == 301
    # A Host the application does not serve is refused (ALLOWED_HOSTS): the check must send one it serves.
    assert found["by address"][0] == 400
    assert "connect_timeout" not in found["OPTIONS"]  # PostgreSQL's option, not SQLite's


def test_a_database_that_does_not_answer_fails_the_check_after_the_connect_timeout(tmp_path):
    with socket.socket() as black_hole:  # accepts connections (in the kernel's queue) and never answers
        black_hole.bind(("127.0.0.1", 0))
        black_hole.listen(8)
        port = black_hole.getsockname()[1]
        found = run_in_production(
            ASK, tmp_path, DATABASE_URL=f"postgres://app:app@127.0.0.1:{port}/app", DB_CONNECT_TIMEOUT="2"
        )
    assert found["OPTIONS"]["connect_timeout"] == 2
    status, text, seconds = found["health"]
    assert (status, text) == (503, "database unavailable")
    assert 1.5 <= seconds <= 5, seconds
