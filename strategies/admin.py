from django.contrib import admin

from plan.admin import ContentAdmin, ContentInline
from strategies.models import ArenaLocalActivity, EffectMeasure, LocalActivity, LocalAdoption, Strategy, StrategyQuote
from strategies.services import local_adoption_raise_version


class QuoteInline(ContentInline):
    model = StrategyQuote


class LocalActivityInline(ContentInline):
    model = LocalActivity


@admin.register(Strategy)
class StrategyAdmin(ContentAdmin):
    revision_path = "revision"
    parent_revision_states = {"revision": "state"}
    list_display = ["__str__", "revision"]
    list_filter = ["revision"]
    inlines = [QuoteInline, LocalActivityInline]


@admin.register(EffectMeasure)
class EffectMeasureAdmin(ContentAdmin):
    revision_path = "strategy.revision"
    parent_revision_states = {"strategy": "revision__state"}
    list_display = ["name", "strategy", "direction", "cadence"]
    list_filter = ["strategy__revision", "direction", "cadence"]
    filter_horizontal = ["forums"]


@admin.register(LocalActivity)
class LocalActivityAdmin(ContentAdmin):
    revision_path = "strategy.revision"
    parent_revision_states = {"strategy": "revision__state"}
    list_display = ["text", "strategy"]
    list_filter = ["strategy"]


@admin.register(LocalAdoption)
class LocalAdoptionAdmin(ContentAdmin):
    revision_path = "local_activity.strategy.revision"
    parent_revision_states = {"local_activity": "strategy__revision__state"}
    list_display = ["arena", "local_activity", "state", "updated_at"]
    list_filter = ["arena", "state"]

    def save_model(self, request, obj, form, change):
        if change:
            local_adoption_raise_version(obj)
        super().save_model(request, obj, form, change)


@admin.register(ArenaLocalActivity)
class ArenaLocalActivityAdmin(ContentAdmin):
    revision_path = "strategy.revision"
    parent_revision_states = {"strategy": "revision__state"}
    list_display = ["name", "arena", "strategy", "state"]
    list_filter = ["arena", "strategy"]
