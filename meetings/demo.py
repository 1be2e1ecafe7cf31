"""The demo's meeting cycle: Fredagsgruppen meets every other Friday around today, with minutes of the last
meeting, a change since it for the next pack, and stale items to be reminded of."""

import datetime

from django.db import transaction
from django.utils import timezone

from activities.models import SubActivity
from activities.services import subactivity_update_status
from meetings import services
from meetings.models import Meeting
from plan.models import Forum, User

FORUM = "fredagsgruppen"
ARENA = "ostersund"
MEETING_TIME = datetime.time(9, 0)
PAST_MEETINGS, COMING_MEETINGS = 3, 6


def _next_friday(today):
    return today + datetime.timedelta(days=(4 - today.weekday()) % 7 or 7)


@transaction.atomic
def create_demo_meetings(today=None):
    """Creates the demo meetings once; returns the number created (0 if the forum already has meetings)."""
    forum = Forum.objects.filter(slug=FORUM).first()
    if forum is None or forum.meetings.exists():
        return 0
    users = User.objects.in_bulk(["admin", "fredagsgruppen", "projektledare", "lokalarena"], field_name="username")
    admin = users.get("admin")
    forum.members.add(*[u for name, u in users.items() if name in ("admin", "fredagsgruppen")])
    if "fredagsgruppen" in users:
        forum.secretaries.add(users["fredagsgruppen"])
    arena = Forum.objects.filter(organisation__slug=ARENA, kind=Forum.Kind.LOCAL).first()
    if arena and "lokalarena" in users:
        arena.members.add(users["lokalarena"])
    nearest = _next_friday(today or timezone.localdate())
    tz = timezone.get_current_timezone()
    starts = [
        timezone.make_aware(datetime.datetime.combine(nearest + datetime.timedelta(weeks=2 * n), MEETING_TIME), tz)
        for n in range(-PAST_MEETINGS, COMING_MEETINGS)
    ]
    created, _skipped = services.meeting_series_create(forum=forum, starts=starts, place="Teams", user=admin)
    last = Meeting.objects.filter(forum=forum, starts_at__lt=timezone.now()).order_by("-starts_at").first()
    leader = users.get("projektledare")
    sub = SubActivity.objects.filter(activity__leader=leader).order_by("pk").first() if leader else None
    services.minutes_save(
        meeting=last,
        notes="Exempel: genomgång av läget i strategi 2. Projektledaren återkommer om handlingsplanen.",
        user=admin,
    )
    services.decision_add(
        meeting=last,
        text="Exempel: handlingsplanen för fasta kontakter tas upp igen vid nästa möte.",
        subactivities=[sub] if sub else [],
        user=admin,
    )
    if sub is not None:
        subactivity_update_status(
            subactivity=sub,
            user=leader,
            status=SubActivity.Status.IN_PROGRESS,
            text=sub.status_text or "Exempel: arbetet har börjat.",
            answer=sub.answer,
            comment="Exempel: uppdaterad efter Fredagsgruppens beslut",
            expected_version=sub.version,
        )
    return len(created)
