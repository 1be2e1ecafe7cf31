import datetime

from django.utils import timezone

from meetings.models import Meeting
from plan.models import Forum


def fredagsgruppen():
    return Forum.objects.get(slug="fredagsgruppen")


def meeting_in(days, forum=None, **fields):
    """A meeting `days` from now (negative: in the past)."""
    return Meeting.objects.create(
        forum=forum or fredagsgruppen(), starts_at=timezone.now() + datetime.timedelta(days=days), **fields
    )
