"""Two application servers (gunicorn) on one PostgreSQL database, as behind a load balancer: a session made
through one is valid on the other, and two project leaders saving the same sub-activity through different
servers lose no update: the second is refused and shown the first's change (docs/DEPLOYMENT.md)."""

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager

import pytest
import requests
from django.conf import global_settings, settings
from django.db import connection

from activities.models import SubActivity
from tests.conftest import SUBACTIVITY
from tests.factories import PASSWORD

pytestmark = [pytest.mark.postgresql_only, pytest.mark.django_db(transaction=True)]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def app_server():
    db = connection.settings_dict
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "SECRET_KEY": "two-servers-test-key",  # every server of one installation has the same key
        "SITE_URL": f"http://127.0.0.1:{port}",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DEBUG": "1",  # static files from the finders; no HTTPS redirect on loopback
    }
    command = [sys.executable, "-m", "gunicorn", "plan.wsgi:application", "--bind", f"127.0.0.1:{port}"]
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile("w+") as log:
        server = subprocess.Popen(command, cwd=settings.BASE_DIR, env=env, stderr=log)
        try:
            yield wait_until_up(server, url, log)
        finally:
            server.terminate()
            server.wait(timeout=10)


def wait_until_up(server, url, log):
    for _attempt in range(100):
        try:
            requests.get(f"{url}/accounts/login/", timeout=1)
            return url
        except requests.ConnectionError:
            if server.poll() is not None:
                log.seek(0)
                pytest.fail(f"gunicorn did not start: {log.read()}")
            time.sleep(0.1)
    pytest.fail("gunicorn did not answer within 10 seconds")


def csrf_token(response):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text).group(1)


def log_in(session, url, user):
    form = session.get(f"{url}/accounts/login/")
    data = {"username": user.username, "password": PASSWORD, "csrfmiddlewaretoken": csrf_token(form)}
    response = session.post(f"{url}/accounts/login/", data=data, allow_redirects=False)
    assert response.status_code == 302, response.text


def update(session, url, sub, version, status, comment):
    form = session.get(f"{url}/delaktiviteter/{sub.pk}/uppdatera/")
    assert form.status_code == 200
    data = {
        "csrfmiddlewaretoken": csrf_token(form),
        "status": status,
        "status_text": comment,
        "answer": "ja",
        "comment": comment,
        "version": version,
    }
    return session.post(f"{url}/delaktiviteter/{sub.pk}/uppdatera/", data=data, allow_redirects=False)


def test_two_servers_share_sessions_and_lose_no_update(plan, region_activity, leader, settings):
    # The servers check passwords with the real hasher, not the tests' fast one.
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
    leader.set_password(PASSWORD)
    leader.save()
    sub = region_activity.subactivities.get(name=SUBACTIVITY)
    records_before = SubActivity.history.filter(id=sub.pk).count()
    with app_server() as first, app_server() as second:
        lena, lena_elsewhere, colleague = requests.Session(), requests.Session(), requests.Session()
        log_in(lena, first, leader)
        lena_elsewhere.cookies.update(lena.cookies)
        assert lena_elsewhere.get(f"{second}/mina-aktiviteter/", allow_redirects=False).status_code == 200

        log_in(colleague, second, leader)
        saved = update(lena, first, sub, sub.version, "klar", "Klar via server 1")
        refused = update(colleague, second, sub, sub.version, "avvaktar", "Avvaktar via server 2")

    assert saved.status_code == 302
    assert refused.status_code == 409 and "Klar via server 1" in refused.text
    sub.refresh_from_db()
    assert (sub.status, sub.status_text, sub.version) == ("klar", "Klar via server 1", 2)
    assert SubActivity.history.filter(id=sub.pk).count() == records_before + 1
