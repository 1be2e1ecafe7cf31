"""Deciding and sending the reminders and meeting-pack links for the 100x plan, at two numbers of users: time and
SQL queries of notices_due (which must not grow with the recipients) and of send_notices through a real SMTP
server on loopback (a constant number per message). Run through benchmarks/run.sh, which prepares each
database, or on its own (a throwaway SQLite file):

    python benchmarks/reminders.py --scale 100 --users 100 500
"""

import argparse
import datetime
import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "plan.settings")
if not os.environ.get("DATABASE_URL"):  # never the embedded demo's db.sqlite3
    SCRATCH = tempfile.TemporaryDirectory()
    os.environ["DATABASE_URL"] = f"sqlite:///{SCRATCH.name}/reminders.sqlite3"
os.environ.setdefault("SECRET_KEY", "benchmark-only")
os.environ.setdefault("SITE_URL", "https://plan.example.se")

import django

django.setup()

from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from activities.models import Activity  # noqa: E402
from meetings.mail import send_notices  # noqa: E402
from meetings.models import Meeting, NotificationKind, SentNotification  # noqa: E402
from meetings.reminders import notices_due  # noqa: E402
from plan.models import Forum, Organisation, PlanRevision, User  # noqa: E402
from plan.roles import Role  # noqa: E402
from plandata.demo import generate_demo_data  # noqa: E402
from plandata.loader import load_plan_file  # noqa: E402
from tests.meetings.smtp_server import SMTPServer  # noqa: E402

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "plan_jamtland_harjedalen.yaml"
ARENA = "lokal-ostersund"
logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs each SMTP command


def role_of(index):
    """Of every 50 users: 1 plan administrator, 10 local arena members, 39 project leaders."""
    if index % 50 == 0:
        return Role.PLAN_ADMIN
    return Role.LOCAL_ARENA if index % 5 == 1 else Role.PROJECT_LEADER


def prepare(scale):
    call_command("migrate", verbosity=0)
    load_plan_file(FIXTURE)
    if scale > 1:
        generate_demo_data(scale)
    now = timezone.now()
    for forum, days in (("fredagsgruppen", -14), ("fredagsgruppen", 3), (ARENA, 3)):
        Meeting.objects.create(forum=Forum.objects.get(slug=forum), starts_at=now + datetime.timedelta(days=days))
    revision = PlanRevision.objects.in_force().get()
    activities = list(Activity.objects.filter(strategy__revision=revision).order_by("pk"))
    organisations = list(Organisation.objects.order_by("pk"))
    Through = Activity.responsible_organisations.through
    Through.objects.bulk_create(  # one responsible organisation per activity, in turn
        [Through(activity=a, organisation=organisations[i % len(organisations)]) for i, a in enumerate(activities)],
        batch_size=1000,
    )
    return activities


def add_users(count, activities):
    """Adds users up to `count` and hands the activities' leadership round the project leaders."""
    organisations = list(Organisation.objects.order_by("pk"))
    municipalities = [o for o in organisations if o.kind == Organisation.Kind.MUNICIPALITY]
    groups = {g.name: g for g in Group.objects.all()}
    start = User.objects.filter(username__startswith="bench").count()
    new = []
    for i in range(start, count):
        local = role_of(i) == Role.LOCAL_ARENA
        organisation = municipalities[i % len(municipalities)] if local else organisations[i % len(organisations)]
        new.append(User(username=f"bench{i}", email=f"user{i}@example.se", password="!", organisation=organisation))
    new = User.objects.bulk_create(new)
    User.groups.through.objects.bulk_create(
        [User.groups.through(user=u, group=groups[role_of(int(u.username[5:]))]) for u in new]
    )
    Forum.objects.get(slug="fredagsgruppen").members.add(*[u for u in new if int(u.username[5:]) % 5 == 2])
    arena = Forum.objects.get(slug=ARENA)
    local = [u for u in new if role_of(int(u.username[5:])) == Role.LOCAL_ARENA]
    arena.members.add(*[u for u in local if u.organisation_id == arena.organisation_id])
    leaders = list(User.objects.filter(groups__name=Role.PROJECT_LEADER, username__startswith="bench").order_by("pk"))
    for i, activity in enumerate(activities):
        activity.leader = leaders[i % len(leaders)]
    Activity.objects.bulk_update(activities, ["leader"], batch_size=1000)


def measure(users, runs=3):
    SentNotification.objects.all().delete()
    now = timezone.now()
    times, queries = [], set()
    for _run in range(runs):  # deciding only reads: the median of a few runs
        with CaptureQueriesContext(connection) as deciding:
            start = time.perf_counter()
            notices = notices_due(now)
            times.append(time.perf_counter() - start)
        queries.add(len(deciding))
    with (
        SMTPServer() as server,
        override_settings(EMAIL_PORT=server.port),
        CaptureQueriesContext(connection) as sending,
    ):
        start = time.perf_counter()
        outcome = send_notices(notices)
        send_s = time.perf_counter() - start
    assert outcome.sent == len(notices) == len(server.messages), (outcome, len(notices), len(server.messages))
    reminders = [n for n in notices if n.kind == NotificationKind.REMINDER]
    return {
        "users": users,
        "recipients": len({n.recipient.pk for n in notices}),
        "reminders": len(reminders),
        "packs": len(notices) - len(reminders),
        "items": sum(len(n.items) for n in reminders),
        "messages": outcome.sent,
        "decide_ms": statistics.median(times) * 1000,
        "decide_q": "/".join(map(str, sorted(queries))),
        "send_s": send_s,
        "send_q": len(sending),
        "kb": sum(len(m.as_bytes()) for _to, m in server.messages) / 1024,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--users", type=int, nargs=2, default=[100, 500])
    args = parser.parse_args()
    smtp = {"EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend", "EMAIL_HOST": "127.0.0.1"}
    with override_settings(**smtp, SITE_URL="https://plan.example.se", MEETING_PACK_DAYS=5):
        start = time.perf_counter()
        activities = prepare(args.scale)
        took = time.perf_counter() - start
        print(f"{connection.vendor:10} {args.scale:>4}x  {len(activities)} activities, set up in {took:.0f} s")
        rows = []
        for users in sorted(args.users):
            add_users(users, activities)
            rows.append(measure(users))
    head = "users recipients reminders packs  items messages  decide ms  queries   send s  queries q/msg   MB"
    print(f"{connection.vendor:10} {args.scale:>4}x  {head}")
    for r in rows:
        print(
            f"{connection.vendor:10} {args.scale:>4}x  {r['users']:5} {r['recipients']:10} {r['reminders']:9} "
            f"{r['packs']:5} {r['items']:6} {r['messages']:8} {r['decide_ms']:10.0f} {r['decide_q']:>8} "
            f"{r['send_s']:8.2f} {r['send_q']:8} {r['send_q'] / r['messages']:5.2f} {r['kb'] / 1024:5.1f}"
        )
    small, large = rows
    per_message = (large["send_q"] - small["send_q"]) / (large["messages"] - small["messages"])
    fixed = small["send_q"] - per_message * small["messages"]
    same = "yes" if small["decide_q"] == large["decide_q"] else "NO"
    constant = "yes" if per_message.is_integer() and fixed.is_integer() else "NO"
    print(
        f"{connection.vendor:10} {args.scale:>4}x  {small['users']} -> {large['users']} users: deciding queries same:"
        f" {same} ({small['decide_q']} -> {large['decide_q']}); sending queries = {per_message:g} per message"
        f" + {fixed:g}, a constant per message: {constant}"
    )


if __name__ == "__main__":
    main()
