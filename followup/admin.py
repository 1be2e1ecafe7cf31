from django.contrib import admin

from followup.models import EffectMeasureValue
from plan.admin import ContentAdmin


@admin.register(EffectMeasureValue)
class EffectMeasureValueAdmin(ContentAdmin):
    list_display = ["measure", "year", "half", "breakdown", "value", "yes_no", "is_example"]
    list_filter = ["measure__strategy", "year", "is_example"]
