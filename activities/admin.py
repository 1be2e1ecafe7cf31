from django.contrib import admin
from django.db import models

from activities.forms import WebAddressField
from activities.models import Activity, SubActivity
from activities.services import subactivity_raise_version
from plan.admin import ContentAdmin, ContentInline

# The evidence link as the status form takes it: http or https, https assumed when left out.
EVIDENCE_FIELD = {models.URLField: {"form_class": WebAddressField}}


class SubActivityInline(ContentInline):
    model = SubActivity
    formfield_overrides = EVIDENCE_FIELD
    fields = ["number", "name", "status", "status_text", "measure", "target", "answer", "evidence_url"]


@admin.register(Activity)
class ActivityAdmin(ContentAdmin):
    revision_path = "strategy.revision"
    parent_revision_states = {"strategy": "revision__state"}
    list_display = ["name", "strategy", "priority_start_year", "priority_end_year", "leader"]
    list_filter = ["strategy__revision", "strategy", "responsible_organisations"]
    search_fields = ["name"]
    filter_horizontal = ["responsible_organisations"]
    inlines = [SubActivityInline]

    def save_formset(self, request, form, formset, change):
        if formset.model is SubActivity:
            for subactivity_form in formset.forms:
                if subactivity_form.instance.pk and subactivity_form.has_changed():
                    subactivity_raise_version(subactivity_form.instance)
        super().save_formset(request, form, formset, change)


@admin.register(SubActivity)
class SubActivityAdmin(ContentAdmin):
    revision_path = "activity.strategy.revision"
    parent_revision_states = {"activity": "strategy__revision__state"}
    list_display = ["name", "activity", "status", "answer"]
    list_filter = ["status", "answer", "activity__strategy"]
    search_fields = ["name", "status_text", "measure"]
    formfield_overrides = EVIDENCE_FIELD

    def save_model(self, request, obj, form, change):
        if change:
            subactivity_raise_version(obj)
        super().save_model(request, obj, form, change)
