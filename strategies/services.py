from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from plan.history import save_with_history
from plan.models import PlanRevision
from strategies.models import ArenaLocalActivity, LocalAdoption

NEW_CELL = 0  # the version a form names when the cell had no row yet


class StaleAdoption(Exception):
    """Someone else saved the cell after the user opened it; `current` is the cell as it is now."""

    def __init__(self, current):
        super().__init__(f"local adoption {current.pk} is at version {current.version}")
        self.current = current


@transaction.atomic
def local_adoption_update(*, arena, local_activity, user, state, text, contact, expected_version=None):
    """Records how an arena has taken up a recommended local activity; the change is kept in the history.

    `expected_version` is the version the user's form was opened at (NEW_CELL for a cell with no row yet): if
    someone saved the cell in between, StaleAdoption is raised and nothing is saved. The check is part of the
    UPDATE, and two first saves of a cell meet in its unique constraint, so it holds across app servers.
    Without it (the demo data, tests) the change is saved over whatever is stored."""
    PlanRevision.objects.lock_in_force(local_activity.strategy.revision_id)
    cell = LocalAdoption.objects.filter(arena=arena, local_activity=local_activity)
    adoption = cell.first() or LocalAdoption(arena=arena, local_activity=local_activity)
    adoption.state, adoption.text, adoption.contact, adoption.updated_by = state, text, contact, user
    reason = _("Updated by the local collaboration arena")
    if adoption.pk is None:
        try:
            with transaction.atomic():  # a savepoint: the transaction goes on after a refused insert
                adoption.full_clean()
                return save_with_history(adoption, user=user, reason=reason)
        except (IntegrityError, ValidationError):
            current = cell.select_related("updated_by").first()
            if current is None:
                raise
            raise StaleAdoption(current) from None  # another member saved the cell's first state meanwhile
    adoption.full_clean()
    if not adoption.raise_version(expected=expected_version):
        raise StaleAdoption(cell.select_related("updated_by").get())
    fields = ["state", "text", "contact", "updated_by", "updated_at", "version"]
    return save_with_history(adoption, user=user, reason=reason, update_fields=fields)


def local_adoption_raise_version(adoption):
    """Gives an edit made elsewhere (the admin) a new version, so a cell's form opened before it is refused."""
    adoption.raise_version()


@transaction.atomic
def arena_own_activity_add(*, arena, strategy, user, name, state, text):
    """Adds an activity of the arena's own local plan to a strategy of the revision in force."""
    PlanRevision.objects.lock_in_force(strategy.revision_id)
    activity = ArenaLocalActivity(arena=arena, strategy=strategy, name=name, state=state, text=text)
    activity.full_clean()
    return save_with_history(activity, user=user, reason=_("Added by the local collaboration arena"))
