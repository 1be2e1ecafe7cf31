"""Who is reminded of what before a forum's meeting, and who gets the link to its meeting pack.

A reminder lists exactly the items the recipient is responsible for, that the forum follows up and that
have not been updated since the forum's previous meeting: before a county forum's meeting delaktiviteter for
their project leaders and missing effect-measure values of the period for the plan administrators; before a
local arena's meeting the arena's column for its members. The queries per meeting are a constant number,
whatever the number of recipients.
"""

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from activities.models import SubActivity
from followup.models import EffectMeasureValue, Half, period_label
from meetings.models import Meeting, NotificationKind, SentNotification
from meetings.scope import followed_strategy_ids, since_previous_meeting
from plan.models import Forum, PlanRevision, User
from plan.roles import Role
from strategies.models import EffectMeasure, LocalActivity, LocalAdoption

logger = logging.getLogger("meetings.reminders")

# Meetings are looked for this far ahead; a forum's reminder_days is at most this.
LOOKAHEAD = datetime.timedelta(days=60)


@dataclass
class Item:
    label: str
    context: str
    url: str


@dataclass
class Notice:
    """One message to send: a reminder with its items, or the link to a meeting pack."""

    kind: str
    meeting: Meeting
    recipient: User
    items: list = field(default_factory=list)


def absolute(path):
    return f"{settings.SITE_URL}{path}"


def next_meetings(now):
    """Each forum's next meeting that is held, within LOOKAHEAD; their forums selected."""
    upcoming = (
        Meeting.objects.held()
        .filter(starts_at__gt=now, starts_at__lte=now + LOOKAHEAD)
        .select_related("forum")
        .order_by("starts_at")
    )
    first = {}
    for meeting in upcoming:
        first.setdefault(meeting.forum_id, meeting)
    return list(first.values())


def reminder_period(measure, on):
    """The period whose value should be in before a meeting on `on`: last year, or for a half-yearly measure
    the first half of this year once it has ended."""
    if measure.cadence == EffectMeasure.Cadence.HALF_YEARLY and on.month > 6:
        return (on.year, Half.FIRST)
    return (on.year - 1, Half.WHOLE_YEAR)


def _subactivity_items(meeting, revision, since, add):
    followed = followed_strategy_ids(meeting.forum, revision.pk)
    subs = SubActivity.objects.filter(activity__strategy__revision=revision).exclude(status=SubActivity.Status.DONE)
    if followed is not None:
        subs = subs.filter(activity__strategy_id__in=followed)
    subs = list(
        subs.with_last_change()
        .filter(Q(last_changed_at__lt=since) | Q(last_changed_at__isnull=True))
        .select_related("activity__strategy")
        .prefetch_related("activity__responsible_organisations")
        .order_by("activity__strategy__number", "activity__number", "number")
    )
    organisations = {o.pk for s in subs for o in s.activity.responsible_organisations.all()}
    leaders_by_organisation = defaultdict(list)
    for user in User.objects.filter(groups__name=Role.PROJECT_LEADER, is_active=True, organisation__in=organisations):
        leaders_by_organisation[user.organisation_id].append(user)
    leader_ids = {s.activity.leader_id for s in subs if s.activity.leader_id}
    leaders = User.objects.filter(is_active=True).in_bulk(leader_ids)
    for sub in subs:
        activity = sub.activity
        item = Item(
            f"{activity.strategy.number}.{activity.number}.{sub.number} {sub.name}",
            activity.name,
            absolute(reverse("subactivity_update", args=[sub.pk])),
        )
        recipients = {u.pk: u for o in activity.responsible_organisations.all() for u in leaders_by_organisation[o.pk]}
        if activity.leader_id in leaders:
            recipients[activity.leader_id] = leaders[activity.leader_id]
        for user in recipients.values():
            add(user, item)


def _arena_items(meeting, revision, since, add):
    arena = meeting.forum
    adoptions = {
        a.local_activity_id: a
        for a in LocalAdoption.objects.filter(arena=arena, local_activity__strategy__revision=revision)
    }
    members = list(
        User.objects.filter(groups__name=Role.LOCAL_ARENA, is_active=True, organisation_id=arena.organisation_id)
    )
    activities = LocalActivity.objects.filter(strategy__revision=revision).select_related("strategy")
    for activity in activities.order_by("strategy__number", "number"):
        adoption = adoptions.get(activity.pk)
        if adoption and (adoption.state == LocalAdoption.State.DONE or adoption.updated_at >= since):
            continue
        item = Item(
            activity.text,
            str(activity.strategy),
            absolute(reverse("local_adoption", args=[arena.pk, activity.pk])),
        )
        for user in members:
            add(user, item)


def _measure_items(meeting, revision, add):
    on = timezone.localdate(meeting.starts_at)
    measures = list(
        EffectMeasure.objects.filter(strategy__revision=revision, forums=meeting.forum)
        .select_related("strategy")
        .order_by("strategy__number", "number")
    )
    have = set(
        EffectMeasureValue.objects.filter(measure__in=measures).values_list("measure_id", "year", "half").distinct()
    )
    missing = [(m, reminder_period(m, on)) for m in measures if (m.pk, *reminder_period(m, on)) not in have]
    if not missing:
        return
    admins = list(
        User.objects.filter(Q(groups__name=Role.PLAN_ADMIN) | Q(is_superuser=True), is_active=True).distinct()
    )
    for measure, period in missing:
        path = reverse("effect_measure_value_add", args=[measure.pk])
        item = Item(
            f"{measure.name} ({period_label(period)})",
            str(measure.strategy),
            absolute(f"{path}?ar={period[0]}&halvar={int(period[1])}"),
        )
        for user in admins:
            add(user, item)


def reminders_for(meeting, now):
    """The reminders before `meeting` (its forum selected), one Notice per recipient; a constant number of
    queries."""
    revision = PlanRevision.objects.in_force().first()
    if revision is None:
        return []
    _previous, since = since_previous_meeting(meeting)
    by_user = {}

    def add(user, item):
        by_user.setdefault(user.pk, Notice(NotificationKind.REMINDER, meeting, user)).items.append(item)

    if meeting.forum.kind == Forum.Kind.LOCAL:
        _arena_items(meeting, revision, since, add)  # an arena follows up its own column
    else:
        _subactivity_items(meeting, revision, since, add)
        _measure_items(meeting, revision, add)
    return [n for n in by_user.values() if n.recipient.reminder_emails]


def pack_notices_for(meeting):
    """The forum's members who get the link to the meeting pack."""
    members = list(meeting.forum.members.filter(is_active=True))
    if not members:
        logger.warning("%s has no members: nobody gets the meeting pack of %s", meeting.forum, meeting)
    return [Notice(NotificationKind.MEETING_PACK, meeting, user) for user in members if user.meeting_pack_emails]


def notices_due(now):
    """Every notice due at `now` that has not been sent: reminders within each forum's reminder_days before
    its next meeting, and pack links within MEETING_PACK_DAYS."""
    notices = []
    for meeting in next_meetings(now):
        if meeting.starts_at <= now + datetime.timedelta(days=meeting.forum.reminder_days):
            notices += reminders_for(meeting, now)
        if meeting.starts_at <= now + datetime.timedelta(days=settings.MEETING_PACK_DAYS):
            notices += pack_notices_for(meeting)
    sent = set(
        SentNotification.objects.filter(meeting__in={n.meeting.pk for n in notices}).values_list(
            "kind", "meeting_id", "recipient_id"
        )
    )
    return [n for n in notices if (n.kind, n.meeting.pk, n.recipient.pk) not in sent]
