"""Who may do what across the apps: plan administrators' pages and draft revisions.

Each view declares its permission once: with `plan_admin_required`, or by fetching its object through the
access getter of its kind (`activities.access`, `strategies.access`), which knows the user. The predicates
(`can_…`) are what the getters, the views and the templates ask.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from plan.models import PlanRevision


def plan_admin_required(view):
    """For plan administrators only: the login page for anonymous users, 403 for everyone else."""

    @wraps(view)
    def checked(request, *args, **kwargs):
        if not request.user.is_plan_admin:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return login_required(checked)


def can_read_revision(user, revision):
    """A draft revision is read by plan administrators only until it comes into force; everyone logged in
    may read the revision in force and superseded ones."""
    return revision.state != PlanRevision.State.DRAFT or user.is_plan_admin


def check_revision_readable(user, revision):
    """403 for a revision the user may not read (can_read_revision)."""
    if not can_read_revision(user, revision):
        raise PermissionDenied


def positive_int(value):
    """`value` as an int if it is a plain ASCII number (as a pk in a query string), else None."""
    return int(value) if isinstance(value, str) and value.isascii() and value.isdigit() else None
