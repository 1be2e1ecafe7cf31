"""Effect-measure values follow their measures into a new revision when it is activated."""

from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from followup.models import EffectMeasureValue
from plan.history import save_with_history
from plan.language import in_plan_language
from revisions.services import revision_activated
from strategies.models import EffectMeasure


@receiver(revision_activated)
def carry_over_effect_measure_values(sender, draft, previous, user, **kwargs):
    """Copies the predecessor measures' values the new measures lack, so each series goes on unbroken.
    The superseded revision keeps its own values exactly as they were."""
    successor_of = dict(
        EffectMeasure.objects.filter(strategy__revision=draft, predecessor__strategy__revision=previous).values_list(
            "predecessor_id", "pk"
        )
    )
    existing = set(
        EffectMeasureValue.objects.filter(measure_id__in=successor_of.values()).values_list(
            "measure_id", "year", "half", "breakdown"
        )
    )
    reason = in_plan_language(_("Carried over from revision %(label)s"), label=previous.label)
    for value in EffectMeasureValue.objects.filter(measure_id__in=successor_of):
        measure_id = successor_of[value.measure_id]
        if (measure_id, value.year, value.half, value.breakdown) in existing:
            continue
        value.pk, value.id, value.measure_id = None, None, measure_id
        save_with_history(value, user=user, reason=reason)
