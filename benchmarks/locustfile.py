"""Users at work, for locust (benchmarks/load.sh): each logs in once, then reads the pages a region's staff use
most, pausing 0.1–0.5 s between requests. The weights are how often each page is asked for.

    locust -f benchmarks/locustfile.py --headless -u 50 -r 10 -t 60s --host http://127.0.0.1:8000
"""

import itertools
import os
import random
import re

from locust import HttpUser, between, task

USER = os.environ.get("LOAD_USER", "benchmark")
ACCOUNTS = int(os.environ.get("LOAD_ACCOUNTS", "1"))  # more than 1: the users log in as USER-0, USER-1, ...
PASSWORD = os.environ.get("LOAD_PASSWORD", "benchmark-password-1")
STRATEGIES = [int(pk) for pk in os.environ.get("LOAD_STRATEGIES", "1").split(",")]
ACTIVITIES = [int(pk) for pk in os.environ.get("LOAD_ACTIVITIES", "1").split(",")]


class StaffMember(HttpUser):
    wait_time = between(0.1, 0.5)
    started = itertools.count()

    def on_start(self):
        username = USER if ACCOUNTS == 1 else f"{USER}-{next(self.started) % ACCOUNTS}"
        form = self.client.get("/accounts/login/", name="login form")
        self.keep_cookies_over_http()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
        data = {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token}
        with self.client.post(
            "/accounts/login/", data=data, name="log in", allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 302:
                response.failure(f"login refused ({response.status_code})")
        self.keep_cookies_over_http()

    def keep_cookies_over_http(self):
        """Production cookies are Secure; the load test talks plain HTTP to gunicorn on loopback (in production
        the TLS proxy is in front), so it sends them back regardless."""
        for cookie in self.client.cookies:
            cookie.secure = False

    @task(4)
    def dashboard(self):
        self.client.get("/lagesbild/", name="/lagesbild/")

    @task(3)
    def table(self):
        self.client.get("/tabell/", name="/tabell/")

    @task(2)
    def overview(self):
        self.client.get("/", name="/")

    @task(3)
    def strategy(self):
        self.client.get(f"/strategier/{random.choice(STRATEGIES)}/", name="/strategier/[id]/")

    @task(3)
    def activity(self):
        self.client.get(f"/aktiviteter/{random.choice(ACTIVITIES)}/", name="/aktiviteter/[id]/")

    @task(2)
    def recent_changes(self):
        self.client.get("/senaste-andringar/", name="/senaste-andringar/")

    @task(2)
    def effect_measures(self):
        self.client.get("/effektmatt/", name="/effektmatt/")

    @task(2)
    def local_arenas(self):
        self.client.get("/lokala-arenor/", name="/lokala-arenor/")

    @task(1)
    def my_activities(self):
        self.client.get("/mina-aktiviteter/", name="/mina-aktiviteter/")
