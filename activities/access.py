"""Who may see and change activities. Every view gets its objects through these helpers."""

import re

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from activities.models import Activity, SubActivity
from plan.access import check_revision_readable
from plan.models import PlanRevision
from strategies.models import Strategy


def can_edit_activity(user, activity):
    """Plan administrators, the activity's leader, and project leaders of a responsible organisation may
    change an activity of the revision in force. Reads activity.responsible_organisations (prefetch it)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if activity.strategy.revision.state != PlanRevision.State.IN_FORCE:
        return False
    if user.is_plan_admin or activity.leader_id == user.pk:
        return True
    return user.is_project_leader and any(
        organisation.pk == user.organisation_id for organisation in activity.responsible_organisations.all()
    )


def can_restore_subactivity(user, subactivity):
    """Bringing back an earlier version is for plan administrators, where the sub-activity may be changed."""
    return user.is_plan_admin and can_edit_activity(user, subactivity.activity)


def get_strategy_for_user(request, pk):
    """The strategy with its revision and plan; 404 if it does not exist, 403 if it is in a draft the user
    may not read."""
    strategy = get_object_or_404(Strategy.objects.select_related("revision__plan"), pk=pk)
    check_revision_readable(request.user, strategy.revision)
    return strategy


def get_activity_for_user(request, pk):
    """The activity; 404 if it does not exist, 403 if it is in a draft the user may not read. What the user may
    change on its page is left to keep_edit_links."""
    activity = get_object_or_404(
        Activity.objects.select_related("strategy__revision__plan", "leader").prefetch_related(
            "responsible_organisations"
        ),
        pk=pk,
    )
    check_revision_readable(request.user, activity.strategy.revision)
    return activity


def get_subactivity_for_user(request, pk):
    """(subactivity, can_edit); 404 if it does not exist, 403 if it is in a draft the user may not read."""
    subactivity = get_object_or_404(
        SubActivity.objects.select_related("activity__strategy__revision__plan", "activity__leader").prefetch_related(
            "activity__responsible_organisations"
        ),
        pk=pk,
    )
    check_revision_readable(request.user, subactivity.activity.strategy.revision)
    return subactivity, can_edit_activity(request.user, subactivity.activity)


def get_subactivity_for_editing(request, pk):
    """The subactivity if the user may change it; 404 if it does not exist, 403 if they may only read it."""
    subactivity, can_edit = get_subactivity_for_user(request, pk)
    if not can_edit:
        raise PermissionDenied
    return subactivity


def get_subactivity_for_restoring(request, pk):
    """The subactivity if the user may restore an earlier version of it; 404 or 403 as above."""
    subactivity, _can_edit = get_subactivity_for_user(request, pk)
    if not can_restore_subactivity(request.user, subactivity):
        raise PermissionDenied
    return subactivity


EDIT_LINK = re.compile(rb"<!--editable:(\d+)-->(.*?)<!--/editable-->", re.DOTALL)


def keep_edit_links(request, content):
    """Of the links marked <!--editable:activity pk-->…<!--/editable--> on a page, keeps those to the activities
    the reader may change (can_edit_activity: the page marks only activities in force) and drops the others, so
    the page itself is the same for every reader with the same roles (plan/caching.py)."""
    if b"<!--editable:" not in content:
        return content
    user = request.user
    editable = None
    if not user.is_plan_admin:
        editable = set(Activity.objects.in_force().responsible_for(user).values_list("pk", flat=True))
    return EDIT_LINK.sub(
        lambda match: match.group(2) if editable is None or int(match.group(1)) in editable else b"", content
    )
