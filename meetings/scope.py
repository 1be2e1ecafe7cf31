"""What a forum follows up, and the moment a meeting's "since the previous meeting" starts from."""

import datetime

from meetings.models import Meeting
from plan.models import Plan
from strategies.models import EffectMeasure

# For a forum's first meeting, "since the previous meeting" means this long before it.
FIRST_MEETING_LOOKBACK = datetime.timedelta(days=90)


def the_plan():
    """The plan this installation follows up (one per installation)."""
    return Plan.objects.order_by("pk").first()


def since_previous_meeting(meeting):
    """(previous meeting or None, the moment from which changes count as new for `meeting`)."""
    previous = Meeting.objects.previous_to(meeting)
    return previous, previous.starts_at if previous else meeting.starts_at - FIRST_MEETING_LOOKBACK


def followed_strategy_ids(forum, revision_id):
    """The strategies whose effect measures the forum follows up (the plan names a forum per measure); a
    forum named by no measure, such as a local arena, follows the whole plan. One query."""
    ids = set(
        EffectMeasure.objects.filter(strategy__revision_id=revision_id, forums=forum).values_list(
            "strategy_id", flat=True
        )
    )
    return ids or None
