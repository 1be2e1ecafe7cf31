"""Access rules that hold across the apps: plan administrators' pages and draft revisions."""

from django.core.exceptions import PermissionDenied

from plan.models import PlanRevision


def require_plan_admin(request):
    if not request.user.is_plan_admin:
        raise PermissionDenied


def check_revision_readable(user, revision):
    """A draft revision is read by plan administrators only until it comes into force: 403 for others.
    Everyone logged in may read the revision in force and superseded ones."""
    if revision.state == PlanRevision.State.DRAFT and not user.is_plan_admin:
        raise PermissionDenied


def positive_int(value):
    """`value` as an int if it is a plain ASCII number (as a pk in a query string), else None."""
    return int(value) if isinstance(value, str) and value.isascii() and value.isdigit() else None
