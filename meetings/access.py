"""Who may plan a forum's meetings and keep their minutes. Everyone logged in reads meetings, packs and
minutes, as they read the plan; every view gets its objects through these helpers."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from meetings.models import Meeting
from plan.models import Forum


def can_manage_meetings(user, forum):
    """Plan administrators, and the forum's secretaries."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_plan_admin or forum.secretaries.filter(pk=user.pk).exists()


def get_forum_for_user(request, slug, *, managing=False):
    """(forum, can_manage); 404 if there is none, 403 when `managing` and the user may not."""
    forum = get_object_or_404(Forum, slug=slug)
    can_manage = can_manage_meetings(request.user, forum)
    if managing and not can_manage:
        raise PermissionDenied
    return forum, can_manage


def get_meeting_for_user(request, pk, *, managing=False):
    """(meeting, can_manage), its forum selected; 404 if there is none, 403 when `managing` and the user may not."""
    meeting = get_object_or_404(Meeting.objects.select_related("forum"), pk=pk)
    can_manage = can_manage_meetings(request.user, meeting.forum)
    if managing and not can_manage:
        raise PermissionDenied
    return meeting, can_manage
