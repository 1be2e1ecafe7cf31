"""Who may see and change the local arenas' columns. Every view gets its objects through these helpers."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from plan.access import check_revision_readable
from plan.models import Forum, PlanRevision
from strategies.models import LocalActivity


def can_edit_arena(user, arena):
    """Plan administrators, and members of the arena: users of its municipality with the local-arena role."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_plan_admin or (
        user.is_local_arena_member
        and user.organisation_id is not None
        and user.organisation_id == arena.organisation_id
    )


def get_arena_for_user(request, arena_pk, *, editing=False):
    """(arena, can_edit) for a local arena; 404 if there is none, 403 when `editing` and the user may not."""
    arena = get_object_or_404(Forum, pk=arena_pk, kind=Forum.Kind.LOCAL)
    can_edit = can_edit_arena(request.user, arena)
    if editing and not can_edit:
        raise PermissionDenied
    return arena, can_edit


def get_cell_for_user(request, arena_pk, local_activity_pk, *, editing=False):
    """(arena, local activity, can_edit) for a cell of the matrix: an arena's adoption of a recommended local
    activity, changed only in the revision in force; 404 if either does not exist, 403 for a draft the user
    may not read, and when `editing` and the user may not change it."""
    arena, can_edit = get_arena_for_user(request, arena_pk)
    activity = get_object_or_404(LocalActivity.objects.select_related("strategy__revision"), pk=local_activity_pk)
    check_revision_readable(request.user, activity.strategy.revision)
    can_edit = can_edit and activity.strategy.revision.state == PlanRevision.State.IN_FORCE
    if editing and not can_edit:
        raise PermissionDenied
    return arena, activity, can_edit
