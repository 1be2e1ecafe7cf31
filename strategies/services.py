from django.db import transaction
from django.utils.translation import gettext_lazy as _

from plan.history import save_with_history
from plan.models import PlanRevision
from strategies.models import ArenaLocalActivity, LocalAdoption


@transaction.atomic
def local_adoption_update(*, arena, local_activity, user, state, text, contact):
    """Records how an arena has taken up a recommended local activity; the change is kept in the history."""
    PlanRevision.objects.lock_in_force(local_activity.strategy.revision_id)
    adoption = LocalAdoption.objects.select_for_update().filter(arena=arena, local_activity=local_activity).first()
    adoption = adoption or LocalAdoption(arena=arena, local_activity=local_activity)
    adoption.state, adoption.text, adoption.contact, adoption.updated_by = state, text, contact, user
    adoption.full_clean()
    return save_with_history(adoption, user=user, reason=_("Updated by the local collaboration arena"))


@transaction.atomic
def arena_own_activity_add(*, arena, strategy, user, name, state, text):
    """Adds an activity of the arena's own local plan to a strategy of the revision in force."""
    PlanRevision.objects.lock_in_force(strategy.revision_id)
    activity = ArenaLocalActivity(arena=arena, strategy=strategy, name=name, state=state, text=text)
    activity.full_clean()
    return save_with_history(activity, user=user, reason=_("Added by the local collaboration arena"))
