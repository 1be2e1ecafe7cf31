from django.db import transaction

from plan.models import PlanRevision
from strategies.models import LocalAdoption


@transaction.atomic
def local_adoption_update(*, arena, local_activity, user, state, text, contact):
    """Records how an arena has taken up a recommended local activity; the change is kept in the history."""
    PlanRevision.objects.lock_in_force(local_activity.strategy.revision_id)
    adoption = LocalAdoption.objects.select_for_update().filter(arena=arena, local_activity=local_activity).first()
    adoption = adoption or LocalAdoption(arena=arena, local_activity=local_activity)
    adoption.state, adoption.text, adoption.contact, adoption.updated_by = state, text, contact, user
    adoption.full_clean()
    adoption._history_user = user
    adoption._change_reason = "Uppdaterad av lokal samverkansarena"
    adoption.save()
    return adoption
