"""The backup drill of docs/OPERATIONS.md: the database dumped with pg_dump, restored with pg_restore into a new
database, and checked there as the procedure says, by its check script and by the application itself: the same
plan, the same history and byte for byte the same stored reports."""

import datetime
import hashlib
import json
import os
import sys

import pytest
import time_machine
from django.conf import settings
from django.db import connection

from activities.models import SubActivity
from activities.services import subactivity_update_status
from followup.services import followup_lock, followup_open
from tests.operations.conftest import run

pytestmark = [pytest.mark.postgresql_only, pytest.mark.django_db(transaction=True)]

# What a user of the restored application sees: the plan (its JSON export, less the moment it was made), the
# history of the delaktiviteter and the stored reports.
APPLICATION_VIEW = """
import hashlib, json
from django.test import Client
from activities.models import SubActivity
from followup.models import FollowUp
from plan.models import User
client = Client()
client.force_login(User.objects.get(username="granskare"))
plan = client.get("/api/plan.json").json()
del plan["generated_at"]
history = SubActivity.history.order_by("-history_date", "-history_id")
latest = history.values_list("history_date", "id", "status", "history_user__username", "history_change_reason")[:5]
print(json.dumps({
    "plan": plan,
    "history": {"count": history.count(), "latest": [[str(v) for v in record] for record in latest]},
    "reports": {f.pk: hashlib.sha256(f.report_pdf).hexdigest() for f in FollowUp.objects.exclude(report_pdf=None)},
}))
"""


def database_url(name):
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{name}"


def application_view(name):
    """APPLICATION_VIEW, run by the application configured for database `name` alone, as after a restore."""
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DATABASE_URL": database_url(name),
        "SECRET_KEY": "restored-application",
        "SITE_URL": "http://testserver",
        "ALLOWED_HOSTS": "testserver",
        "DEBUG": "1",  # no redirect to HTTPS for the test client
    }
    run([sys.executable, "manage.py", "migrate", "--check"], cwd=settings.BASE_DIR, env=env)
    result = run([sys.executable, "manage.py", "shell", "-c", APPLICATION_VIEW], cwd=settings.BASE_DIR, env=env)
    return json.loads(result.stdout.splitlines()[-1])


def test_a_dump_restored_into_a_new_database_shows_the_same_plan_history_and_reports(
    plan, subactivity, leader, plan_admin, reviewer, pg_bin, tmp_path
):
    for status in ("avvaktar", "klar"):
        current = SubActivity.objects.get(pk=subactivity.pk)
        subactivity_update_status(
            subactivity=current,
            user=leader,
            status=status,
            text=f"Status {status}",
            answer="ja",
            comment=f"Nu {status}",
            expected_version=current.version,
        )
    with time_machine.travel(datetime.datetime(2026, 1, 10, 12, tzinfo=datetime.UTC), tick=False):
        followup = followup_open(revision=plan, year=2025, half=0, cut_off=datetime.date(2025, 12, 31), user=plan_admin)
        report = bytes(followup_lock(followup=followup, user=plan_admin).report_pdf)

    db = connection.settings_dict
    env = {**os.environ, "PGHOST": db["HOST"], "PGPORT": str(db["PORT"]), "PGUSER": db["USER"]}
    env["PGPASSWORD"] = db["PASSWORD"]
    source, restored, dump = db["NAME"], f"{db['NAME']}_restored", tmp_path / "planuppfoljning.dump"
    check = [str(pg_bin / "psql"), "-X", "-At", "-f", str(settings.BASE_DIR / "scripts" / "restore-check.sql")]

    run([pg_bin / "pg_dump", "--format=custom", f"--file={dump}", source], env=env)
    run([pg_bin / "dropdb", "--if-exists", restored], env=env)
    run([pg_bin / "createdb", restored], env=env)
    try:
        run([pg_bin / "pg_restore", "--no-owner", "--exit-on-error", f"--dbname={restored}", dump], env=env)

        # The check script: every table with the same rows and content, the same latest changes and reports.
        original = run([*check, source], env=env).stdout
        assert run([*check, restored], env=env).stdout == original
        assert f"report|{followup.pk}|2025|0|locked|{len(report)}|{hashlib.sha256(report).hexdigest()}" in original
        assert "latest change|" in original and "|klar|~|" in original

        # The application on the restored database alone.
        assert (seen := application_view(restored)) == application_view(source)
        assert seen["reports"] == {str(followup.pk): hashlib.sha256(report).hexdigest()}
        assert seen["history"]["count"] == SubActivity.history.count()
        assert [record[2:] for record in seen["history"]["latest"][:2]] == [
            ["klar", leader.username, "Nu klar"],
            ["avvaktar", leader.username, "Nu avvaktar"],
        ]
        statuses = [s for st in seen["plan"]["strategies"] for a in st["activities"] for s in a["subactivities"]]
        assert next(s for s in statuses if s["id"] == subactivity.pk)["status"] == "klar"
    finally:
        run([pg_bin / "dropdb", "--if-exists", "--force", restored], env=env)
