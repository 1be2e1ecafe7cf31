from django.contrib import admin

from followup.models import EffectMeasureValue
from followup.services import locked_followup_for
from plan.admin import ContentAdmin


@admin.register(EffectMeasureValue)
class EffectMeasureValueAdmin(ContentAdmin):
    list_display = ["measure", "year", "half", "breakdown", "value", "yes_no", "is_example"]
    list_filter = ["measure__strategy", "year", "is_example"]
    revision_path = "measure.strategy.revision"
    parent_revision_states = {"measure": "strategy__revision__state"}

    def _locked(self, obj):
        return obj is not None and locked_followup_for(obj.measure.strategy.revision_id, obj.year, obj.half)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._locked(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._locked(obj)
