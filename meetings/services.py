"""Planning meetings and keeping their minutes: every change is saved with its history."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meetings.models import Decision, Meeting
from plan.history import save_with_history

# A series is planned at most this far ahead; a revision of the plan comes every third year.
MAX_SERIES_MEETINGS = 160


def series_starts(*, first, every_weeks, until):
    """The start of each meeting of a series: `first` (an aware datetime) and every `every_weeks` weeks
    after it, at the same local time of day, up to and including the date `until`."""
    tz = timezone.get_current_timezone()
    local = timezone.localtime(first, tz)
    starts, day = [], local.date()
    while day <= until and len(starts) < MAX_SERIES_MEETINGS:
        starts.append(timezone.make_aware(datetime.datetime.combine(day, local.time()), tz))
        day += datetime.timedelta(weeks=every_weeks)
    return starts


@transaction.atomic
def meeting_create(*, forum, starts_at, place, user):
    meeting = Meeting(forum=forum, starts_at=starts_at, place=place)
    save_with_history(meeting, user=user, reason=_("Meeting planned"))
    return meeting


@transaction.atomic
def meeting_series_create(*, forum, starts, place, user):
    """Plans a meeting at each of `starts` that the forum does not already have; returns (created, skipped)."""
    taken = set(Meeting.objects.filter(forum=forum, starts_at__in=starts).values_list("starts_at", flat=True))
    created = [
        meeting_create(forum=forum, starts_at=start, place=place, user=user) for start in starts if start not in taken
    ]
    return created, len(starts) - len(created)


@transaction.atomic
def meeting_move(*, meeting, starts_at, place, user):
    meeting.starts_at, meeting.place = starts_at, place
    save_with_history(meeting, user=user, reason=_("Meeting moved"))


@transaction.atomic
def meeting_cancel(*, meeting, user):
    meeting.cancelled = True
    save_with_history(meeting, user=user, reason=_("Meeting cancelled"))


@transaction.atomic
def minutes_save(*, meeting, notes, user):
    meeting.notes = notes
    save_with_history(meeting, user=user, reason=_("Minutes updated"))


@transaction.atomic
def decision_add(*, meeting, text, subactivities, user):
    decision = Decision(meeting=meeting, text=text)
    save_with_history(decision, user=user, reason=_("Decision recorded"))
    decision.subactivities.set(subactivities)
    return decision
